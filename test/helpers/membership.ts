import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import type { policyMembershipWorkflow, PolicyMembershipInput } from '../../workflows/membership/workflow.js';
import { reconcileNowSignal } from '../../workflows/membership/workflow.js';
import { policyMembershipWorkflowId } from '../../shared/workflow-ids.js';
import type { SyncFixture } from './sync-fixture.js';

export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export type MembershipHandle = WorkflowHandle<typeof policyMembershipWorkflow>;

/** Starts a policy's membership workflow as the worker's bootstrap does, with test-sized intervals. */
export function startMembership(fixture: SyncFixture, policyId: string, extra: Partial<PolicyMembershipInput> = {}): Promise<MembershipHandle> {
  return fixture.temporal.client.workflow.start<typeof policyMembershipWorkflow>('policyMembershipWorkflow', {
    taskQueue: fixture.temporal.taskQueue,
    workflowId: policyMembershipWorkflowId(policyId),
    args: [{ policyId, intervalSeconds: 3600, userCycleIntervalSeconds: 3600, userSyncTuning: { heartbeatTimeoutSeconds: 5 }, stalledAfterSeconds: 600, ...extra }],
  });
}

/** Membership passes that have ended (completed or failed for good) in the workflow's history. */
export async function passesEnded(handle: MembershipHandle): Promise<number> {
  const history = await handle.fetchHistory();
  const scheduled = new Map<string, string>();
  let ended = 0;
  for (const event of history.events ?? []) {
    const attributes = event.activityTaskScheduledEventAttributes;
    if (attributes?.activityType?.name) scheduled.set(String(event.eventId), attributes.activityType.name);
    const done = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
    if (done && scheduled.get(String(done.scheduledEventId)) === 'reconcilePolicyMembership') ended += 1;
  }
  return ended;
}

/** How each ended pass went: its outcome and the attempt that ended it (1: no retry was needed). */
export async function passOutcomes(handle: MembershipHandle): Promise<{ outcome: 'completed' | 'failed' | 'timedOut'; attempt: number }[]> {
  const history = await handle.fetchHistory();
  const scheduled = new Set<string>();
  const attempts = new Map<string, number>();
  const outcomes: { outcome: 'completed' | 'failed' | 'timedOut'; attempt: number }[] = [];
  for (const event of history.events ?? []) {
    const id = String(event.eventId);
    if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'reconcilePolicyMembership') scheduled.add(id);
    const started = event.activityTaskStartedEventAttributes;
    if (started && scheduled.has(String(started.scheduledEventId))) attempts.set(String(started.scheduledEventId), started.attempt ?? 1);
    const ends = [
      ['completed', event.activityTaskCompletedEventAttributes],
      ['failed', event.activityTaskFailedEventAttributes],
      ['timedOut', event.activityTaskTimedOutEventAttributes],
    ] as const;
    for (const [outcome, attributes] of ends) {
      if (attributes && scheduled.has(String(attributes.scheduledEventId))) outcomes.push({ outcome, attempt: attempts.get(String(attributes.scheduledEventId)) ?? 0 });
    }
  }
  return outcomes;
}

/** Asks for a pass now and waits until it has ended. */
export async function reconcileOnce(handle: MembershipHandle, timeoutMs = 90_000): Promise<void> {
  const before = await passesEnded(handle);
  await handle.signal(reconcileNowSignal);
  await until('a membership pass to end', async () => (await passesEnded(handle)) > before, timeoutMs);
}

/**
 * Gmail imports the Google emulator accepted: each message is one POST, a
 * multipart upload or the session of a resumable one (whose bytes follow in a PUT).
 */
export function gmailImports(fixture: SyncFixture): number {
  return fixture.google.emulator.stats().requests['POST /upload/gmail/v1/users/:userId/messages/import']?.['200'] ?? 0;
}
