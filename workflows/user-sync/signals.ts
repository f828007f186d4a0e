import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { PauseReason, PolicySettings, UserSyncSnapshot } from './types.js';

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
