import { CancelledFailure } from '@temporalio/activity';

/**
 * Temporal's reason for cancelling this attempt, to be thrown as it is: the
 * worker then reports the attempt as cancelled (the workflow asked: a pause)
 * rather than failed, so nothing retries it.
 */
export function cancellationOf(signal: AbortSignal): CancelledFailure {
  return signal.reason instanceof CancelledFailure ? signal.reason : new CancelledFailure('This attempt was cancelled by Temporal.');
}
