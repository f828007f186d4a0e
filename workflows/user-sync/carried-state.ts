import { emptyCounts, SyncStage, SyncStatus } from '../../shared/vocabulary.js';
import type { CarriedState, CarriedStateV1 } from '../../shared/contracts/user-sync.js';

/**
 * The version of the state one run hands the next (continue-as-new). Raise it
 * when CarriedState changes shape, and teach upgradeCarriedState the step.
 * 1: the state before it had a version (mail only, one stage).
 * 2: each data type has its own stage (dataTypes); mail's skipped folders moved there;
 *    a pause carries the status to return to and the cycle it interrupted across runs.
 */
export const carriedStateVersion = 2;

export function freshState(): CarriedState {
  return {
    version: carriedStateVersion,
    stage: SyncStage.Provisioning,
    dataTypes: {},
    status: SyncStatus.Pending,
    pausedBy: [],
    lastError: null,
    counts: emptyCounts(),
    lastSyncAt: null,
    cyclesCompleted: 0,
    target: null,
    pendingTrigger: 'start',
    statusBeforePause: null,
    cycleInProgress: null,
  };
}

/** The one place an older run's state is read into today's shape; absent (a first run) gives a fresh state. */
export function upgradeCarriedState(carried: CarriedState | CarriedStateV1 | undefined): CarriedState {
  if (!carried) return freshState();
  if ((carried.version ?? 1) >= 2) {
    const current = carried as CarriedState;
    return { ...current, pausedBy: [...current.pausedBy], dataTypes: copyDataTypes(current.dataTypes), version: carriedStateVersion };
  }
  // 1 → 2: until then mail was the only type, and the user's stage was mail's.
  const { skippedFolderIds, ...v1 } = carried as CarriedStateV1;
  const dataTypes: CarriedState['dataTypes'] =
    v1.stage === SyncStage.InitialSync || v1.stage === SyncStage.Recurring ? { mail: { stage: v1.stage, skippedContainerIds: [...(skippedFolderIds ?? [])] } } : {};
  return { ...v1, pausedBy: [...v1.pausedBy], dataTypes, statusBeforePause: null, cycleInProgress: null, version: carriedStateVersion };
}

// The workflow sandbox has no structuredClone.
function copyDataTypes(dataTypes: CarriedState['dataTypes']): CarriedState['dataTypes'] {
  return Object.fromEntries(Object.entries(dataTypes).map(([type, progress]) => [type, { ...progress, skippedContainerIds: [...progress.skippedContainerIds] }]));
}
