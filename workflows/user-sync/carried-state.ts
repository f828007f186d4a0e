import { emptyCounts, SyncStage, SyncStatus } from '../../shared/vocabulary.js';
import type { CarriedState } from '../../shared/contracts/user-sync.js';

/**
 * The version of the state one run hands the next (continue-as-new). Raise it
 * when CarriedState changes shape, and teach upgradeCarriedState the step.
 * 1: the state before it had a version.
 */
export const carriedStateVersion = 1;

export function freshState(): CarriedState {
  return {
    version: carriedStateVersion,
    stage: SyncStage.Provisioning,
    status: SyncStatus.Pending,
    pausedBy: [],
    lastError: null,
    counts: emptyCounts(),
    lastSyncAt: null,
    cyclesCompleted: 0,
    target: null,
    pendingTrigger: 'start',
  };
}

/** The one place an older run's state is read into today's shape; absent (a first run) gives a fresh state. */
export function upgradeCarriedState(carried: CarriedState | undefined): CarriedState {
  if (!carried) return freshState();
  const state: CarriedState = { ...carried, pausedBy: [...carried.pausedBy] };
  // Version 1 is the first versioned shape; states written before it have the same fields.
  state.version = carriedStateVersion;
  return state;
}
