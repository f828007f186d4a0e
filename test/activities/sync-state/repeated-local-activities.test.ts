import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCycleActivities, type BeginCycleInput, type FinishCycleInput } from '../../../activities/sync-state/cycle.js';
import { createSyncStateActivities } from '../../../activities/sync-state/publish.js';
import type { PublishSyncStateInput } from '../../../activities/sync-state/publish.js';
import { SyncStage, SyncStatus, UserErrorCode, type ItemCounts } from '../../../shared/vocabulary.js';
import type { Store } from '../../../store/index.js';
import { seedPolicy, seedUser, StoreHarness, type SeededPolicy } from '../../store/fixtures.js';

// Temporal runs a local activity again when the workflow task that ran it is retried (a task
// timeout, a worker gone before it completed the task), with the same run id and activity id.
// The fleet bench found initial cycles left "running" for ever that way, beside the finished ones.
const harness = new StoreHarness();
let store: Store;
beforeAll(async () => {
  store = await harness.open();
});
afterAll(() => harness.dispose());

const zero: ItemCounts = { exported: 0, imported: 0, failed: 0, skipped: 0 };

function state(syncUserId: string, status: SyncStatus): PublishSyncStateInput {
  return { syncUserId, workflowId: `wf-${syncUserId}`, runId: 'run-1', status, stage: SyncStage.Recurring, pausedReason: null, error: null, lastSyncAt: null, nextSyncAt: null, target: null };
}

async function seededUser(name: string): Promise<{ seeded: SeededPolicy; syncUserId: string }> {
  const seeded = await seedPolicy(store);
  return { seeded, syncUserId: (await seedUser(store, seeded.policy.id, name)).id };
}

function beginInput(seeded: SeededPolicy, syncUserId: string): BeginCycleInput {
  const connections = { policyId: seeded.policy.id, sourceConnectionId: seeded.source.id, targetConnectionId: seeded.target.id };
  return { ...connections, state: state(syncUserId, SyncStatus.Syncing), kind: 'delta', trigger: 'schedule', knownContainersOf: [] };
}

/** Runs an activity as the local activity `activityId` of run `runId`, as Temporal hands it over each time it runs it. */
function runAs<A extends unknown[], R>(runId: string, activityId: string, activity: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  const environment = new MockActivityEnvironment({ isLocal: true, activityId, workflowExecution: { workflowId: 'sync-user-x', runId } });
  return environment.run(activity, ...args) as Promise<R>;
}

describe('a cycle whose local activities run again', () => {
  it('is recorded once when beginSyncCycle runs again for the same activity, and twice for two activities', async () => {
    const { seeded, syncUserId } = await seededUser('begin-again');
    const activities = createCycleActivities({ store });
    const first = await runAs('run-a', '3', activities.beginSyncCycle, beginInput(seeded, syncUserId));
    const again = await runAs('run-a', '3', activities.beginSyncCycle, beginInput(seeded, syncUserId));
    expect(first.blockedBy).toBeNull();
    expect(again).toEqual(first);
    expect((await store.cycles.listRecent(syncUserId)).map((cycle) => cycle.outcome)).toEqual(['running']);

    const next = await runAs('run-a', '7', activities.beginSyncCycle, beginInput(seeded, syncUserId));
    const otherRun = await runAs('run-b', '3', activities.beginSyncCycle, beginInput(seeded, syncUserId));
    const ids = [first, next, otherRun].map((result) => (result.blockedBy === null ? result.cycleId : null));
    expect(new Set(ids).size).toBe(3);
    expect(await store.cycles.listRecent(syncUserId)).toHaveLength(3);
  });

  it('keeps the first finish and writes its audit entry once when finishSyncCycle runs again', async () => {
    const { seeded, syncUserId } = await seededUser('finish-again');
    const activities = createCycleActivities({ store });
    const begun = await runAs('run-c', '3', activities.beginSyncCycle, beginInput(seeded, syncUserId));
    if (begun.blockedBy !== null) throw new Error('the cycle was blocked');
    const finish: FinishCycleInput = {
      policyId: seeded.policy.id,
      sourceConnectionId: seeded.source.id,
      targetConnectionId: seeded.target.id,
      state: { ...state(syncUserId, SyncStatus.Failed), error: { code: UserErrorCode.RateLimited, message: 'Gmail kept refusing.', at: new Date().toISOString() } },
      cycleId: begun.cycleId,
      outcome: 'failed',
      error: { code: UserErrorCode.RateLimited, message: 'Gmail kept refusing.', at: new Date().toISOString() },
      countsAtStart: zero,
      countsNow: zero,
      changes: { updated: 0, deleted: 0 },
    };
    await runAs('run-c', '4', activities.finishSyncCycle, finish);
    await runAs('run-c', '4', activities.finishSyncCycle, { ...finish, outcome: 'succeeded' as const, error: null });

    expect(await store.cycles.listRecent(syncUserId)).toEqual([expect.objectContaining({ id: begun.cycleId, outcome: 'failed', errorCode: UserErrorCode.RateLimited })]);
    const entries = await store.audit.list({ syncUserId, code: UserErrorCode.RateLimited });
    expect(entries.items).toHaveLength(1);
  });
});

describe('an exclusion whose local activity runs again', () => {
  it('writes its audit entry once for the same activity, and again for another run', async () => {
    const { seeded, syncUserId } = await seededUser('excluded-again');
    const { recordExclusion } = createSyncStateActivities({ store });
    const input = { syncUserId, policyId: seeded.policy.id, reason: 'The source user is disabled in Microsoft 365.' };
    await runAs('run-d', '9', recordExclusion, input);
    await runAs('run-d', '9', recordExclusion, input);
    const entries = await store.audit.list({ syncUserId, code: 'USER_EXCLUDED' });
    expect(entries.items).toEqual([expect.objectContaining({ message: input.reason, details: { workflowRunId: 'run-d', activityId: '9' } })]);

    await runAs('run-e', '9', recordExclusion, input);
    expect((await store.audit.list({ syncUserId, code: 'USER_EXCLUDED' })).items).toHaveLength(2);
  });
});
