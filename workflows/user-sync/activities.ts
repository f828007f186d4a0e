import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { UserErrorCode } from '../../shared/vocabulary.js';
import type { UserSyncTuning } from './types.js';

// Errors that retrying cannot fix within this cycle: the workflow records them and waits.
const notRetryable = [UserErrorCode.AuthTokenExpired, UserErrorCode.UserNotFound, UserErrorCode.GoogleUserCreationFailed];

/** Activity stubs with the retry policies of the user sync; throttling honours the server's delay through nextRetryDelay. */
export function userSyncActivities(tuning: UserSyncTuning = {}) {
  const remote = proxyActivities<Activities>({
    startToCloseTimeout: '20 minutes',
    heartbeatTimeout: `${tuning.heartbeatTimeoutSeconds ?? 60} seconds`,
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      // Enough to ride out throttling and short outages; beyond that the cycle ends as Failed
      // with the last error's code (RATE_LIMITED, CONNECTION_UNAVAILABLE) and the next cycle carries on.
      maximumAttempts: tuning.maxActivityAttempts ?? 12,
      nonRetryableErrorTypes: notRetryable,
    },
  });
  const local = proxyLocalActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
  return {
    provisionGoogleUser: remote.provisionGoogleUser,
    checkSourceUser: remote.checkSourceUser,
    discoverMailFolders: remote.discoverMailFolders,
    syncMailFolder: remote.syncMailFolder,
    listKnownMailFolders: local.listKnownMailFolders,
    publishSyncState: local.publishSyncState,
    checkConnections: local.checkConnections,
    recordExclusion: local.recordExclusion,
    startSyncCycle: local.startSyncCycle,
    finishSyncCycle: local.finishSyncCycle,
  };
}
