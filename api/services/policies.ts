import type { Logger } from 'pino';
import type { NewPolicy, PolicyPatch, PolicyView, Store } from '../../store/index.js';
import { API_ACTOR } from '../actor.js';
import { ApiProblem } from '../problem.js';
import type { UserWorkflows } from './user-workflows.js';

export interface PolicySwitch {
  policy: PolicyView;
  changed: boolean;
  signalledUsers: number;
}

/**
 * Policy changes with their consequences: the audit entry, the users'
 * workflows told when a policy is switched off or on, and the membership
 * reconciler told when its selection may have changed.
 */
export class PolicyService {
  constructor(
    private readonly store: Store,
    private readonly workflows: UserWorkflows,
    private readonly log: Logger,
    private readonly onPolicyChanged?: (policyId: string) => Promise<void>,
  ) {}

  async get(id: string): Promise<PolicyView> {
    const policy = await this.store.policies.get(id);
    if (!policy) throw new ApiProblem(404, 'NOT_FOUND', `No policy has the id ${id}.`);
    return policy;
  }

  async create(input: NewPolicy): Promise<PolicyView> {
    const policy = await this.store.policies.create(input);
    await this.audit(policy.id, 'POLICY_CREATED', `Policy "${policy.name}" was created (${policy.enabled ? 'enabled' : 'disabled'}).`);
    await this.notifyChanged(policy);
    return policy;
  }

  async update(id: string, patch: PolicyPatch): Promise<PolicyView> {
    await this.get(id);
    const policy = await this.store.policies.update(id, patch);
    await this.audit(id, 'POLICY_UPDATED', `Policy "${policy.name}" was changed (${Object.keys(patch).join(', ')}).`, { fields: Object.keys(patch) });
    if (patch.cycleIntervalSeconds !== undefined || patch.dataTypes !== undefined) await this.tellUsers(policy);
    await this.notifyChanged(policy);
    return policy;
  }

  /**
   * Running users take a new interval at once rather than after the wait they
   * are in, and a newly enabled data type at their next cycle. Each cycle reads the policy again anyway, so a user this misses
   * (no worker, Temporal down) catches up at its next cycle.
   */
  private async tellUsers(policy: PolicyView): Promise<void> {
    const users = await this.store.syncUsers.listByPolicy(policy.id);
    const workflowIds = users.filter((user) => user.status !== 'Excluded' && user.status !== 'SyncedElsewhere').map((user) => user.workflowId);
    try {
      await this.workflows.sendToEach(workflowIds, { name: 'policySettingsChanged', settings: { cycleIntervalSeconds: policy.cycleIntervalSeconds, dataTypes: policy.dataTypes } });
    } catch (err) {
      this.log.warn({ err, policyId: policy.id }, 'running users could not be told of the policy change; they read it at their next cycle');
    }
  }

  async delete(id: string): Promise<void> {
    const policy = await this.get(id);
    // Refused with POLICY_IN_USE (409) while a user of the policy is not Excluded.
    if (!(await this.store.policies.delete(id))) throw new ApiProblem(404, 'NOT_FOUND', `No policy has the id ${id}.`);
    await this.audit(null, 'POLICY_DELETED', `Policy "${policy.name}" (${id}) was deleted.`, { policyId: id });
  }

  /** Disabling pauses every user of the policy, enabling resumes them; both are safe to repeat. */
  async setEnabled(id: string, enabled: boolean): Promise<PolicySwitch> {
    await this.get(id);
    const { policy, changed } = await this.store.policies.setEnabled(id, enabled);
    if (changed) {
      await this.audit(id, enabled ? 'POLICY_ENABLED' : 'POLICY_DISABLED', `Policy "${policy.name}" was ${enabled ? 'enabled: its users resume' : 'disabled: its users are paused'}.`);
    }
    const signalledUsers = await this.tellUsersOfSwitch(policy);
    // The reconciler too: on enable it starts users selected meanwhile; on disable it stops reading the directory.
    // It signals the users only if this could not (usersToldEnabled, below), so each user gets one signal per switch.
    await this.notifyChanged(policy);
    return { policy, changed, signalledUsers };
  }

  /**
   * One pause or resume signal per user with a workflow, sent by whoever
   * claims the switch first: this request, or the membership pass if this one
   * could not (then it releases the claim). A repeated enable sends nothing.
   */
  private async tellUsersOfSwitch(policy: PolicyView): Promise<number> {
    if (!(await this.store.policies.claimUsersTold(policy.id, policy.enabled))) return 0;
    const users = await this.store.syncUsers.listByPolicy(policy.id);
    const workflowIds = users.filter((user) => user.status !== 'Excluded' && user.status !== 'SyncedElsewhere').map((user) => user.workflowId);
    try {
      return await this.workflows.sendToEach(workflowIds, { name: policy.enabled ? 'resume' : 'pause', reason: 'policy-disabled' });
    } catch (err) {
      // Temporal did not take them all: the membership pass (asked to run just after) sends them instead.
      this.log.warn({ err, policyId: policy.id }, 'the users could not all be told of the policy switch; the membership pass tells them');
      await this.store.policies.releaseUsersTold(policy.id);
      return 0;
    }
  }

  private async notifyChanged(policy: PolicyView): Promise<void> {
    if (!this.onPolicyChanged) return;
    try {
      await this.onPolicyChanged(policy.id);
    } catch (err) {
      this.log.warn({ err, policyId: policy.id }, 'the membership reconciler could not take the policy change');
      await this.store.audit.write({
        severity: 'Warning',
        category: 'membership',
        code: 'MEMBERSHIP_UPDATE_FAILED',
        message: `The users selected by "${policy.name}" could not be updated right after the change (${err instanceof Error ? err.message : String(err)}); the next membership run picks it up.`,
        actor: 'System',
        policyId: policy.id,
      });
    }
  }

  private async audit(policyId: string | null, code: string, message: string, details: Record<string, unknown> = {}): Promise<void> {
    await this.store.audit.write({ severity: 'Info', category: 'policy', code, message, actor: API_ACTOR, policyId, details });
  }
}
