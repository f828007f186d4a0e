import { condition, setHandler } from '@temporalio/workflow';
import { SyncStatus, UserErrorCode } from '../../shared/vocabulary.js';
import { refusalOf, type OperatorAction } from '../../shared/contracts/operator-actions.js';
import {
  credentialsUpdatedSignal,
  excludeSignal,
  pauseSignal,
  pauseSyncUpdate,
  policySettingsChangedSignal,
  resumeSignal,
  resumeSyncUpdate,
  retrySignal,
  retrySyncUpdate,
} from '../../shared/contracts/user-sync-messages.js';
import type { CarriedState, OperatorActionResult, PauseReason, PolicySettings } from '../../shared/contracts/user-sync.js';

/**
 * What reaches a running user from outside: operators' pause, resume and
 * retry (Updates, and the signals Temporal UI sends), the policy's pause and
 * its edited settings, fixed credentials, and the reconciler's exclusion.
 * Each handler only records what was asked; the workflow's loop acts on it.
 */
export class UserSyncControls {
  /** Why the reconciler excluded the user; set once. */
  exclusion: string | null = null;
  policy: PolicySettings;
  /** Set when the policy's settings change while the user waits: the wait is measured again. */
  policyChanged = false;

  constructor(
    private readonly state: CarriedState,
    cycleIntervalSeconds: number,
  ) {
    this.policy = { cycleIntervalSeconds, dataTypes: ['mail'] };
  }

  isPaused(): boolean {
    return this.state.pausedBy.length > 0 && this.exclusion === null;
  }

  /** The policy's settings as read or pushed; the data types take effect at the next cycle, the interval at once. */
  takePolicy(settings: PolicySettings | null): void {
    if (!settings) return;
    if (settings.dataTypes) this.policy.dataTypes = [...settings.dataTypes];
    if (settings.cycleIntervalSeconds === this.policy.cycleIntervalSeconds) return;
    this.policy.cycleIntervalSeconds = settings.cycleIntervalSeconds;
    this.policyChanged = true;
  }

  register(): void {
    setHandler(pauseSignal, (args) => this.pause(args?.reason ?? 'operator'));
    setHandler(resumeSignal, (args) => this.resume(args?.reason ?? 'operator'));
    setHandler(retrySignal, () => this.requestCycle());
    setHandler(credentialsUpdatedSignal, () => this.credentialsUpdated());
    setHandler(policySettingsChangedSignal, (settings) => this.takePolicy(settings));
    setHandler(excludeSignal, ({ reason }) => {
      this.exclusion ??= reason;
    });
    setHandler(pauseSyncUpdate, () => this.pauseAndWait(), { validator: this.validatorFor('pause') });
    setHandler(resumeSyncUpdate, () => this.resumeAndWait(), { validator: this.validatorFor('resume') });
    setHandler(
      retrySyncUpdate,
      () => {
        this.requestCycle();
        return this.answer();
      },
      { validator: this.validatorFor('retry') },
    );
  }

  private pause(reason: PauseReason): void {
    if (!this.state.pausedBy.includes(reason)) this.state.pausedBy.push(reason);
  }

  private resume(reason: PauseReason): void {
    this.state.pausedBy = this.state.pausedBy.filter((r) => r !== reason);
  }

  private requestCycle(): void {
    this.state.pendingTrigger ??= 'operator';
  }

  private credentialsUpdated(): void {
    // Only users held up by credentials (or an unreachable service) need to run again at once.
    const code = this.state.lastError?.code;
    if (code === UserErrorCode.AuthTokenExpired || code === UserErrorCode.ConnectionUnavailable) this.state.pendingTrigger = 'credentials-updated';
  }

  /** Answered once the user is Paused: a copy in flight stops at its next message (unlessPaused). */
  private async pauseAndWait(): Promise<OperatorActionResult> {
    this.pause('operator');
    await condition(() => this.state.status === SyncStatus.Paused || this.exclusion !== null);
    return this.answer();
  }

  private async resumeAndWait(): Promise<OperatorActionResult> {
    this.resume('operator');
    await condition(() => this.state.status !== SyncStatus.Paused || this.isPaused());
    return this.answer();
  }

  private validatorFor(action: OperatorAction): () => void {
    return () => {
      const refusal = refusalOf(action, this.state.pausedBy, this.exclusion !== null || this.state.status === SyncStatus.Excluded);
      if (refusal) throw refusal;
    };
  }

  private answer(): OperatorActionResult {
    return { status: this.state.status, pausedBy: [...this.state.pausedBy] };
  }
}
