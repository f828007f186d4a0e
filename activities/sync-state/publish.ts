import { UserErrorCode, type ItemCounts, type SyncError, type SyncStage, type SyncStatus } from '../../shared/vocabulary.js';
import type { Store } from '../../store/index.js';
import { readUserTotals } from '../mail/totals.js';
import type { CycleTrigger, GoogleTarget, PauseReason } from '../../workflows/user-sync/types.js';

export interface SyncStateDeps {
  store: Store;
}

export interface PublishSyncStateInput {
  syncUserId: string;
  workflowId: string;
  runId: string;
  status: SyncStatus;
  stage: SyncStage;
  pausedReason: PauseReason | null;
  error: SyncError | null;
  lastSyncAt: string | null;
  nextSyncAt: string | null;
  target: GoogleTarget | null;
}

export interface FinishCycleInput {
  syncUserId: string;
  policyId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  cycleId: string | null;
  outcome: 'succeeded' | 'failed';
  error: SyncError | null;
  /** The user's counts when the cycle started: what the cycle did is the difference. */
  countsAtStart: ItemCounts;
  /** Messages relabelled (read, flag, categories, moves) and deleted in the cycle. */
  changes: { updated: number; deleted: number };
}

const date = (iso: string | null) => (iso ? new Date(iso) : null);

/**
 * The workflow's state, projected into the database the API lists from, and
 * the audit entries an administrator looks for. Run as local activities: they
 * only touch the database.
 */
export function createSyncStateActivities(deps: SyncStateDeps) {
  const { store } = deps;
  return {
    async publishSyncState(input: PublishSyncStateInput): Promise<void> {
      await store.syncUsers.update(input.syncUserId, {
        workflowId: input.workflowId,
        runId: input.runId,
        status: input.status,
        stage: input.stage,
        pausedReason: input.pausedReason,
        error: input.error ? { code: input.error.code, message: input.error.message, at: new Date(input.error.at), details: input.error.details } : null,
        lastSyncAt: date(input.lastSyncAt),
        nextSyncAt: date(input.nextSyncAt),
        ...(input.target ? { targetEmail: input.target.email, googleUserId: input.target.googleUserId } : {}),
      });
    },

    /** A connection in Error blocks the cycle: calling the service again would only fail again. */
    async checkConnections(input: { sourceConnectionId: string; targetConnectionId: string }): Promise<{ blockedBy: { code: UserErrorCode; message: string; details?: Record<string, unknown> } | null }> {
      for (const connectionId of [input.sourceConnectionId, input.targetConnectionId]) {
        const connection = await store.connections.get(connectionId);
        if (connection?.status === 'Error') {
          return {
            blockedBy: {
              code: UserErrorCode.AuthTokenExpired,
              message: `The ${connection.kind === 'microsoft365' ? 'Microsoft 365' : 'Google Workspace'} connection "${connection.name}" is in Error; this user waits until its credentials are updated (Connections, Update credentials, Test connection).`,
              details: { connectionId, lastError: connection.lastError },
            },
          };
        }
      }
      return { blockedBy: null };
    },

    async recordExclusion(input: { syncUserId: string; policyId: string; reason: string }): Promise<void> {
      await store.audit.write({ severity: 'Info', category: 'membership', code: 'USER_EXCLUDED', message: input.reason, actor: 'System', syncUserId: input.syncUserId, policyId: input.policyId, details: {} });
    },

    async startSyncCycle(input: { syncUserId: string; kind: 'initial' | 'delta'; trigger: CycleTrigger }): Promise<string> {
      return store.cycles.start(input);
    },

    async finishSyncCycle(input: FinishCycleInput): Promise<void> {
      const now = await readUserTotals(store, input.syncUserId);
      const done = {
        exported: now.exported - input.countsAtStart.exported,
        imported: now.imported - input.countsAtStart.imported,
        failed: now.failed - input.countsAtStart.failed,
        skipped: now.skipped - input.countsAtStart.skipped,
      };
      if (input.cycleId) {
        await store.cycles.finish(input.cycleId, { outcome: input.outcome, errorCode: input.error?.code ?? null, counts: { ...done, ...input.changes } });
      }
      if (done.failed > 0) {
        // One entry per cycle for the items that could not be copied; the items view lists them.
        const byCode = Object.entries(await store.items.countByCode(input.syncUserId)).filter(([, n]) => n > 0);
        await store.audit.write({
          severity: 'Warning',
          category: 'item',
          code: 'ITEMS_NOT_COPIED',
          message: `${done.failed} item(s) could not be copied in this cycle; the user's items view lists each one with its reason.`,
          actor: 'System',
          syncUserId: input.syncUserId,
          policyId: input.policyId,
          details: { newFailures: done.failed, failedByCode: Object.fromEntries(byCode) },
        });
      }
      if (input.outcome === 'succeeded') {
        // A working cycle proves both connections work again.
        for (const connectionId of [input.sourceConnectionId, input.targetConnectionId]) {
          if (await store.connections.markActive(connectionId)) {
            await store.audit.write({ severity: 'Info', category: 'connection', code: 'CONNECTION_RECOVERED', message: 'The connection works again: a sync cycle completed with it.', actor: 'System', connectionId, details: {} });
          }
        }
        return;
      }
      const error = input.error!;
      await store.audit.write({
        severity: error.code === UserErrorCode.RateLimited ? 'Warning' : 'Error',
        category: 'sync',
        code: error.code,
        message: error.message,
        actor: 'System',
        syncUserId: input.syncUserId,
        policyId: input.policyId,
        details: error.details ?? {},
      });
      if (error.code === UserErrorCode.AuthTokenExpired) {
        // One connection-level entry, however many users hit the same expired credentials.
        const connectionId = error.details?.service === 'google-workspace' ? input.targetConnectionId : input.sourceConnectionId;
        const changed = await store.connections.markError(connectionId, { code: error.code, message: error.message });
        if (changed) {
          await store.audit.write({
            severity: 'Error',
            category: 'connection',
            code: 'CONNECTION_AUTH_FAILED',
            message: 'The connection\'s credentials were refused; every user of this connection is waiting. Update the credentials and run Test connection.',
            actor: 'System',
            connectionId,
            details: error.details ?? {},
          });
        }
      }
    },
  };
}
