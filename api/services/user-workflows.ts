import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import type { OperatorAction } from '../../shared/contracts/operator-actions.js';
import {
  credentialsUpdatedSignal,
  pauseSignal,
  pauseSyncUpdate,
  policySettingsChangedSignal,
  resumeSignal,
  resumeSyncUpdate,
  retrySignal,
  retrySyncUpdate,
  statusQuery,
} from '../../shared/contracts/user-sync-messages.js';
import type { OperatorActionResult, OperatorRefusal, PauseReason, PolicySettings, UserSyncSnapshot } from '../../shared/contracts/user-sync.js';
import { forEachLimited } from './concurrency.js';

/** 'closed': the workflow has ended (an Excluded user) or never existed; nothing was delivered. */
export type SignalOutcome = 'sent' | 'closed';

export type UserSignal =
  | { name: 'pause'; reason: PauseReason }
  | { name: 'resume'; reason: PauseReason }
  | { name: 'retry' }
  | { name: 'credentialsUpdated'; connectionId: string }
  | { name: 'policySettingsChanged'; settings: PolicySettings };

/**
 * How an operator's update went: done (with the status it left), refused by
 * the workflow, accepted but not finished within the wait (a pause waits for
 * the copy in flight to stop), the workflow closed, or no worker took it in
 * time (the caller falls back to a signal).
 */
export type UpdateOutcome =
  { kind: 'done'; result: OperatorActionResult } | { kind: 'refused'; code: OperatorRefusal; pausedBy: PauseReason[] } | { kind: 'accepted' } | { kind: 'closed' } | { kind: 'unanswered' };

const operatorUpdates = { pause: pauseSyncUpdate, resume: resumeSyncUpdate, retry: retrySyncUpdate } as const;

/** Signals sent at once when one change concerns many users (a policy, a connection). */
const FAN_OUT_CONCURRENCY = 16;

/**
 * The API's only way into the users' workflows: their status query, the
 * four operator signals, and the news of a policy edit. Signals are idempotent in the workflow, so sending
 * one twice is harmless.
 */
export class UserWorkflows {
  constructor(
    private readonly temporal: Client,
    private readonly queryTimeoutMs: number,
    /** How long an operator's update may take to finish (a pause: until the user is Paused). */
    private readonly updateResultTimeoutMs = 20_000,
  ) {}

  /**
   * Runs an operator's action as the workflow's Update: its validator decides
   * (inside the workflow, so concurrent requests see each other), and the
   * answer comes once the action took effect.
   */
  async update(workflowId: string, action: OperatorAction): Promise<UpdateOutcome> {
    const handle = this.temporal.workflow.getHandle(workflowId);
    let started;
    try {
      started = await this.temporal.withDeadline(Date.now() + this.queryTimeoutMs, () => handle.startUpdate(operatorUpdates[action], { waitForStage: WorkflowUpdateStage.ACCEPTED }));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { kind: 'closed' };
      if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return { kind: 'unanswered' };
      const refusal = refusalIn(err);
      if (refusal) return refusal;
      throw err;
    }
    try {
      return { kind: 'done', result: await this.temporal.withDeadline(Date.now() + this.updateResultTimeoutMs, () => started.result()) };
    } catch (err) {
      if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return { kind: 'accepted' };
      // A validator's refusal comes back as the update's outcome, read here.
      const refusal = refusalIn(err);
      if (refusal) return refusal;
      throw err;
    }
  }

  /** The workflow's own view, or null when it is closed, unknown, or does not answer in time (no worker). */
  async snapshot(workflowId: string): Promise<UserSyncSnapshot | null> {
    const handle = this.temporal.workflow.getHandle(workflowId);
    try {
      return await this.temporal.withDeadline(Date.now() + this.queryTimeoutMs, () => handle.query(statusQuery));
    } catch {
      // Whatever the reason, the database projection answers instead.
      return null;
    }
  }

  async send(workflowId: string, signal: UserSignal): Promise<SignalOutcome> {
    const handle = this.temporal.workflow.getHandle(workflowId);
    try {
      switch (signal.name) {
        case 'pause':
          await handle.signal(pauseSignal, { reason: signal.reason });
          break;
        case 'resume':
          await handle.signal(resumeSignal, { reason: signal.reason });
          break;
        case 'retry':
          await handle.signal(retrySignal);
          break;
        case 'credentialsUpdated':
          await handle.signal(credentialsUpdatedSignal, { connectionId: signal.connectionId });
          break;
        case 'policySettingsChanged':
          await handle.signal(policySettingsChangedSignal, signal.settings);
          break;
      }
      return 'sent';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'closed';
      throw err;
    }
  }

  /** The same signal to many users; returns how many workflows received it. */
  async sendToEach(workflowIds: readonly string[], signal: UserSignal): Promise<number> {
    let sent = 0;
    await forEachLimited(workflowIds, FAN_OUT_CONCURRENCY, async (workflowId) => {
      if ((await this.send(workflowId, signal)) === 'sent') sent += 1;
    });
    return sent;
  }
}

/** The workflow's refusal (an Update validator's ApplicationFailure), if that is what `err` is. */
function refusalIn(err: unknown): UpdateOutcome | null {
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure) || !err.cause.type) return null;
  const details = (err.cause.details?.[0] ?? {}) as { pausedBy?: PauseReason[] };
  return { kind: 'refused', code: err.cause.type as OperatorRefusal, pausedBy: details.pausedBy ?? [] };
}
