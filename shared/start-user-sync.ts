import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { userSyncWorkflow } from '../workflows/user-sync/workflow.js';
import type { UserSyncInput } from '../workflows/user-sync/types.js';
import { SyncPolicyIdKey, SyncStageKey, SyncStatusKey } from './search-attributes.js';

/**
 * The workflow id of a user under a policy: Graph's immutable user id, never
 * an address (addresses change, and Temporal stores ids unencrypted).
 */
export function userSyncWorkflowId(policyId: string, sourceUserId: string): string {
  return `user-sync-${policyId}-${sourceUserId}`;
}

/**
 * Starts a user's sync, or returns the one already running: starting twice
 * is harmless. A closed run (an Excluded user who is selected again) may be
 * started anew; the id map in the database keeps anything from being copied twice.
 */
export async function startUserSync(client: Client, taskQueue: string, input: UserSyncInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof userSyncWorkflow>> {
  return client.workflow.start<typeof userSyncWorkflow>('userSyncWorkflow', {
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
