import { v5 as uuidv5 } from 'uuid';
import { UserErrorCode, type ItemCounts, type SyncError } from '../../shared/vocabulary.js';
import { readUserTotals } from '../engine/totals.js';
import type { SyncableDataType } from '../../shared/data-types.js';
import type { CycleTrigger, PolicySettings } from '../../shared/contracts/user-sync.js';
import { syncStatePatch, writeDataTypeStages, type PublishSyncStateInput, type SyncStateDeps } from './publish.js';
import { observeFinishedCycle } from '../../store/metrics/cycle-metrics.js';
import { observeCycleStart } from '../../shared/metrics/sync-metrics.js';
import { repeatKey } from './repeat-key.js';

export interface BeginCycleInput {
  /** The state to show while the cycle runs (status InitialSync or Syncing). */
  state: PublishSyncStateInput;
  policyId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  kind: 'initial' | 'delta';
  trigger: CycleTrigger;
  /** The running cycle a long pause carried into this run (continue-as-new): it goes on under its own record. */
  continuesCycleId?: string | null;
  /** Data types that do not read their containers again this cycle: they work on the ones already known. */
  knownContainersOf: SyncableDataType[];
}

export interface BlockedBy {
  code: UserErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** The policy's settings as they are now (null when the policy is gone): an edit reaches a running user at its next cycle. */
export type BeginCycleResult = { policy: PolicySettings | null } & ({ blockedBy: BlockedBy } | { blockedBy: null; cycleId: string; knownContainers: Partial<Record<SyncableDataType, string[]>> });

export interface FinishCycleInput {
  /** The state to show once the cycle is over (Synced or Failed, with the next cycle's time). */
  state: PublishSyncStateInput;
  policyId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  cycleId: string | null;
  outcome: 'succeeded' | 'failed';
  error: SyncError | null;
  /** The user's counts when the cycle started: what the cycle did is the difference. */
  countsAtStart: ItemCounts;
  /** The counts the cycle's last change left, when the workflow knows them; otherwise read here. */
  countsNow: ItemCounts | null;
  /** Messages relabelled (read, flag, categories, moves) and deleted in the cycle. */
  changes: { updated: number; deleted: number };
}

/**
 * The bookkeeping around a cycle, as local activities (they only touch the
 * database): one to begin it and one to finish it, so that an idle cycle
 * costs the workflow two of them besides the mail activity itself.
 */
export function createCycleActivities(deps: SyncStateDeps) {
  const { store } = deps;
  return {
    /** A connection in Error blocks the cycle (calling the service again would only fail again); otherwise the cycle is recorded and shown. */
    async beginSyncCycle(input: BeginCycleInput): Promise<BeginCycleResult> {
      const found = await store.policies.get(input.policyId);
      const policy: PolicySettings | null = found ? { cycleIntervalSeconds: found.cycleIntervalSeconds, dataTypes: found.dataTypes } : null;
      const connections = await store.connections.getMany([input.sourceConnectionId, input.targetConnectionId]);
      for (const connectionId of [input.sourceConnectionId, input.targetConnectionId]) {
        const connection = connections.get(connectionId);
        if (connection?.status === 'Error') {
          return {
            policy,
            blockedBy: {
              code: UserErrorCode.AuthTokenExpired,
              message: `The ${connection.kind === 'microsoft365' ? 'Microsoft 365' : 'Google Workspace'} connection "${connection.name}" is in Error; this user waits until its credentials are updated (Connections, Update credentials, Test connection).`,
              details: { connectionId, lastError: connection.lastError },
            },
          };
        }
      }
      const syncUserId = input.state.syncUserId;
      await store.syncUsers.update(syncUserId, syncStatePatch(input.state));
      await writeDataTypeStages(deps, input.state);
      let cycleId = input.continuesCycleId ?? null;
      if (!cycleId) {
        const started = await store.cycles.start({ id: cycleIdOfThisActivity(), syncUserId, kind: input.kind, trigger: input.trigger });
        cycleId = started.id;
        if (started.created) observeCycleStart({ kind: input.kind, trigger: input.trigger, dueAt: input.state.nextSyncAt });
      }
      const knownContainers: Partial<Record<SyncableDataType, string[]>> = {};
      for (const dataType of input.knownContainersOf) {
        knownContainers[dataType] = (await store.containers.forType(dataType).list(syncUserId)).map((container) => container.sourceContainerId);
      }
      return { policy, blockedBy: null, cycleId, knownContainers };
    },

    /**
     * Records what the cycle did, writes the audit entries an administrator
     * looks for, and only then shows the new status, so whoever sees it finds
     * the reason already written. Returns the user's counts.
     */
    async finishSyncCycle(input: FinishCycleInput): Promise<ItemCounts> {
      const syncUserId = input.state.syncUserId;
      const now = input.countsNow ?? (await readUserTotals(store, syncUserId)).counts;
      // What this cycle added. A count can also fall (an item listed as failed went through this time,
      // or a copy whose change Gmail refused moved from imported to failed): that is no negative work.
      const added = (field: keyof ItemCounts) => Math.max(0, now[field] - input.countsAtStart[field]);
      const done = { exported: added('exported'), imported: added('imported'), failed: added('failed'), skipped: added('skipped') };
      // A repeated finish (this local activity run again, repeat-key.ts) finds the cycle finished:
      // what the first one recorded and reported stands, and is not reported twice.
      const repeated = input.cycleId !== null && !(await store.cycles.finish(input.cycleId, { outcome: input.outcome, errorCode: input.error?.code ?? null, counts: { ...done, ...input.changes } }));
      if (input.cycleId && !repeated) await observeFinishedCycle(store.cycles, syncUserId, input.cycleId, input.outcome);
      if (done.failed > 0 && !repeated) {
        // One entry per cycle for the items that could not be copied; the items view lists them.
        const byCode = Object.entries(await store.items.countByCode(syncUserId)).filter(([, n]) => n > 0);
        await store.audit.write({
          severity: 'Warning',
          category: 'item',
          code: 'ITEMS_NOT_COPIED',
          message: `${done.failed} item(s) could not be copied in this cycle; the user's items view lists each one with its reason.`,
          actor: 'System',
          syncUserId,
          policyId: input.policyId,
          details: { newFailures: done.failed, failedByCode: Object.fromEntries(byCode) },
        });
      }
      if (input.outcome === 'succeeded') await recordRecoveredConnections(deps, [input.sourceConnectionId, input.targetConnectionId]);
      else if (!repeated) await recordCycleFailure(deps, input);
      await writeDataTypeStages(deps, input.state);
      await store.syncUsers.update(syncUserId, syncStatePatch(input.state));
      return now;
    },
  };
}

/** The cycle's id, derived from this execution of beginSyncCycle, so that beginning it again finds the cycle already recorded. */
function cycleIdOfThisActivity(): string | undefined {
  const key = repeatKey();
  return key ? uuidv5(`${key.workflowRunId}/${key.activityId}`, CYCLE_ID_NAMESPACE) : undefined;
}

/** Any fixed UUID: it keeps these ids apart from other names hashed the same way. */
const CYCLE_ID_NAMESPACE = '1b671a64-40d5-491e-99b0-da01ff1e3436';

/** A working cycle proves both connections work again. */
async function recordRecoveredConnections({ store }: SyncStateDeps, connectionIds: string[]): Promise<void> {
  for (const connectionId of await store.connections.recoverFromError(connectionIds)) {
    await store.audit.write({
      severity: 'Info',
      category: 'connection',
      code: 'CONNECTION_RECOVERED',
      message: 'The connection works again: a sync cycle completed with it.',
      actor: 'System',
      connectionId,
      details: {},
    });
  }
}

async function recordCycleFailure({ store }: SyncStateDeps, input: FinishCycleInput): Promise<void> {
  const error = input.error!;
  await store.audit.write({
    severity: error.code === UserErrorCode.RateLimited ? 'Warning' : 'Error',
    category: 'sync',
    code: error.code,
    message: error.message,
    actor: 'System',
    syncUserId: input.state.syncUserId,
    policyId: input.policyId,
    details: error.details ?? {},
  });
  if (error.code !== UserErrorCode.AuthTokenExpired) return;
  // One connection-level entry, however many users hit the same expired credentials.
  const connectionId = error.details?.service === 'google-workspace' ? input.targetConnectionId : input.sourceConnectionId;
  const changed = await store.connections.markError(connectionId, { code: error.code, message: error.message });
  if (changed) {
    await store.audit.write({
      severity: 'Error',
      category: 'connection',
      code: 'CONNECTION_AUTH_FAILED',
      message: "The connection's credentials were refused; every user of this connection is waiting. Update the credentials and run Test connection.",
      actor: 'System',
      connectionId,
      details: error.details ?? {},
    });
  }
}
