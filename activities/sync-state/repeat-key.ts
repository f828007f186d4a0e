import { Context } from '@temporalio/activity';

/**
 * Which execution of a local activity this is, the same each time it runs:
 * Temporal runs a local activity again when its workflow task is retried (a
 * task timeout, a worker that died before completing it: docs.temporal.io,
 * "Local Activity"), and gives the retry the same run id and activity id.
 * What such an activity records is keyed by this, so that a repeat finds it
 * instead of recording it twice. Null outside a workflow.
 */
export function repeatKey(): { workflowRunId: string; activityId: string } | null {
  const { workflowExecution, activityId } = Context.current().info;
  return workflowExecution ? { workflowRunId: workflowExecution.runId, activityId } : null;
}
