import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { excludeSignal } from '../../../shared/contracts/user-sync-messages.js';
import { recordHistoryIfAsked } from '../../helpers/history-recording.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';

describe('user sync: continue-as-new', () => {
  let fixture: SyncFixture;
  let users: DirectoryUser[];
  const targetOf = (user: DirectoryUser) => `${user.mail!.split('@')[0]}@${targetDomain}`;

  beforeAll(async () => {
    fixture = await createSyncFixture();
    users = fixture.m365.emulator.seed({ seed: 83, users: 3, messagesPerUser: 12, failingItemsPerUser: 0, groups: false }).users;
  });
  afterAll(async () => fixture?.close());

  it('starts a new run when the history grows long, carrying stage, counts and cycles over, and copies nothing twice', async () => {
    const user = users[0]!;
    const { handle } = await fixture.startSync(user, { intervalSeconds: 1, tuning: { maxHistoryEvents: 60 } });
    const firstRunId = (await handle.describe()).runId;
    const atFirstSync = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted >= 1);
    const deadline = Date.now() + 60_000;
    while ((await handle.describe()).runId === firstRunId) {
      if (Date.now() > deadline) throw new Error('the run never continued as new');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const first = fixture.temporal.client.workflow.getHandle(handle.workflowId, firstRunId);
    expect((await first.describe()).status.name).toBe('CONTINUED_AS_NEW');

    const carried = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted > atFirstSync.cyclesCompleted + 1);
    expect(carried.stage).toBe('Recurring');
    expect(carried.counts.imported).toBe(atFirstSync.counts.imported);
    const arrived = fixture.google.emulator.messagesOf(targetOf(user));
    expect(arrived.length).toBe(atFirstSync.counts.imported);
    expect(new Set(arrived.map((m) => m.messageId)).size).toBe(arrived.length);
    await recordHistoryIfAsked(first, 'continued-as-new');
  });

  it('continues as new by default once the run passes 150 history events (about ten idle cycles), so a replay stays short', async () => {
    const { handle } = await fixture.startSync(users[2]!, { intervalSeconds: 1 });
    const firstRunId = (await handle.describe()).runId;
    const deadline = Date.now() + 120_000;
    while ((await handle.describe()).runId === firstRunId) {
      if (Date.now() > deadline) throw new Error('the run never continued as new on the default limit');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const first = fixture.temporal.client.workflow.getHandle(handle.workflowId, firstRunId);
    const events = (await first.fetchHistory()).events ?? [];
    // Decided between cycles: past the limit by at most the cycle that crossed it (about 15 events).
    expect(events.length).toBeGreaterThan(150);
    expect(events.length).toBeLessThan(150 + 30);
    expect(events.filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'syncMailFolders').length).toBeGreaterThanOrEqual(8);
    expect((await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced)).lastError).toBeNull();
  });

  it('acts on an exclusion that arrives during the last wait of a run instead of losing it to the next run', async () => {
    const user = users[1]!;
    // Every wake-up of this run is due to continue as new; the exclusion wakes it.
    const { syncUserId, handle } = await fixture.startSync(user, { intervalSeconds: 3_600, tuning: { maxRunSeconds: 1 } });
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === 1);
    await handle.signal(excludeSignal, { reason: 'No longer matches the policy.' });
    const result = await handle.result();
    expect(result).toEqual({ status: SyncStatus.Excluded, reason: 'No longer matches the policy.' });
    expect((await fixture.store.syncUsers.get(syncUserId))?.status).toBe(SyncStatus.Excluded);
  });
});
