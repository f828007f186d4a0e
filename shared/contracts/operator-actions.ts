// Pure rules, free of the workflow sandbox: the workflow's Update validators and the API's fallback both use them.
import { ApplicationFailure } from '@temporalio/common';
import { OperatorRefusal, type PauseReason } from './user-sync.js';

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
