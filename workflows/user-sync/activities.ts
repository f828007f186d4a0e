import { ActivityCancellationType, proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { UserErrorCode } from '../../shared/vocabulary.js';
import type { UserSyncTuning } from '../../shared/contracts/user-sync.js';
import { carryOnAfterInterruption } from './interruptions.js';
import { dataTypeActivityNames } from '../../shared/data-types.js';
import type { DataTypeActivities } from '../../activities/engine/activities.js';

/** A discover activity runs as any other; a sync activity is cancelled by a pause and waited for. */
function dataTypeStubs(remote: DataTypeActivities, copying: DataTypeActivities): DataTypeActivities {
  const stubs: Record<string, unknown> = {};
  for (const names of Object.values(dataTypeActivityNames)) {
    stubs[names.discover] = carryOnAfterInterruption(remote[names.discover]);
    stubs[names.sync] = carryOnAfterInterruption(copying[names.sync]);
  }
  return stubs as DataTypeActivities;
}

// Errors that retrying cannot fix within this cycle: the workflow records them and waits.
const notRetryable = [UserErrorCode.AuthTokenExpired, UserErrorCode.UserNotFound, UserErrorCode.GoogleUserCreationFailed];

/** Activity stubs with the retry policies of the user sync; throttling honours the server's delay through nextRetryDelay. */
export function userSyncActivities(tuning: UserSyncTuning = {}, cycleIntervalSeconds = 900) {
  const remoteOptions: ActivityOptions = {
    startToCloseTimeout: '20 minutes',
    // Throttling is retried for as long as a cycle lasts; beyond that the cycle ends as Failed
    // with the last error's code (RATE_LIMITED, CONNECTION_UNAVAILABLE) and the next one carries on.
    // A timeout with no such error behind it is our own downtime: the activity runs again (interruptions.ts).
    scheduleToCloseTimeout: `${tuning.retryWindowSeconds ?? Math.max(cycleIntervalSeconds, 900)} seconds`,
    heartbeatTimeout: `${tuning.heartbeatTimeoutSeconds ?? 60} seconds`,
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      // Unlimited by default: every attempt resumes where the last one stopped.
      maximumAttempts: tuning.maxActivityAttempts,
      nonRetryableErrorTypes: notRetryable,
    },
  };
  const remote = proxyActivities<Activities>(remoteOptions);
  // A pause cancels the copy in flight, and the workflow waits until it has really stopped (at a
  // message or page boundary, everything before recorded), so a resume never overlaps it.
  const copying = proxyActivities<Activities>({ ...remoteOptions, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED });
  const local = proxyLocalActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
  return {
    provisionGoogleUser: carryOnAfterInterruption(remote.provisionGoogleUser),
    checkSourceUser: carryOnAfterInterruption(remote.checkSourceUser),
    /** Each data type's discover and sync activities, by the names in shared/data-types.ts. */
    dataTypes: dataTypeStubs(remote, copying),
    publishSyncState: local.publishSyncState,
    recordExclusion: local.recordExclusion,
    beginSyncCycle: local.beginSyncCycle,
    finishSyncCycle: local.finishSyncCycle,
  };
}
