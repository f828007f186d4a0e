// Every workflow the worker registers. The worker bundles this file.
export { workerProbeWorkflow } from './worker-probe.js';
export { userSyncWorkflow } from './user-sync/workflow.js';
export { policyMembershipWorkflow } from './membership/workflow.js';
