import type { SyncError, SyncStage, SyncStatus } from '../../shared/vocabulary.js';
import type { Store, SyncUserPatch } from '../../store/index.js';
import type { GoogleTarget, PauseReason } from '../../shared/contracts/user-sync.js';
import type { SyncableDataType } from '../../shared/data-types.js';
import { repeatKey } from './repeat-key.js';

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
  /** Each data type's stage, when one changed since the workflow last wrote them. */
  dataTypeStages?: Partial<Record<SyncableDataType, SyncStage>>;
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

/** The types' stages, before the user's row shows the status they lead to. */
export async function writeDataTypeStages({ store }: SyncStateDeps, input: PublishSyncStateInput): Promise<void> {
  for (const [dataType, stage] of Object.entries(input.dataTypeStages ?? {})) {
    await store.dataTypeStates.update(input.syncUserId, dataType as SyncableDataType, { stage });
  }
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
      await writeDataTypeStages(deps, input);
      await store.syncUsers.update(input.syncUserId, syncStatePatch(input));
    },

    /** Written once although the activity may run again (repeat-key.ts): the entry names the execution that wrote it. */
    async recordExclusion(input: { syncUserId: string; policyId: string; reason: string }): Promise<void> {
      const writtenBy = repeatKey();
      if (writtenBy) {
        const recent = await store.audit.list({ syncUserId: input.syncUserId, code: 'USER_EXCLUDED', limit: 20 });
        if (recent.items.some(({ details }) => details.workflowRunId === writtenBy.workflowRunId && details.activityId === writtenBy.activityId)) return;
      }
      await store.audit.write({
        severity: 'Info',
        category: 'membership',
        code: 'USER_EXCLUDED',
        message: input.reason,
        actor: 'System',
        syncUserId: input.syncUserId,
        policyId: input.policyId,
        details: writtenBy ?? {},
      });
    },
  };
}
