import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { startUserSync } from '../../shared/start-user-sync.js';
import { userSyncWorkflowId } from '../../shared/workflow-ids.js';
import { MembershipAuditCode, SyncStatus, UserErrorCode } from '../../shared/vocabulary.js';
import type { PairOutcomeView, PolicyView, Store, SyncUserView } from '../../store/index.js';
import type { UserSyncTuning } from '../../shared/contracts/user-sync.js';
import { excludeSignal } from '../../shared/contracts/user-sync-messages.js';
import type { ConnectionClients } from '../../connectors/connection-clients.js';
import { readSelection, type SelectionReport } from '../../connectors/microsoft365/select-users.js';
import { assertSourceMailbox } from '../provisioning/source-user.js';
import { targetEmailFor } from '../provisioning/username.js';
import { hasWorkflow, signalIfOpen, tellUsersOfSwitch } from './policy-switch.js';
import { asTemporalFailure, directoryFailure, missingGroupsFailure, reportFailure, reportRecovered, startFailure, unexpectedFailure, type ReconcileFailure } from './reconcile-failures.js';

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
  /** Unused since the policy records which state its users were told (usersToldEnabled); kept as running workflows send it. */
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
  /** Selected users whose mailbox pair another policy's sync carries. */
  syncedElsewhere: number;
}

export async function reconcilePolicyMembership(deps: MembershipDeps, input: ReconcileInput): Promise<ReconcileResult> {
  const policy = await deps.store.policies.get(input.policyId);
  if (!policy) return { ...emptyResult(), policyDeleted: true };
  try {
    return await reconcilePass(deps, input, policy);
  } catch (err) {
    // Already a Temporal failure (reported where it was raised), or the activity was cancelled: nothing to add.
    if (err instanceof ApplicationFailure || (err as Error).name === 'CancelledFailure') throw err;
    const failure = err instanceof ReportedFailure ? err.failure : unexpectedFailure(err);
    await reportFailure(deps.store, policy.id, failure);
    throw asTemporalFailure(failure);
  }
}

/** A failure already worded for the administrator. */
class ReportedFailure extends Error {
  constructor(readonly failure: ReconcileFailure) {
    super(failure.message);
  }
}

function emptyResult(): ReconcileResult {
  return { policyDeleted: false, enabled: false, intervalSeconds: 0, selected: 0, started: 0, excluded: 0, stalled: 0, syncedElsewhere: 0 };
}

