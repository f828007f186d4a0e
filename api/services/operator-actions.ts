import type { Store, SyncUserView } from '../../store/index.js';
import type { SyncStatus } from '../../shared/vocabulary.js';
import { OperatorRefusal, type PauseReason, type UserSyncSnapshot } from '../../workflows/user-sync/types.js';
import { API_ACTOR } from '../actor.js';
import { ApiProblem } from '../problem.js';
import type { UserSignal, UserWorkflows } from './user-workflows.js';

import type { OperatorAction } from '../../workflows/user-sync/operator-actions.js';

export type { OperatorAction };

export interface ActionAccepted {
  userId: string;
  action: OperatorAction;
  detail: string;
  status?: SyncStatus;
}

interface PauseState {
  paused: boolean;
  byOperator: boolean;
  byPolicy: boolean;
}

/**
 * The workflow's pause list when it answers (it changes the moment a signal
 * lands), else the projection (which changes when the workflow reaches its
 * next checkpoint).
 */
function pauseStateOf(user: SyncUserView, live: UserSyncSnapshot | null): PauseState {
  if (live) {
    return { paused: live.pausedBy.length > 0, byOperator: live.pausedBy.includes('operator'), byPolicy: live.pausedBy.includes('policy-disabled') };
  }
  const paused = user.status === 'Paused';
  return { paused, byOperator: paused && user.pausedReason === 'operator', byPolicy: paused && user.pausedReason === 'policy-disabled' };
}

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
        const signal = this.signalFor(action, who, pauseStateOf(user, null));
        if ((await this.workflows.send(user.workflowId, signal)) === 'closed') throw notRunning(who);
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

  private signalFor(action: OperatorAction, who: string, state: PauseState): UserSignal {
    switch (action) {
      case 'pause':
        if (state.paused) throw refusalProblem(OperatorRefusal.AlreadyPaused, action, who, state.byOperator ? ['operator'] : ['policy-disabled']);
        return { name: 'pause', reason: 'operator' };
      case 'resume':
        if (state.byOperator) return { name: 'resume', reason: 'operator' };
        throw refusalProblem(state.byPolicy ? OperatorRefusal.PausedByPolicy : OperatorRefusal.NotPaused, action, who, state.byPolicy ? ['policy-disabled'] : []);
      case 'retry':
        if (state.paused) throw refusalProblem(OperatorRefusal.UserPaused, action, who, []);
        return { name: 'retry' };
    }
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
