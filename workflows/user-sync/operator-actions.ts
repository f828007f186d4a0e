import { ApplicationFailure, CancellationScope, condition } from '@temporalio/workflow';
import { OperatorRefusal, type PauseReason } from './types.js';

export type OperatorAction = 'pause' | 'resume' | 'retry';

/**
 * Why the workflow refuses an operator's action now, or null when it takes
 * it. Decided inside the workflow (an Update's validator), so two requests
 * at once see each other. The message names no one: the API adds who.
 */
export function refusalOf(action: OperatorAction, pausedBy: readonly PauseReason[], excluded: boolean): ApplicationFailure | null {
  const refuse = (type: OperatorRefusal, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true, details: [{ pausedBy: [...pausedBy] }] });
  if (excluded) return refuse(OperatorRefusal.UserExcluded, 'The user is being excluded: their sync is ending.');
  const byOperator = pausedBy.includes('operator');
  const byPolicy = pausedBy.includes('policy-disabled');
  switch (action) {
    case 'pause':
      if (byOperator) return refuse(OperatorRefusal.AlreadyPaused, 'Already paused by an operator.');
      if (byPolicy) return refuse(OperatorRefusal.AlreadyPaused, 'Already paused: the policy is disabled.');
      return null;
    case 'resume':
      if (byOperator) return null;
      if (byPolicy) return refuse(OperatorRefusal.PausedByPolicy, 'Paused because the policy is disabled; only enabling the policy resumes.');
      return refuse(OperatorRefusal.NotPaused, 'Not paused.');
    case 'retry':
      if (pausedBy.length > 0) return refuse(OperatorRefusal.UserPaused, 'Paused: resume before asking for a cycle.');
      return null;
  }
}

/**
 * Runs `work` (an activity that may run for minutes) and cancels it the
 * moment `isPaused` holds. Answers 'paused' when the pause stopped it; the
 * caller's next checkpoint then shows Paused, and a resume carries on from
 * what the activity recorded.
 */
export async function unlessPaused<T>(isPaused: () => boolean, work: () => Promise<T>): Promise<T | 'paused'> {
  let settled = false;
  const scope = new CancellationScope();
  const running = scope.run(work);
  void running.then(
    () => (settled = true),
    () => (settled = true),
  );
  void condition(() => settled || isPaused()).then(() => {
    if (!settled) scope.cancel();
  });
  try {
    return await running;
  } catch (err) {
    // Whatever ended an activity we cancelled (its cancellation, or a timeout), the user is pausing: a
    // failure that is real comes back when the copy carries on.
    if (scope.consideredCancelled) return 'paused';
    throw err;
  }
}
