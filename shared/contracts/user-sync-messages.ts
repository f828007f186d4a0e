import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OperatorActionResult, PauseReason, PolicySettings, UserSyncSnapshot } from './user-sync.js';

// Signals are idempotent: sending one twice has the effect of sending it once.
export const pauseSignal = defineSignal<[{ reason?: PauseReason }?]>('pause');
export const resumeSignal = defineSignal<[{ reason?: PauseReason }?]>('resume');
export const retrySignal = defineSignal('retry');
export const credentialsUpdatedSignal = defineSignal<[{ connectionId?: string }?]>('credentialsUpdated');
/** The policy was edited: the settings a cycle uses, as they are now (no personal data). */
export const policySettingsChangedSignal = defineSignal<[PolicySettings]>('policySettingsChanged');
/** The membership reconciler: the user no longer matches the policy (or left the directory). */
export const excludeSignal = defineSignal<[{ reason: string }]>('exclude');
export const statusQuery = defineQuery<UserSyncSnapshot>('status');

/**
 * An operator's pause, resume and retry, as Updates: the workflow itself
 * checks them (two requests at once cannot both pass), refuses with an
 * ApplicationFailure whose type is an OperatorRefusal, and answers once done
 * (a pause: once the user is Paused). The signals above stay for the policy's
 * own pause and for operators working in Temporal UI.
 */
export const pauseSyncUpdate = defineUpdate<OperatorActionResult>('pauseSync');
export const resumeSyncUpdate = defineUpdate<OperatorActionResult>('resumeSync');
export const retrySyncUpdate = defineUpdate<OperatorActionResult>('retrySync');