async function reconcilePass(deps: MembershipDeps, input: ReconcileInput, policy: PolicyView): Promise<ReconcileResult> {
  const { store, temporal } = deps;
  const result: ReconcileResult = { ...emptyResult(), enabled: policy.enabled, intervalSeconds: policy.cycleIntervalSeconds };
  const rows = await store.syncUsers.listByPolicy(policy.id);

  // Disabled: its users wait, paused (one signal each, see policy-switch.ts), and the directory is not read.
  await tellUsersOfSwitch(store, temporal.client, policy, rows);
  if (!policy.enabled) return result;

  // Heartbeats carry counts only. A large directory is many pages (999 users each), read well within any heartbeat timeout.
  const ctx = Context.current();
  const progress = { pages: 0, users: 0 };
  const beat = () => ctx.heartbeat({ ...progress });
  const selection = await readDirectory(deps, policy, () => {
    progress.pages += 1;
    beat();
  });
  result.selected = selection.users.length;
  const failures: ReconcileFailure[] = [];
  if (selection.missingGroupIds.length > 0) failures.push(missingGroupsFailure(selection.missingGroupIds));

  const known = new Map(rows.map((row) => [row.sourceUserId, row]));
  const owners = await store.syncUsers.ownersOfShadows(policy.id);
  const starts = { failed: 0, lastError: undefined as unknown };
  for (const user of selection.users) {
    progress.users += 1;
    if (progress.users % 200 === 0) beat();
    const row = known.get(user.id);
    if (row && isSettled(row, owners, policy.id)) continue;
    // Excluded for having no mailbox (a guest, no Exchange licence): started again only once Exchange Online
    // has a mailbox for them, else it would end the same way at every evaluation.
    if (row?.status === SyncStatus.Excluded && row.errorCode === UserErrorCode.NoMailbox && !(await hasMailboxNow(deps, policy.sourceConnectionId, user.id))) continue;
    const outcome = await store.syncUsers.selectPair({
      policyId: policy.id,
      sourceUserId: user.id,
      workflowId: userSyncWorkflowId(policy.id, user.id),
      sourceEmail: user.mail || user.userPrincipalName,
      targetEmail: targetEmailFor(user, policy.usernameMapping, policy.targetDomain),
      displayName: user.displayName || user.userPrincipalName,
      sourceConnectionId: policy.sourceConnectionId,
      targetConnectionId: policy.targetConnectionId,
    });
    try {
      const counted = await actOn(deps, input, policy, outcome);
      if (counted === 'started') result.started += 1;
      if (counted === 'elsewhere') result.syncedElsewhere += 1;
    } catch (err) {
      // One user's failed start never stops the others; their row (Pending, no run) is started again at the next pass.
      starts.failed += 1;
      starts.lastError = err;
    }
  }
  if (starts.failed > 0) failures.unshift(startFailure(starts.failed, starts.lastError));

  // Who left the selection is only known when every rule could be read: a missing group excludes nobody.
  if (selection.missingGroupIds.length === 0) result.excluded = await excludeUnselected(deps, policy, rows, new Set(selection.users.map((user) => user.id)));
  result.stalled = await reportStalledInitialSyncs(store, policy.id, rows.filter(hasWorkflow), (input.stalledAfterSeconds ?? 30 * 60) * 1000);

  const [failure] = failures;
  if (failure) await reportFailure(store, policy.id, failure);
  else await reportRecovered(store, policy.id);
  return result;
}

async function readDirectory(deps: MembershipDeps, policy: PolicyView, onPage: () => void): Promise<SelectionReport> {
  try {
    const graph = await deps.connections.graph(policy.sourceConnectionId);
    return await readSelection(graph, policy.rules, { onPage });
  } catch (err) {
    if (err instanceof ApplicationFailure || (err as Error).name === 'CancelledFailure') throw err;
    throw new ReportedFailure(directoryFailure(err));
  }
}

/**
 * Nothing to do for a selected user whose row is this policy's running sync of
 * the pair (its start confirmed), or a SyncedElsewhere row whose pair another
 * policy's sync still carries: the pass writes nothing for them.
 */
function isSettled(row: SyncUserView, owners: Map<string, SyncUserView>, policyId: string): boolean {
  if (row.status === SyncStatus.SyncedElsewhere) {
    const owner = row.syncedByUserId === null ? undefined : owners.get(row.syncedByUserId);
    return owner !== undefined && owner.ownsPair && owner.policyId !== policyId && owner.status !== SyncStatus.Excluded;
  }
  if (!row.ownsPair || row.status === SyncStatus.Excluded) return false;
  return !(row.status === SyncStatus.Pending && row.runId === null);
}

