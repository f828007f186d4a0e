import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { UserSyncInput, UserSyncWorkflow } from './contracts/user-sync.js';
import { SyncPolicyIdKey, SyncStageKey, SyncStatusKey } from './search-attributes.js';
import { userSyncWorkflowId } from './workflow-ids.js';

/**
 * Starts a user's sync, or returns the one already running: starting twice
 * is harmless. A closed run (an Excluded user who is selected again) may be
 * started anew; the id map in the database keeps anything from being copied twice.
 */
export async function startUserSync(client: Client, taskQueue: string, input: UserSyncInput): Promise<WorkflowHandleWithFirstExecutionRunId<UserSyncWorkflow>> {
  return client.workflow.start<UserSyncWorkflow>('userSyncWorkflow', {
    taskQueue,
    workflowId: userSyncWorkflowId(input.policyId, input.sourceUserId),
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    staticSummary: `Continuity sync of one Microsoft 365 user (policy ${input.policyId})`,
    typedSearchAttributes: [
      { key: SyncStatusKey, value: 'Pending' },
      { key: SyncStageKey, value: 'Provisioning' },
      { key: SyncPolicyIdKey, value: input.policyId },
    ],
  });
}
