import { ActivityFailure, ApplicationFailure, CancelledFailure, TimeoutFailure, patched } from '@temporalio/workflow';
import { UserErrorCode, type SyncError } from '../../shared/vocabulary.js';

/**
 * A mail activity that ran out of time (schedule-to-close after its retries,
 * start-to-close, heartbeat) is no verdict on Microsoft or Google: while the
 * worker or the Temporal server is down, nobody runs the activity, and its
 * timers expire all the same. Temporal hands the last attempt's failure over
 * as the timeout's cause (temporalio/temporal, service/history/workflow/
 * mutable_state_impl.go, AddActivityTaskTimedOutEvent: `timeoutFailure.Cause
 * = ai.RetryLastFailure`); only an error from the service there says the
 * service was at fault.
 */

/** How activities written before cancellationOf (activities/mail/import-messages.ts) ended an attempt Temporal gave up on; they now end it with the CancelledFailure itself. */
const attemptSuperseded = 'ATTEMPT_SUPERSEDED';

const isUserErrorCode = (type: string | undefined | null): type is UserErrorCode => !!type && (Object.values(UserErrorCode) as string[]).includes(type);

/** The classified service error in a failure's cause chain (the timeout's last attempt included), if there is one. */
export function serviceErrorIn(err: unknown): ApplicationFailure | null {
  for (let cause: unknown = err, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth += 1) {
    if (cause instanceof ApplicationFailure && isUserErrorCode(cause.type)) return cause;
  }
  return null;
}

/**
 * True when the activity timed out and no attempt got an answer from the
 * service that says it failed: the sync engine itself was interrupted (a
 * stopped worker, a Temporal restart, the whole system down for a while).
 */
export function isOwnInterruption(err: unknown): boolean {
  if (!(err instanceof ActivityFailure) || !(err.cause instanceof TimeoutFailure)) return false;
  for (let cause: unknown = err.cause, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth += 1) {
    if (cause instanceof TimeoutFailure || cause instanceof CancelledFailure) continue;
    if (cause instanceof ApplicationFailure && cause.type === attemptSuperseded) continue;
    return false;
  }
  return true;
}

/**
 * One outage costs one re-run, however long it lasted. Timeouts over and over
 * with a worker running are something else: a service that accepts requests
 * and never answers also ends attempts by their heartbeat timeout. After
 * this many in a row the cycle ends as before (CONNECTION_UNAVAILABLE).
 */
const maxInterruptionsInARow = 3;

/**
 * Runs an activity again, from where its last attempt stopped, as long as it
 * fails only because the sync engine was interrupted. Each call resumes from
 * the saved progress (the activities are resumable by design), so the cycle
 * carries on instead of ending as Failed with the service blamed.
 */
export function carryOnAfterInterruption<A extends unknown[], R>(activity: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    for (let interruptions = 0; ; interruptions += 1) {
      try {
        return await activity(...args);
      } catch (err) {
        // patched(): histories written before this change replay as they ran (the cycle ended as Failed).
        if (interruptions >= maxInterruptionsInARow || !isOwnInterruption(err) || !patched('own-downtime-carries-on')) throw err;
      }
    }
  };
}

/** What a failed cycle shows: the service's classified error, or CONNECTION_UNAVAILABLE for anything else. */
export function toSyncError(err: unknown): SyncError {
  // A timeout names the last attempt's error as its cause: that error, not "timeout", says what went wrong.
  const failure = serviceErrorIn(err) ?? (err instanceof ActivityFailure ? err.cause : err);
  if (failure instanceof ApplicationFailure && failure.type && Object.values(UserErrorCode).includes(failure.type as UserErrorCode)) {
    const details = (failure.details?.[0] ?? undefined) as Record<string, unknown> | undefined;
    return { code: failure.type as UserErrorCode, message: failure.message, at: new Date().toISOString(), details };
  }
  // Anything unclassified after the retries: the service did not let us finish.
  const message = failure instanceof Error ? failure.message : String(failure);
  return { code: UserErrorCode.ConnectionUnavailable, message: `The cycle could not finish: ${message}`, at: new Date().toISOString() };
}
