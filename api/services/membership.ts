import type { Client } from '@temporalio/client';
import { policyMembershipWorkflowId } from '../../shared/workflow-ids.js';

/**
 * What main.ts passes as onPolicyChanged: ask the policy's membership
 * workflow to evaluate the rules now, starting it if it is not running (a new
 * policy). Signal and workflow are named, not imported, so the API does not
 * load workflow code.
 */
export function membershipRunRequester(client: Client, taskQueue: string): (policyId: string) => Promise<void> {
  return async (policyId) => {
    await client.workflow.signalWithStart('policyMembershipWorkflow', {
      workflowId: policyMembershipWorkflowId(policyId),
      taskQueue,
      args: [{ policyId }],
      signal: 'reconcileNow',
      signalArgs: [],
    });
  };
}
