import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus, UserErrorCode } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { credentialsUpdatedSignal, retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { recordHistoryIfAsked } from '../../helpers/history-recording.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { control } from '../../helpers/emulator-control.js';

describe('user sync: user-level failures', () => {
  let fixture: SyncFixture;
  let users: DirectoryUser[];
  const targetOf = (user: DirectoryUser) => `${user.mail!.split('@')[0]}@${targetDomain}`;

  beforeAll(async () => {
    fixture = await createSyncFixture();
    users = fixture.m365.emulator.seed({ seed: 31, users: 5, messagesPerUser: 20, failingItemsPerUser: 0, groups: false }).users;
  });
  afterAll(async () => fixture?.close());

  it('fails fast with AUTH_TOKEN_EXPIRED when the secret is revoked, and resumes at once when credentials are updated, copying nothing twice', async () => {
    const user = users[0]!;
    const { handle } = await fixture.startSync(user);
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced);
    const copied = fixture.google.emulator.messagesOf(targetOf(user)).length;

    await control(fixture.m365.url, '/_control/credentials/revoke');
    fixture.m365.emulator.tenant.addMessages(user, { count: 3 });
    await handle.signal(retrySignal);
    const failed = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Failed);
    expect(failed.lastError?.code).toBe(UserErrorCode.AuthTokenExpired);
    expect(failed.lastError?.message).toMatch(/credentials/);
    expect(failed.stage).toBe('Recurring');
    const connection = await fixture.store.connections.get(fixture.sourceConnectionId);
    expect(connection?.status).toBe('Error');
    const connectionAudit = await fixture.store.audit.list({ connectionId: fixture.sourceConnectionId, code: 'CONNECTION_AUTH_FAILED', limit: 10 });
    expect(connectionAudit.items.length).toBe(1);

    const { clientSecret } = (await control(fixture.m365.url, '/_control/credentials/rotate')) as { clientSecret: string };
    await fixture.store.connections.replaceCredentials(fixture.sourceConnectionId, { clientSecret });
    await handle.signal(credentialsUpdatedSignal, { connectionId: fixture.sourceConnectionId });
    const recovered = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced, 30_000);
    expect(recovered.lastError).toBeNull();
    const arrived = fixture.google.emulator.messagesOf(targetOf(user));
    expect(arrived.length).toBe(copied + 3);
    expect(new Set(arrived.map((m) => m.messageId)).size).toBe(arrived.length);
    await recordHistoryIfAsked(handle, 'credentials-healed');
  });

  it("records GOOGLE_USER_CREATION_FAILED with Google's own error when the account cannot be created", async () => {
    const user = users[1]!;
    await control(fixture.google.url, '/_control/provisioning-failures', { email: targetOf(user), status: 412, reason: 'conditionNotMet', message: 'Not enough licenses to create the user.' });
    const { syncUserId, handle } = await fixture.startSync(user);
    const failed = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Failed);
    expect(failed.lastError?.code).toBe(UserErrorCode.GoogleUserCreationFailed);
    expect(failed.lastError?.message).toContain('Not enough licenses');
    expect(failed.stage).toBe('Provisioning');
    const audit = await fixture.store.audit.list({ syncUserId, code: UserErrorCode.GoogleUserCreationFailed, limit: 10 });
    expect(audit.items[0]?.details).toMatchObject({ status: 412, reason: 'conditionNotMet' });
    expect(audit.items[0]?.severity).toBe('Error');
  });

  it('marks a deleted source user USER_NOT_FOUND, then excludes them on the next cycle', async () => {
    const user = users[2]!;
    const { syncUserId, handle } = await fixture.startSync(user);
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced);
    await control(fixture.m365.url, `/_control/users/${user.id}/delete`);
    await handle.signal(retrySignal);
    const failed = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Failed);
    expect(failed.lastError?.code).toBe(UserErrorCode.UserNotFound);
    await handle.signal(retrySignal);
    const result = await handle.result();
    expect(result.status).toBe(SyncStatus.Excluded);
    expect((await fixture.store.syncUsers.get(syncUserId))?.status).toBe(SyncStatus.Excluded);
    await recordHistoryIfAsked(handle, 'excluded');
  });

  it('ends the cycle as RATE_LIMITED when Google keeps refusing, and the next cycle carries on without duplicates', async () => {
    const user = users[3]!;
    await control(fixture.google.url, '/_control/throttle', { ratio: 1, retryAfterSeconds: 1 });
    const { handle } = await fixture.startSync(user, { tuning: { maxActivityAttempts: 2 } });
    const failed = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Failed, 60_000);
    expect(failed.lastError?.code).toBe(UserErrorCode.RateLimited);
    await control(fixture.google.url, '/_control/throttle', { ratio: 0 });
    await handle.signal(retrySignal);
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced, 60_000);
    const arrived = fixture.google.emulator.messagesOf(targetOf(user));
    expect(new Set(arrived.map((m) => m.messageId)).size).toBe(arrived.length);
    expect(arrived.length).toBe(20);
    await recordHistoryIfAsked(handle, 'failed-cycle');
  });

  it('rides out Microsoft Graph answering 429 with Retry-After, and still copies every message exactly once', async () => {
    const user = users[4]!;
    // Throttling on while this user syncs; the cycle retries after Graph's delay instead of failing.
    await control(fixture.m365.url, '/_control/throttle', { ratio: 0.2, retryAfterSeconds: 1 });
    try {
      const { handle } = await fixture.startSync(user);
      const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced || s.status === SyncStatus.Failed, 120_000);
      expect(snapshot.lastError).toBeNull();
      expect(snapshot.status).toBe(SyncStatus.Synced);
    } finally {
      await control(fixture.m365.url, '/_control/throttle', { ratio: 0 });
    }
    const stats = fixture.m365.emulator.stats.snapshot();
    expect(stats.quotaRefusals.injected).toBeGreaterThan(0);
    const arrived = fixture.google.emulator.messagesOf(targetOf(user));
    expect(new Set(arrived.map((m) => m.messageId)).size).toBe(arrived.length);
    expect(arrived.length).toBe(20);
  });
});
