import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { apiClient, createApiApp, type ApiClient } from '../../api/support.js';
import { recordHistoryIfAsked } from '../../helpers/history-recording.js';
import { sourceMessages } from '../../helpers/source-mailbox.js';
import { createSyncFixture, targetDomain, testPacing, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';

const messages = 600;

/**
 * Every run ends within its age limit, also while paused, so a patch can be
 * retired by a date (README, "Changing workflow code safely"). A pause in the
 * middle of an initial sync continues as new with the cycle it interrupted.
 */
describe('user sync: a long pause continues as new', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  let api: ApiClient;
  const targetOf = (u: DirectoryUser) => `${u.mail!.split('@')[0]}@${targetDomain}`;
  const arrived = () => (fixture.google.emulator.getUser(targetOf(user)) ? fixture.google.emulator.messagesOf(targetOf(user)) : []);

  beforeAll(async () => {
    // 40 imports a second: the copy lasts long enough to be paused in the middle.
    fixture = await createSyncFixture({ pacing: { ...testPacing, gmailUserUnitsPerMinute: 25 * 60 * 40 } });
    user = fixture.m365.emulator.seed({ seed: 61, users: 1, messagesPerUser: messages, failingItemsPerUser: 0, groups: false }).users[0]!;
    api = apiClient(createApiApp(fixture.temporal, fixture.store));
  });
  afterAll(async () => fixture?.close());

  it('starts a new run while paused in the middle of an initial sync, stays Paused, and finishes that same cycle exactly once after the resume', async () => {
    const { syncUserId, handle } = await fixture.startSync(user, { tuning: { maxRunSeconds: 8, heartbeatTimeoutSeconds: 30 } });
    const firstRunId = (await handle.describe()).runId;
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.InitialSync && arrived().length >= 50, 120_000);
    expect((await api.post(`/api/sync-status/${syncUserId}/pause`)).status).toBe(202);
    const atPause = arrived().length;
    expect(atPause).toBeLessThan(messages);

    // The run's age limit passes while paused: a new run takes over, still paused, still in the first copy.
    let description = await handle.describe();
    const deadline = Date.now() + 60_000;
    while (description.runId === firstRunId && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      description = await handle.describe();
    }
    expect(description.runId).not.toBe(firstRunId);
    const carried = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Paused);
    expect(carried).toMatchObject({ stage: 'InitialSync', pausedBy: ['operator'], dataTypes: { mail: { stage: 'InitialSync' } } });
    expect(carried.cycleInProgress).toMatchObject({ trigger: 'start' });
    expect((await fixture.store.syncUsers.get(syncUserId))!.status).toBe(SyncStatus.Paused);
    expect(arrived().length).toBe(atPause);

    expect((await api.post(`/api/sync-status/${syncUserId}/resume`)).status).toBe(202);
    const done = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced, 180_000);
    const source = sourceMessages(fixture.m365.emulator, user).filter((m) => !['outbox', 'conversationhistory'].includes(m.wellKnownFolder ?? ''));
    const copies = arrived();
    expect(copies.length).toBe(source.length);
    expect(new Set(copies.map((m) => m.messageId)).size).toBe(source.length);
    expect(done.counts.imported).toBe(source.length);
    // One initial cycle, carried across the runs under its own record, and it counts the whole copy.
    const initialCycles = (await fixture.store.cycles.listRecent(syncUserId, 50)).filter((cycle) => cycle.kind === 'initial');
    expect(initialCycles).toHaveLength(1);
    expect(initialCycles[0]).toMatchObject({ trigger: 'start', outcome: 'succeeded', counts: { imported: source.length } });
    // Mail's own stage went to the database with the user's.
    expect(await fixture.store.dataTypeStates.list(syncUserId)).toMatchObject([{ dataType: 'mail', stage: 'Recurring', initialSyncTotal: source.length }]);
    const first = fixture.temporal.client.workflow.getHandle(handle.workflowId, firstRunId);
    expect((await first.describe()).status.name).toBe('CONTINUED_AS_NEW');
    // Both sides of the hand-over: the run that continued as new while paused, and the one that carried the cycle on.
    await recordHistoryIfAsked(first, 'paused-across-runs');
    await recordHistoryIfAsked(fixture.temporal.client.workflow.getHandle(handle.workflowId, description.runId), 'paused-across-runs.next-run');
  });
});
