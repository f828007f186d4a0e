import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { startUserSync, userSyncWorkflowId } from '../../shared/start-user-sync.js';
import { SyncStatus } from '../../shared/vocabulary.js';
import type { Store } from '../../store/index.js';
import type { UserSyncTuning } from '../../workflows/user-sync/types.js';
import { excludeSignal, pauseSignal, resumeSignal } from '../../workflows/user-sync/signals.js';
import type { ConnectionClients } from '../connections/clients.js';
import { graphFailure } from '../failures.js';
import { selectUsers } from '../membership/select-users.js';
import { targetEmailFor } from '../provisioning/username.js';

export interface MembershipDeps {
  store: Store;
  connections: ConnectionClients;
  temporal: { client: Client; taskQueue: string };
}

export interface ReconcileInput {
  policyId: string;
  lastEnabled: boolean | null;
  userCycleIntervalSeconds?: number;
  userSyncTuning?: UserSyncTuning;
}

export interface ReconcileResult {
  policyDeleted: boolean;
  enabled: boolean;
  intervalSeconds: number;
  selected: number;
  started: number;
  excluded: number;
}

/** Signals an open workflow; a closed one (an Excluded user) has nothing left to tell. */
async function signalIfOpen(client: Client, workflowId: string, send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>): Promise<boolean> {
  try {
    await send(client.workflow.getHandle(workflowId));
    return true;
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return false;
    throw err;
  }
}

export async function reconcilePolicyMembership(deps: MembershipDeps, input: ReconcileInput): Promise<ReconcileResult> {
  const { store, temporal } = deps;
  const policy = await store.policies.get(input.policyId);
  if (!policy) return { policyDeleted: true, enabled: false, intervalSeconds: 0, selected: 0, started: 0, excluded: 0 };
  const result: ReconcileResult = { policyDeleted: false, enabled: policy.enabled, intervalSeconds: policy.cycleIntervalSeconds, selected: 0, started: 0, excluded: 0 };
  const rows = await store.syncUsers.listByPolicy(policy.id);
  const active = rows.filter((row) => row.status !== SyncStatus.Excluded);

  if (!policy.enabled) {
    // A disabled policy runs no cycle: its users wait, paused, and the directory is not read.
    if (input.lastEnabled !== false) {
      for (const row of active) await signalIfOpen(temporal.client, row.workflowId, (h) => h.signal(pauseSignal, { reason: 'policy-disabled' }));
    }
    return result;
  }
  if (input.lastEnabled === false) {
    for (const row of active) await signalIfOpen(temporal.client, row.workflowId, (h) => h.signal(resumeSignal, { reason: 'policy-disabled' }));
  }

  const graph = await deps.connections.graph(policy.sourceConnectionId);
  let selected;
  try {
    selected = await selectUsers(graph, policy.rules);
  } catch (err) {
    throw graphFailure(err);
  }
  result.selected = selected.length;
  const ctx = Context.current();
  const known = new Map(rows.map((row) => [row.sourceUserId, row]));

  for (const user of selected) {
    const row = known.get(user.id);
    if (row && row.status !== SyncStatus.Excluded) continue;
    const workflowId = userSyncWorkflowId(policy.id, user.id);
    const { user: synced, change } = await store.syncUsers.upsertSelected({
      policyId: policy.id,
      sourceUserId: user.id,
      workflowId,
      sourceEmail: user.mail || user.userPrincipalName,
      targetEmail: targetEmailFor(user, policy.usernameMapping, policy.targetDomain),
      displayName: user.displayName || user.userPrincipalName,
    });
    await startUserSync(temporal.client, temporal.taskQueue, {
      syncUserId: synced.id,
      policyId: policy.id,
      sourceUserId: user.id,
      sourceConnectionId: policy.sourceConnectionId,
      targetConnectionId: policy.targetConnectionId,
      cycleIntervalSeconds: input.userCycleIntervalSeconds ?? policy.cycleIntervalSeconds,
      tuning: input.userSyncTuning,
    });
    await store.audit.write({
      severity: 'Info',
      category: 'membership',
      code: change === 'reselected' ? 'USER_RESELECTED' : 'USER_SELECTED',
      message: change === 'reselected' ? 'The user matches the policy again; the sync resumes and copies only what is new.' : 'The user matches the policy; their sync starts.',
      actor: 'System',
      syncUserId: synced.id,
      policyId: policy.id,
      details: {},
    });
    result.started += 1;
    ctx.heartbeat(result.started);
  }

  const selectedIds = new Set(selected.map((user) => user.id));
  for (const row of active) {
    if (selectedIds.has(row.sourceUserId)) continue;
    const reason = `The user no longer matches the rules of policy "${policy.name}" (removed from its groups or domain, disabled, or gone from Microsoft 365).`;
    const open = await signalIfOpen(temporal.client, row.workflowId, (h) => h.signal(excludeSignal, { reason }));
    if (!open) await store.syncUsers.update(row.id, { status: SyncStatus.Excluded, nextSyncAt: null });
    result.excluded += 1;
  }
  return result;
}
