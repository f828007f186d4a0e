import type { Store, SyncUserView } from '../../store/index.js';
import type { UserSyncSnapshot } from '../../workflows/user-sync/types.js';
import { API_ACTOR } from '../actor.js';
import { ApiProblem } from '../problem.js';
import type { UserSignal, UserWorkflows } from './user-workflows.js';

export type OperatorAction = 'pause' | 'resume' | 'retry';

export interface ActionAccepted {
  userId: string;
  action: OperatorAction;
  detail: string;
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

const accepted: Record<OperatorAction, string> = {
  pause: 'Pause requested: the sync stops at its next checkpoint (between pages of mail) and the status becomes Paused.',
  resume: 'Resume requested: the sync carries on where it stopped.',
  retry: 'A sync cycle was requested: it starts now, or right after the cycle that is running.',
};

const auditCodes: Record<OperatorAction, string> = { pause: 'USER_PAUSED', resume: 'USER_RESUMED', retry: 'USER_RETRY_REQUESTED' };

/** Pause, resume and retry of one user: the 409 rules, the signal, the audit entry. */
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
    const state = pauseStateOf(user, await this.workflows.snapshot(user.workflowId));
    const signal = this.signalFor(action, who, state);
    if ((await this.workflows.send(user.workflowId, signal)) === 'closed') {
      throw new ApiProblem(409, 'WORKFLOW_NOT_RUNNING', `The sync workflow of ${who} is not running (it ended or was never started); it starts again when a policy selects the user.`);
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
    return { userId: user.id, action, detail: accepted[action] };
  }

  private signalFor(action: OperatorAction, who: string, state: PauseState): UserSignal {
    switch (action) {
      case 'pause':
        if (state.byOperator) throw new ApiProblem(409, 'ALREADY_PAUSED', `${who} is already paused by an operator; resume them to carry on.`);
        if (state.paused) throw new ApiProblem(409, 'ALREADY_PAUSED', `${who} is already paused because their policy is disabled; enabling the policy resumes them.`);
        return { name: 'pause', reason: 'operator' };
      case 'resume':
        if (state.byOperator) return { name: 'resume', reason: 'operator' };
        if (state.byPolicy) throw new ApiProblem(409, 'PAUSED_BY_POLICY', `${who} is paused because their policy is disabled; enable the policy to resume them.`);
        throw new ApiProblem(409, 'NOT_PAUSED', `${who} is not paused, so there is nothing to resume.`);
      case 'retry':
        if (state.paused) throw new ApiProblem(409, 'USER_PAUSED', `${who} is paused; resume them before asking for a sync cycle.`);
        return { name: 'retry' };
    }
  }
}
