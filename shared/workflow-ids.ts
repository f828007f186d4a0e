// Workflow ids are a contract between whoever starts a workflow (the worker's bootstrap, the membership
// reconciler) and whoever addresses it later (the API's signals, updates and queries).

/**
 * The workflow id of a user under a policy: Graph's immutable user id, never
 * an address (addresses change, and Temporal stores ids unencrypted).
 */
export function userSyncWorkflowId(policyId: string, sourceUserId: string): string {
  return `user-sync-${policyId}-${sourceUserId}`;
}

/** The one membership workflow of a policy. */
export function policyMembershipWorkflowId(policyId: string): string {
  return `policy-membership-${policyId}`;
}
