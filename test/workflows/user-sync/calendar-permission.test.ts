import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus, UserErrorCode } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { defaultGrantedPermissions } from '../../../emulators/microsoft365/index.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { addOutlookEvent } from '../../helpers/calendar-corpus.js';
import { control, controlGet } from '../../helpers/emulator-control.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';

/**
 * A tenant whose admin consented to the permissions of a mail-only sync,
 * then enabled calendar in the policy: Graph refuses the calendar routes
 * with 403 ErrorAccessDenied, the code an application access policy uses.
 * The sync's token lacks Calendars.Read, so the user shows
 * PERMISSION_NOT_GRANTED naming it, not MAILBOX_ACCESS_DENIED; consent
 * given, the next cycle copies the calendar.
 */
describe('user sync: calendar without the Calendars.Read application permission', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;

  beforeAll(async () => {
    fixture = await createSyncFixture({
      m365: { grantedPermissions: defaultGrantedPermissions.filter((permission) => permission !== 'Calendars.Read') },
      // Every refusal is judged on a new token, so consent shows at the very next cycle (default: tokens over a minute old).
      graphPermissions: { tokenRecheckAfterMs: 0 },
    });
    user = fixture.m365.emulator.seed({ seed: 41, users: 1, messagesPerUser: 5, failingItemsPerUser: 0, groups: false }).users[0]!;
    await fixture.store.policies.update(fixture.policyId, { dataTypes: ['mail', 'calendar'] });
    await addOutlookEvent(fixture.m365.url, user.userPrincipalName, {
      subject: 'Quarterly review',
      start: { dateTime: '2027-03-04T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2027-03-04T11:00:00', timeZone: 'UTC' },
    });
  });
  afterAll(async () => fixture?.close());

  it('fails the user with PERMISSION_NOT_GRANTED naming Calendars.Read, mail copied; once consent is granted the next cycle copies the calendar', async () => {
    const targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    const { handle, syncUserId } = await fixture.startSync(user, { intervalSeconds: 3600 });
    const failed = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Failed, 120_000);

    expect(failed.lastError?.code).toBe(UserErrorCode.PermissionNotGranted);
    expect(failed.lastError?.message).toContain('Calendars.Read');
    expect(failed.lastError?.details).toMatchObject({ missingPermission: 'Calendars.Read', dataType: 'calendar', status: 403, code: 'ErrorAccessDenied' });
    const row = await fixture.store.syncUsers.get(syncUserId);
    expect(row?.errorCode).toBe(UserErrorCode.PermissionNotGranted);
    // Mail went first and is all there; the connection is not at fault.
    const mailCopied = fixture.google.emulator.messagesOf(targetEmail).length;
    expect(mailCopied).toBeGreaterThan(0);
    expect(mailCopied).toBe(failed.counts.imported);
    expect((await fixture.store.connections.get(fixture.sourceConnectionId))?.status).not.toBe('Error');

    await control(fixture.m365.url, '/_control/app/permissions', { permission: 'Calendars.Read', granted: true });
    await handle.signal(retrySignal);
    const synced = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced, 120_000);
    expect(synced.lastError).toBeNull();
    const events = (await controlGet<{ events: { summary?: string; status?: string }[] }>(fixture.google.url, `/_control/users/${encodeURIComponent(targetEmail)}/events`)).events;
    expect(events.filter((event) => event.status !== 'cancelled').map((event) => event.summary)).toEqual(['Quarterly review']);
    expect(fixture.google.emulator.messagesOf(targetEmail).length).toBe(mailCopied);
  });
});
