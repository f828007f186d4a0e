import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { reconcileNowSignal, type policyMembershipWorkflow } from '../../../workflows/membership/workflow.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { policyMembershipWorkflowId } from '../../../shared/workflow-ids.js';
import { createSyncFixture, type SyncFixture } from '../../helpers/sync-fixture.js';

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('policy membership: who is synced follows the policy and the directory', () => {
  let fixture: SyncFixture;
  let users: DirectoryUser[];
  let membership: WorkflowHandle<typeof policyMembershipWorkflow>;

  const rows = () => fixture.store.syncUsers.listByPolicy(fixture.policyId);
  const rowOf = async (user: DirectoryUser) => (await rows()).find((r) => r.sourceUserId === user.id);
  const reconcile = () => membership.signal(reconcileNowSignal);

  beforeAll(async () => {
    fixture = await createSyncFixture();
    users = fixture.m365.emulator.seed({ seed: 61, users: 3, messagesPerUser: 8, failingItemsPerUser: 0, groups: false }).users;
    membership = await fixture.temporal.client.workflow.start<typeof policyMembershipWorkflow>('policyMembershipWorkflow', {
      taskQueue: fixture.temporal.taskQueue,
      workflowId: policyMembershipWorkflowId(fixture.policyId),
      args: [{ policyId: fixture.policyId, intervalSeconds: 3600, userCycleIntervalSeconds: 3600, userSyncTuning: { heartbeatTimeoutSeconds: 5 }, stalledAfterSeconds: 600 }],
    });
  });
  afterAll(async () => fixture?.close());

  it('starts one user workflow per matching user, and every user gets synced', async () => {
    const synced = await until('all users Synced', async () => {
      const all = await rows();
      return all.length === users.length && all.every((r) => r.status === SyncStatus.Synced) && all;
    });
    expect(synced.map((r) => r.sourceUserId).sort()).toEqual(users.map((u) => u.id).sort());
    const audit = await fixture.store.audit.list({ policyId: fixture.policyId, code: 'USER_SELECTED', limit: 10 });
    expect(audit.items.length).toBe(users.length);
  });

  it('pauses every user while the policy is disabled, runs no cycle, and resumes them when it is enabled', async () => {
    await fixture.store.policies.setEnabled(fixture.policyId, false);
    await reconcile();
    await until('users paused by the policy', async () => (await rows()).every((r) => r.status === SyncStatus.Paused && r.pausedReason === 'policy-disabled'));
    const statsBefore = fixture.m365.emulator.stats.snapshot().totalRequests;
    for (const row of await rows()) await fixture.temporal.client.workflow.getHandle(row.workflowId).signal(retrySignal);
    await sleep(1500);
    expect(fixture.m365.emulator.stats.snapshot().totalRequests).toBe(statsBefore);

    await fixture.store.policies.setEnabled(fixture.policyId, true);
    await reconcile();
    await until('users synced again', async () => (await rows()).every((r) => r.status === SyncStatus.Synced));
  });

  it('excludes a user deleted from Microsoft 365, with an audit entry saying why', async () => {
    const gone = users[0]!;
    await fetch(`${fixture.m365.url}/_control/users/${gone.id}/delete`, { method: 'POST' });
    await reconcile();
    const row = await until('the deleted user Excluded', async () => {
      const r = await rowOf(gone);
      return r?.status === SyncStatus.Excluded && r;
    });
    const audit = await fixture.store.audit.list({ syncUserId: row.id, code: 'USER_EXCLUDED', limit: 5 });
    expect(audit.items[0]?.message).toMatch(/no longer matches/);
    // The others stay in (a cycle may be running for them right now).
    expect([SyncStatus.Synced, SyncStatus.Syncing]).toContain((await rowOf(users[1]!))?.status);
  });

  it('reports an initial sync that made no progress as stalled, once', async () => {
    // A user whose projection says: in Initial Sync, last progress an hour ago. The row has no
    // live workflow behind it (a worker that died mid-sync, say), so nothing else writes to it.
    const user = fixture.m365.emulator.tenant.addUser({ userPrincipalName: 'stuck.user@contoso.example', mail: 'stuck.user@contoso.example', displayName: 'Stuck User' });
    const { user: row } = await fixture.store.syncUsers.upsertSelected({
      policyId: fixture.policyId,
      sourceUserId: user.id,
      workflowId: 'user-sync-without-a-workflow',
      sourceEmail: user.mail!,
      targetEmail: 'stuck.user@example.com',
      displayName: user.displayName,
    });
    await fixture.store.syncUsers.update(row.id, { stage: 'InitialSync', status: SyncStatus.InitialSync, lastProgressAt: new Date(Date.now() - 3600_000) });
    await reconcile();
    const warning = await until('a stall warning', async () => {
      const page = await fixture.store.audit.list({ syncUserId: row.id, code: 'INITIAL_SYNC_STALLED', limit: 5 });
      return page.items.length > 0 && page.items;
    });
    expect(warning[0]!.severity).toBe('Warning');
    expect(warning[0]!.message).toMatch(/no progress for 60 minute/);
    await reconcile();
    await sleep(1500);
    const again = await fixture.store.audit.list({ syncUserId: row.id, code: 'INITIAL_SYNC_STALLED', limit: 5 });
    expect(again.items.length).toBe(1);
  });
});
