import type { Store, SyncUserView } from '../../store/index.js';
import type { SyncStatus } from '../../shared/vocabulary.js';
import { OperatorRefusal, type PauseReason } from '../../shared/contracts/user-sync.js';
import { API_ACTOR } from '../actor.js';
import { ApiProblem } from '../problem.js';
import type { UserSignal, UserWorkflows } from './user-workflows.js';

import { refusalOf, type OperatorAction } from '../../shared/contracts/operator-actions.js';

export type { OperatorAction };

export interface ActionAccepted {
  userId: string;
  action: OperatorAction;
  detail: string;
  status?: SyncStatus;
}

/** What the projection says pauses the user: what a fallback signal is checked against when no worker answers. */
function pausedByOf(user: SyncUserView): PauseReason[] {
  return user.status === 'Paused' && user.pausedReason ? [user.pausedReason as PauseReason] : [];
}

const signals: Record<OperatorAction, UserSignal> = {
  pause: { name: 'pause', reason: 'operator' },
  resume: { name: 'resume', reason: 'operator' },
  retry: { name: 'retry' },
};

/** When the workflow answered: the action took effect. */
const done: Record<OperatorAction, string> = {
  pause: 'Paused: the sync stopped (in the middle of a cycle, after the message it was copying); resume carries on where it stopped.',
  resume: 'Resumed: the sync carries on where it stopped.',
  retry: 'A sync cycle was requested: it starts now, or right after the cycle that is running.',
};

/** When the workflow took the action but had not finished it within the wait, or no worker answered (queued as a signal). */
const pending: Record<OperatorAction, string> = {
  pause: 'Pause requested: the sync stops at its next checkpoint and the status becomes Paused.',
  resume: 'Resume requested: the sync carries on where it stopped.',
  retry: 'A sync cycle was requested: it starts now, or right after the cycle that is running.',
};
const queued = ' No worker answered in time, so the request waits in Temporal and takes effect when one does.';

const auditCodes: Record<OperatorAction, string> = { pause: 'USER_PAUSED', resume: 'USER_RESUMED', retry: 'USER_RETRY_REQUESTED' };

/**
 * Pause, resume and retry of one user: the workflow's Update decides (409
 * when it refuses), then the audit entry. A workflow no worker answers for
 * gets the signal instead, checked here against what the API knows.
 */
export class OperatorActions {
  constructor(
    private readonly store: Store,
    private readonly workflows: UserWorkflows,
  ) {}

  async perform(userId: string, action: OperatorAction): Promise<ActionAccepted> {
    const user = await this.store.syncUsers.get(userId);
    if (!user) throw new ApiProblem(404, 'NOT_FOUND', `No synced user has the id ${userId}.`);
    const who = user.sourceEmail;
    if (user.status === 'Excluded') {
      throw new ApiProblem(409, 'USER_EXCLUDED', `${who} is Excluded: their sync has ended, so there is nothing to ${action}. The sync starts again if a policy selects them.`);
    }
    const outcome = await this.workflows.update(user.workflowId, action);
    let answer: ActionAccepted;
    switch (outcome.kind) {
      case 'closed':
        throw notRunning(who);
      case 'refused':
        throw refusalProblem(outcome.code, action, who, outcome.pausedBy);
      case 'done':
        answer = { userId: user.id, action, detail: done[action], status: outcome.result.status };
        break;
      case 'accepted':
        answer = { userId: user.id, action, detail: pending[action] };
        break;
      case 'unanswered': {
        // The workflow's own rules, on what the API knows.
        const pausedBy = pausedByOf(user);
        const refusal = refusalOf(action, pausedBy, false);
        if (refusal) throw refusalProblem(refusal.type as OperatorRefusal, action, who, pausedBy);
        if ((await this.workflows.send(user.workflowId, signals[action])) === 'closed') throw notRunning(who);
        answer = { userId: user.id, action, detail: pending[action] + queued };
        break;
      }
    }
    await this.store.audit.write({
      severity: 'Info',
      category: 'sync',
      code: auditCodes[action],
      message: `${API_ACTOR} asked to ${action} the sync of ${who}.`,
      actor: API_ACTOR,
      syncUserId: user.id,
      policyId: user.policyId,
    });
    return answer;
  }
}

function notRunning(who: string): ApiProblem {
  return new ApiProblem(409, 'WORKFLOW_NOT_RUNNING', `The sync workflow of ${who} is not running (it ended or was never started); it starts again when a policy selects the user.`);
}

/** The workflow's refusal as the administrator reads it: who, why, and what to do instead. */
function refusalProblem(code: OperatorRefusal, action: OperatorAction, who: string, pausedBy: readonly PauseReason[]): ApiProblem {
  switch (code) {
    case OperatorRefusal.AlreadyPaused:
      return pausedBy.includes('operator')
        ? new ApiProblem(409, code, `${who} is already paused by an operator; resume them to carry on.`)
        : new ApiProblem(409, code, `${who} is already paused because their policy is disabled; enabling the policy resumes them.`);
    case OperatorRefusal.PausedByPolicy:
      return new ApiProblem(409, code, `${who} is paused because their policy is disabled; enable the policy to resume them.`);
    case OperatorRefusal.NotPaused:
      return new ApiProblem(409, code, `${who} is not paused, so there is nothing to resume.`);
    case OperatorRefusal.UserPaused:
      return new ApiProblem(409, code, `${who} is paused; resume them before asking for a sync cycle.`);
    case OperatorRefusal.UserExcluded:
      return new ApiProblem(409, code, `${who} is being excluded: their sync is ending, so there is nothing to ${action}.`);
  }
}
