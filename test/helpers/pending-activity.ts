import type { WorkflowHandle } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';

const { PendingActivityState } = proto.temporal.api.enums.v1;

export interface PendingActivity {
  name: string;
  attempt: number;
  started: boolean;
  lastWorkerIdentity: string;
  lastStartedAtMs: number | undefined;
  lastHeartbeatAtMs: number | undefined;
}

/** The workflow's activities Temporal is waiting for, as describe() reports them (who runs them, which attempt). */
export async function pendingActivities(handle: WorkflowHandle): Promise<PendingActivity[]> {
  const { raw } = await handle.describe();
  return (raw.pendingActivities ?? []).map((activity) => ({
    name: activity.activityType?.name ?? '',
    attempt: activity.attempt ?? 0,
    started: activity.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
    lastWorkerIdentity: activity.lastWorkerIdentity ?? '',
    lastStartedAtMs: optionalTsToMs(activity.lastStartedTime),
    lastHeartbeatAtMs: optionalTsToMs(activity.lastHeartbeatTime),
  }));
}
