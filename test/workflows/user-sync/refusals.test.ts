import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus, UserErrorCode } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';

async function control(baseUrl: string, path: string, body: unknown = {}): Promise<void> {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.ok, `${path} answered ${res.status}`).toBe(true);
}

/**
 * A refusal of one mailbox or one account is that user's: the connection
 * stays usable (never Error) and the other users of it keep syncing.
 */
describe("user sync: per-mailbox refusals are the user's, not the connection's", () => {
  let fixture: SyncFixture;
  let users: DirectoryUser[];
  const targetOf = (user: DirectoryUser) => `${user.mail!.split('@')[0]}@${targetDomain}`;

  async function expectConnectionsUsable(): Promise<void> {
    for (const connectionId of [fixture.sourceConnectionId, fixture.targetConnectionId]) {
      expect((await fixture.store.connections.get(connectionId))?.status).not.toBe('Error');
      const connectionAudit = await fixture.store.audit.list({ connectionId, code: 'CONNECTION_AUTH_FAILED', limit: 10 });
      expect(connectionAudit.items).toEqual([]);
    }
  }

  beforeAll(async () => {
    fixture = await createSyncFixture();
    users = fixture.m365.emulator.seed({ seed: 53, users: 6, messagesPerUser: 12, failingItemsPerUser: 0, groups: false }).users;
  });
  afterAll(async () => fixture?.close());

  it('fails a mailbox outside the application access policy with MAILBOX_ACCESS_DENIED while another user of the connection syncs', async () => {
    const [denied, colleague] = [users[0]!, users[1]!];
    await control(fixture.m365.url, `/_control/users/${denied.id}/mailbox`, { applicationAccess: 'denied' });
    const refused = await fixture.startSync(denied);
    const other = await fixture.startSync(colleague);

    const failed = await waitForSnapshot(refused.handle, (s) => s.status === SyncStatus.Failed);
    expect(failed.lastError?.code).toBe(UserErrorCode.MailboxAccessDenied);
    expect(failed.lastError?.details).toMatchObject({ service: 'microsoft365', status: 403, code: 'ErrorAccessDenied', message: 'Access to OData is disabled.' });
    // Refused before anything was created in Google.
    expect(fixture.google.emulator.getUser(targetOf(denied))).toBeUndefined();
    await waitForSnapshot(other.handle, (s) => s.status === SyncStatus.Synced);
    expect(fixture.google.emulator.messagesOf(targetOf(colleague)).length).toBe(12);
    await expectConnectionsUsable();
    const row = await fixture.store.syncUsers.get(refused.syncUserId);
    expect(row?.errorCode).toBe(UserErrorCode.MailboxAccessDenied);

    // The policy changes later for the colleague: only that user fails, mid-sync this time.
    await control(fixture.m365.url, `/_control/users/${colleague.id}/mailbox`, { applicationAccess: 'denied' });
    await control(fixture.m365.url, `/_control/users/${denied.id}/mailbox`, { applicationAccess: 'allowed' });
    await other.handle.signal(retrySignal);
    await refused.handle.signal(retrySignal);
    const colleagueFailed = await waitForSnapshot(other.handle, (s) => s.status === SyncStatus.Failed);
    expect(colleagueFailed.lastError?.code).toBe(UserErrorCode.MailboxAccessDenied);
    await waitForSnapshot(refused.handle, (s) => s.status === SyncStatus.Synced);
    expect(fixture.google.emulator.messagesOf(targetOf(denied)).length).toBe(12);
    await expectConnectionsUsable();
  });

  it('never provisions a guest from their external address, records NO_MAILBOX, then excludes them', async () => {
    // A colleague already owns john@<our domain>; the guest's john@gmail.com must not land there.
    fixture.google.emulator.addUser({ primaryEmail: `john@${targetDomain}`, givenName: 'John', familyName: 'Colleague' });
    const guest = fixture.m365.emulator.tenant.addUser({
      userPrincipalName: 'john_gmail.com#EXT#@contoso.example',
      displayName: 'John (Guest)',
      mail: 'john@gmail.com',
      givenName: 'John',
      surname: 'Guest',
      userType: 'Guest',
    });
    const { syncUserId, handle } = await fixture.startSync(guest);
    const failed = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Failed);
    expect(failed.lastError?.code).toBe(UserErrorCode.NoMailbox);
    expect(failed.stage).toBe('Provisioning');
    expect(failed.target).toBeNull();
    const audit = await fixture.store.audit.list({ syncUserId, code: UserErrorCode.NoMailbox, limit: 10 });
    expect(audit.items.length).toBe(1);
    const provisioning = await fixture.store.audit.list({ syncUserId, category: 'provisioning', limit: 10 });
    expect(provisioning.items).toEqual([]);
    expect(fixture.google.emulator.messagesOf(`john@${targetDomain}`)).toEqual([]);
    await expectConnectionsUsable();

    await handle.signal(retrySignal);
    expect((await handle.result()).status).toBe(SyncStatus.Excluded);
    expect((await fixture.store.syncUsers.get(syncUserId))?.status).toBe(SyncStatus.Excluded);
  });

  it('records NO_MAILBOX for a member Exchange Online has no mailbox for, without creating a Google account', async () => {
    const unlicensed = users[2]!;
    await control(fixture.m365.url, `/_control/users/${unlicensed.id}/mailbox`, { hasMailbox: false });
    const { handle } = await fixture.startSync(unlicensed);
    const failed = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Failed);
    expect(failed.lastError?.code).toBe(UserErrorCode.NoMailbox);
    expect(failed.lastError?.details).toMatchObject({ status: 404, code: 'MailboxNotEnabledForRESTAPI' });
    expect(fixture.google.emulator.getUser(targetOf(unlicensed))).toBeUndefined();
    await expectConnectionsUsable();
  });

  it('retries a just-created Google account with back-off until Google accepts it, and never calls it failed', async () => {
    const newcomer = users[3]!;
    await control(fixture.google.url, '/_control/new-accounts', { tokenDelaySeconds: 6 });
    const refusedBefore = fixture.google.emulator.stats().requests['POST /token']?.['400'] ?? 0;
    try {
      const { syncUserId, handle } = await fixture.startSync(newcomer);
      const synced = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced || s.status === SyncStatus.Failed, 60_000);
      expect(synced.lastError).toBeNull();
      expect(synced.status).toBe(SyncStatus.Synced);
      expect(fixture.google.emulator.stats().requests['POST /token']?.['400'] ?? 0).toBeGreaterThan(refusedBefore);
      expect(fixture.google.emulator.messagesOf(targetOf(newcomer)).length).toBe(12);
      const errors = await fixture.store.audit.list({ syncUserId, severity: 'Error', limit: 10 });
      expect(errors.items).toEqual([]);
      await expectConnectionsUsable();
    } finally {
      await control(fixture.google.url, '/_control/new-accounts', { tokenDelaySeconds: 1 });
    }
  });

  it('fails a suspended Google account with MAILBOX_ACCESS_DENIED while another user of the Google connection syncs, and resumes once unsuspended', async () => {
    const [suspendedUser, colleague] = [users[4]!, users[5]!];
    fixture.google.emulator.addUser({ primaryEmail: targetOf(suspendedUser), givenName: 'Suspended', familyName: 'Account', suspended: true });
    const refused = await fixture.startSync(suspendedUser);
    const other = await fixture.startSync(colleague);
    const failed = await waitForSnapshot(refused.handle, (s) => s.status === SyncStatus.Failed);
    expect(failed.lastError?.code).toBe(UserErrorCode.MailboxAccessDenied);
    expect(failed.lastError?.message).toMatch(/suspended/);
    expect(failed.lastError?.details).toMatchObject({ service: 'google-workspace', reason: 'invalid_grant', suspended: true });
    await waitForSnapshot(other.handle, (s) => s.status === SyncStatus.Synced);
    expect(fixture.google.emulator.messagesOf(targetOf(colleague)).length).toBe(12);
    await expectConnectionsUsable();

    fixture.google.emulator.updateUser(targetOf(suspendedUser), { suspended: false });
    await refused.handle.signal(retrySignal);
    await waitForSnapshot(refused.handle, (s) => s.status === SyncStatus.Synced);
    expect(fixture.google.emulator.messagesOf(targetOf(suspendedUser)).length).toBe(12);
  });
});

