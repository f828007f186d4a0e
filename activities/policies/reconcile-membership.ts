import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { startUserSync } from '../../shared/start-user-sync.js';
import { userSyncWorkflowId } from '../../shared/workflow-ids.js';
import { SyncStatus, UserErrorCode } from '../../shared/vocabulary.js';
import type { Store } from '../../store/index.js';
import type { UserSyncTuning } from '../../shared/contracts/user-sync.js';
import { excludeSignal, pauseSignal, resumeSignal } from '../../shared/contracts/user-sync-messages.js';
import type { ConnectionClients } from '../../connectors/connection-clients.js';
import { graphFailure } from '../failures.js';
import { selectUsers } from '../../connectors/microsoft365/select-users.js';
import { assertSourceMailbox } from '../provisioning/source-user.js';
import { targetEmailFor } from '../provisioning/username.js';

/** Whether the user is now a member with a mailbox the sync can read (any refusal or fault: not yet). */
async function hasMailboxNow(deps: MembershipDeps, sourceConnectionId: string, sourceUserId: string): Promise<boolean> {
  return assertSourceMailbox(deps.connections, { sourceConnectionId, sourceUserId }).then(
    () => true,
    () => false,
  );
}

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
  /** An initial sync without progress for this long is reported as stalled (default 30 minutes). */
  stalledAfterSeconds?: number;
}

export interface ReconcileResult {
  policyDeleted: boolean;
  enabled: boolean;
  intervalSeconds: number;
  selected: number;
  started: number;
  excluded: number;
  stalled: number;
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
  if (!policy) return { policyDeleted: true, enabled: false, intervalSeconds: 0, selected: 0, started: 0, excluded: 0, stalled: 0 };
  const result: ReconcileResult = { policyDeleted: false, enabled: policy.enabled, intervalSeconds: policy.cycleIntervalSeconds, selected: 0, started: 0, excluded: 0, stalled: 0 };
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
    // Excluded for having no mailbox (a guest, no Exchange licence): started again only once Exchange Online
    // has a mailbox for them, else it would end the same way at every evaluation.
    if (row?.errorCode === UserErrorCode.NoMailbox && !(await hasMailboxNow(deps, policy.sourceConnectionId, user.id))) continue;
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
    if (!open) {
      await store.audit.write({ severity: 'Info', category: 'membership', code: 'USER_EXCLUDED', message: reason, actor: 'System', syncUserId: row.id, policyId: policy.id, details: {} });
      await store.syncUsers.update(row.id, { status: SyncStatus.Excluded, nextSyncAt: null });
    }
    result.excluded += 1;
  }
  result.stalled = await reportStalledInitialSyncs(store, policy.id, active, (input.stalledAfterSeconds ?? 30 * 60) * 1000);
  return result;
}

/**
 * "Stuck in Initial Sync" made visible: an initial sync with no progress for
 * the threshold gets one Warning in the audit log (not one per evaluation).
 */
async function reportStalledInitialSyncs(store: Store, policyId: string, rows: Awaited<ReturnType<Store['syncUsers']['listByPolicy']>>, stalledAfterMs: number): Promise<number> {
  let stalled = 0;
  const now = Date.now();
  for (const row of rows) {
    if (row.stage !== 'InitialSync' || row.status === SyncStatus.Paused) continue;
    const lastProgress = row.lastProgressAt ?? row.createdAt;
    if (now - lastProgress.getTime() < stalledAfterMs) continue;
    stalled += 1;
    const earlier = await store.audit.list({ syncUserId: row.id, code: 'INITIAL_SYNC_STALLED', since: lastProgress, limit: 1 });
    if (earlier.items.length > 0) continue;
    const minutes = Math.round((now - lastProgress.getTime()) / 60_000);
    await store.audit.write({
      severity: 'Warning',
      category: 'sync',
      code: 'INITIAL_SYNC_STALLED',
      message: `The initial sync has made no progress for ${minutes} minute(s)${row.errorCode ? `; last error ${row.errorCode}: ${row.errorMessage}` : ''}. Check this user's errors; the workflow in Temporal UI shows what it waits for.`,
      actor: 'System',
      syncUserId: row.id,
      policyId,
      details: { lastProgressAt: lastProgress.toISOString(), status: row.status, errorCode: row.errorCode ?? null },
    });
  }
  return stalled;
}
