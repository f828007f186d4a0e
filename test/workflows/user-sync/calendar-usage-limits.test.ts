import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus, UserErrorCode } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { addOutlookEvent } from '../../helpers/calendar-corpus.js';
import { controlGet } from '../../helpers/emulator-control.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';

/**
 * Google's anti-spam limit on events with guests (403 quotaExceeded
 * "Calendar usage limits exceeded.", the calendar read-only for a while:
 * calendar-contacts-files-facts §0.4), set low in the emulator so that a
 * first copy hits it: the calendar stops for the cycle as RATE_LIMITED
 * (not retried in a loop), and the next cycle carries on, exactly once.
 */
describe('user sync: calendar usage limits exceeded', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  const meetings = 6;

  beforeAll(async () => {
    fixture = await createSyncFixture({
      google: {
        quota: { calendarUserRequestsPerMinute: 60_000, calendarProjectRequestsPerMinute: 600_000 },
        // Three writes with guests per 2 s, then read-only for 2 s (Google: unpublished numbers, read-only for hours).
        calendar: { attendeeEventWritesPerWindow: 3, attendeeWindowMinutes: 2 / 60, readOnlyMinutes: 2 / 60 },
      },
    });
    user = fixture.m365.emulator.seed({ seed: 77, users: 1, messagesPerUser: 3, failingItemsPerUser: 0, groups: false }).users[0]!;
    await fixture.store.policies.update(fixture.policyId, { dataTypes: ['mail', 'calendar'] });
    for (let index = 0; index < meetings; index += 1) {
      const day = `2027-02-${String(index + 1).padStart(2, '0')}`;
      await addOutlookEvent(fixture.m365.url, user.userPrincipalName, {
        subject: `Review ${index + 1}`,
        start: { dateTime: `${day}T10:00:00`, timeZone: 'UTC' },
        end: { dateTime: `${day}T11:00:00`, timeZone: 'UTC' },
        attendees: [{ emailAddress: { address: `guest${index}@fabrikam.example`, name: 'Guest' }, type: 'required' }],
      });
    }
  });
  afterAll(async () => fixture?.close());

  it('stops the calendar for the cycle as RATE_LIMITED with the reason in the audit log, mail copied; the next cycle copies the rest exactly once', async () => {
    const targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    const { handle, syncUserId } = await fixture.startSync(user, { intervalSeconds: 3600 });
    const failed = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Failed, 60_000);
    expect(failed.lastError?.code).toBe(UserErrorCode.RateLimited);
    expect(failed.lastError?.message).toMatch(/usage limits/i);
    expect(fixture.google.emulator.messagesOf(targetEmail).length).toBeGreaterThan(0);
    const audit = (await fixture.store.audit.list({ syncUserId })).items;
    expect(audit.some((entry) => entry.code === UserErrorCode.RateLimited && /usage limits/i.test(entry.message))).toBe(true);
    const refusals = () => controlGet<{ calendar: { usageLimitRefusals: number } }>(fixture.google.url, '/_control/stats');
    // The cycle ended at the refusal (Failed, not Syncing while retrying against a read-only calendar).
    expect((await refusals()).calendar.usageLimitRefusals).toBe(1);

    // Past the read-only spell (the emulator's clock; Google's is hours), the next cycle carries on from where the calendar stopped.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await handle.signal(retrySignal);
    const synced = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced, 120_000);
    expect(synced.lastError).toBeNull();
    const events = (await controlGet<{ events: { summary?: string; status?: string }[] }>(fixture.google.url, `/_control/users/${encodeURIComponent(targetEmail)}/events`)).events;
    const live = events.filter((event) => event.status !== 'cancelled').map((event) => event.summary);
    expect(live.sort()).toEqual(Array.from({ length: meetings }, (_, index) => `Review ${index + 1}`).sort());
    expect((await controlGet<{ calendarEmailsSent: number }>(fixture.google.url, '/_control/stats')).calendarEmailsSent).toBe(0);
  });
});
