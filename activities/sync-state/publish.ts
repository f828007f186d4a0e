import type { SyncError, SyncStage, SyncStatus } from '../../shared/vocabulary.js';
import type { Store, SyncUserPatch } from '../../store/index.js';
import type { GoogleTarget, PauseReason } from '../../shared/contracts/user-sync.js';

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

const date = (iso: string | null) => (iso ? new Date(iso) : null);

/** The workflow's state as the row the API lists from. */
export function syncStatePatch(input: PublishSyncStateInput): SyncUserPatch {
  return {
    workflowId: input.workflowId,
    runId: input.runId,
    status: input.status,
    stage: input.stage,
    pausedReason: input.pausedReason,
    error: input.error ? { code: input.error.code, message: input.error.message, at: new Date(input.error.at), details: input.error.details } : null,
    lastSyncAt: date(input.lastSyncAt),
    nextSyncAt: date(input.nextSyncAt),
    ...(input.target ? { targetEmail: input.target.email, googleUserId: input.target.googleUserId } : {}),
  };
}

/**
 * The workflow's state, projected into the database the API lists from, and
 * the exclusion's audit entry. Run as local activities: they only touch the
 * database.
 */
export function createSyncStateActivities(deps: SyncStateDeps) {
  const { store } = deps;
  return {
    async publishSyncState(input: PublishSyncStateInput): Promise<void> {
      await store.syncUsers.update(input.syncUserId, syncStatePatch(input));
    },

    async recordExclusion(input: { syncUserId: string; policyId: string; reason: string }): Promise<void> {
      await store.audit.write({ severity: 'Info', category: 'membership', code: 'USER_EXCLUDED', message: input.reason, actor: 'System', syncUserId: input.syncUserId, policyId: input.policyId, details: {} });
    },
  };
}
