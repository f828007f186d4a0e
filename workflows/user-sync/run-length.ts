import { patched, workflowInfo } from '@temporalio/workflow';
import type { UserSyncTuning } from '../../shared/contracts/user-sync.js';

/**
 * The history length a run continues as new at. A worker replays a run's whole history whenever it
 * picks up a user it evicted from its cache, and a replay costs about 15 ms plus 0.8 ms of CPU per
 * event (README "Memory bounded by design"): at 1,000 events a cycle of an evicted user would cost
 * some 0.4 s on average, at 150 (about ten idle cycles) 0.08 s, while continuing as new costs a few
 * events and one workflow task per run. Runs started before a patch keep its predecessor's limit.
 */
function runHistoryLimit(): number {
  if (patched('runs-of-150-events')) return 150;
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