/** What a selection means: start the pair's sync, retry a start, record SyncedElsewhere, or stop a duplicate. */
async function actOn(deps: MembershipDeps, input: ReconcileInput, policy: PolicyView, outcome: PairOutcomeView): Promise<'started' | 'elsewhere' | 'none'> {
  const { store } = deps;
  const audit = (code: string, message: string, details: Record<string, unknown> = {}) =>
    store.audit.write({ severity: 'Info', category: 'membership', code, message, actor: 'System', syncUserId: outcome.user.id, policyId: policy.id, details });
  switch (outcome.kind) {
    case 'elsewhere':
      if (outcome.entered) {
        await audit(
          MembershipAuditCode.UserSyncedElsewhere,
          `The user also matches this policy, but policy ${outcome.owner.policyId} already syncs their mailbox to the same Google Workspace connection; this policy starts no second copy, and takes the sync over if that policy lets the user go.`,
          { syncedByUserId: outcome.owner.id, syncedByPolicyId: outcome.owner.policyId },
        );
      }
      return 'elsewhere';
    case 'duplicate': {
      // From before pairs had keys: two workflows on one pair. This one stops; the next pass records it as SyncedElsewhere.
      const reason = `The user's mailbox is synced by policy ${outcome.owner.policyId}; this policy's second sync of it stops.`;
      await signalIfOpen(deps.temporal.client, outcome.user.workflowId, (handle) => handle.signal(excludeSignal, { reason }));
      return 'none';
    }
    case 'existing':
      // The row was written but its start was not confirmed (a crash, or Temporal refused): start it now.
      if (outcome.user.status !== SyncStatus.Pending || outcome.user.runId !== null) return 'none';
      await startSync(deps, input, policy, outcome.user);
      return 'none';
    case 'created':
    case 'reselected':
    case 'takenOver':
      await startSync(deps, input, policy, outcome.user);
      if (outcome.kind === 'takenOver') {
        await audit(
          MembershipAuditCode.UserTakenOver,
          `This policy now syncs the user${outcome.previousPolicyId ? ` (policy ${outcome.previousPolicyId} let them go)` : ''}; the sync carries on with the same id map, so nothing already copied is copied again.`,
          { previousPolicyId: outcome.previousPolicyId },
        );
      } else {
        const reselected = outcome.kind === 'reselected';
        await audit(
          reselected ? MembershipAuditCode.UserReselected : MembershipAuditCode.UserSelected,
          reselected ? 'The user matches the policy again; the sync resumes and copies only what is new.' : 'The user matches the policy; their sync starts.',
        );
      }
      return 'started';
  }
}

async function startSync(deps: MembershipDeps, input: ReconcileInput, policy: PolicyView, row: SyncUserView): Promise<void> {
  const handle = await startUserSync(deps.temporal.client, deps.temporal.taskQueue, {
    syncUserId: row.id,
    policyId: policy.id,
    sourceUserId: row.sourceUserId,
    sourceConnectionId: policy.sourceConnectionId,
    targetConnectionId: policy.targetConnectionId,
    cycleIntervalSeconds: input.userCycleIntervalSeconds ?? policy.cycleIntervalSeconds,
    tuning: input.userSyncTuning,
  });
  // The start is confirmed: a row still Pending without a run is one whose start the next pass retries.
  await deps.store.syncUsers.update(row.id, { runId: handle.firstExecutionRunId });
}

/** Rows whose user the rules no longer select: their workflow is told to exclude them; rows without one become Excluded here. */
async function excludeUnselected(deps: MembershipDeps, policy: PolicyView, rows: SyncUserView[], selectedIds: Set<string>): Promise<number> {
  const { store, temporal } = deps;
  let excluded = 0;
  for (const row of rows) {
    if (row.status === SyncStatus.Excluded || selectedIds.has(row.sourceUserId)) continue;
    const reason = `The user no longer matches the rules of policy "${policy.name}" (removed from its groups or domain, disabled, or gone from Microsoft 365).`;
    const open = row.status !== SyncStatus.SyncedElsewhere && (await signalIfOpen(temporal.client, row.workflowId, (h) => h.signal(excludeSignal, { reason })));
    if (!open) {
      await store.audit.write({
        severity: 'Info',
        category: 'membership',
        code: MembershipAuditCode.UserExcluded,
        message: reason,
        actor: 'System',
        syncUserId: row.id,
        policyId: policy.id,
        details: {},
      });
      await store.syncUsers.update(row.id, { status: SyncStatus.Excluded, nextSyncAt: null });
    }
    excluded += 1;
  }
  return excluded;
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
