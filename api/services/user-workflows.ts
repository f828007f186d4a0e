import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { credentialsUpdatedSignal, pauseSignal, policySettingsChangedSignal, resumeSignal, retrySignal, statusQuery } from '../../workflows/user-sync/signals.js';
import type { PauseReason, PolicySettings, UserSyncSnapshot } from '../../workflows/user-sync/types.js';
import { forEachLimited } from './concurrency.js';

/** 'closed': the workflow has ended (an Excluded user) or never existed; nothing was delivered. */
export type SignalOutcome = 'sent' | 'closed';

export type UserSignal =
  | { name: 'pause'; reason: PauseReason }
  | { name: 'resume'; reason: PauseReason }
  | { name: 'retry' }
  | { name: 'credentialsUpdated'; connectionId: string }
  | { name: 'policySettingsChanged'; settings: PolicySettings };

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
  ) {}

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
