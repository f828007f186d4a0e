import { patched, workflowInfo } from '@temporalio/workflow';
import type { UserSyncTuning } from '../../shared/contracts/user-sync.js';

/**
 * The history length a run continues as new at. A worker replays a run's whole history whenever it
 * picks up a user it evicted from its cache (about half a millisecond of CPU per event, README
 * "Performance"), so a worker with a bounded cache wants short runs: 1,000 events is about 70 idle cycles.
 */
function runHistoryLimit(): number {
  return patched('runs-of-1000-events') ? 1000 : 5000;
}

/** How long this run may still last before it continues as new (every run ends within days). */
export function runTimeLeftMs(tuning: UserSyncTuning): number {
  return workflowInfo().runStartTime.getTime() + (tuning.maxRunSeconds ?? 3 * 24 * 3600) * 1000 - Date.now();
}

/** Whether the run has grown long or old enough to hand over to the next one. */
export function isRunDue(tuning: UserSyncTuning): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > (tuning.maxHistoryEvents ?? runHistoryLimit()) || runTimeLeftMs(tuning) <= 0;
}