describe('user sync: a new Google account that stays refused past the retry budget', () => {
  let fixture: SyncFixture;

  beforeAll(async () => {
    fixture = await createSyncFixture({ google: { newAccountTokenDelaySeconds: 600 }, targetAccount: { notReadyBudgetMs: 6_000 } });
  });
  afterAll(async () => fixture?.close());

  it("ends the cycle as TARGET_ACCOUNT_NOT_READY (not the connection's error), and the next cycle copies everything once Google accepts the account", async () => {
    const [user] = fixture.m365.emulator.seed({ seed: 59, users: 1, messagesPerUser: 8, failingItemsPerUser: 0, groups: false }).users;
    const { handle } = await fixture.startSync(user!);
    const failed = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Failed, 60_000);
    expect(failed.lastError?.code).toBe(UserErrorCode.TargetAccountNotReady);
    expect(failed.lastError?.details).toMatchObject({ service: 'google-workspace', reason: 'invalid_grant' });
    expect(failed.stage).toBe('InitialSync');
    for (const connectionId of [fixture.sourceConnectionId, fixture.targetConnectionId]) {
      expect((await fixture.store.connections.get(connectionId))?.status).not.toBe('Error');
    }

    const target = failed.target!.email;
    await control(fixture.google.url, `/_control/users/${target}/not-ready`, { seconds: 0 });
    await handle.signal(retrySignal);
    const synced = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced, 60_000);
    expect(synced.lastError).toBeNull();
    expect(fixture.google.emulator.messagesOf(target).length).toBe(8);
  });
});
