import type { DataType, SyncableDataType } from '../data-types.js';
import type { ItemCounts, SyncError, SyncStage, SyncStatus } from '../vocabulary.js';

/** Why a user is paused: an operator did it, or the policy is disabled. */
export type PauseReason = 'operator' | 'policy-disabled';

/** Why the workflow refuses an operator's update; the API answers each with 409 and a sentence. */
export const OperatorRefusal = {
  AlreadyPaused: 'ALREADY_PAUSED',
  PausedByPolicy: 'PAUSED_BY_POLICY',
  NotPaused: 'NOT_PAUSED',
  UserPaused: 'USER_PAUSED',
  UserExcluded: 'USER_EXCLUDED',
} as const;
export type OperatorRefusal = (typeof OperatorRefusal)[keyof typeof OperatorRefusal];

/** What an operator's update answers: the status it left the user in. */
export interface OperatorActionResult {
  status: SyncStatus;
  pausedBy: PauseReason[];
}

/** Why a cycle runs now: the timer, an operator's retry, or fixed credentials. */
export type CycleTrigger = 'start' | 'schedule' | 'operator' | 'credentials-updated';

/** What a cycle takes from its policy; read afresh at every cycle, and pushed by the API when an administrator edits it. */
export interface PolicySettings {
  cycleIntervalSeconds: number;
  /** The data types the policy names; absent in a signal from before the policy had them (mail then). */
  dataTypes?: DataType[];
}

export interface UserSyncTuning {
  /** How long a silent mail activity may go before Temporal retries it elsewhere. */
  heartbeatTimeoutSeconds?: number;
  /** Items one sync activity (syncMailFolders, ...) handles before handing back to the workflow. */
  messagesPerActivity?: number;
  /** Rediscover the containers (folder tree, ...) every N recurring cycles (initial sync always does). */
  folderDiscoveryEveryCycles?: number;
  /** Attempts of a data type's activity within one cycle before the cycle ends as Failed (throttling, outages). */
  maxActivityAttempts?: number;
  /** How long a data type activity's retries may last (schedule-to-close); default the cycle interval, at least 15 minutes. */
  retryWindowSeconds?: number;
  /** History length after which the run continues as new. */
  maxHistoryEvents?: number;
  /** Age after which the run continues as new at its next cycle (default 3 days). */
  maxRunSeconds?: number;
}

/**
 * The user-sync workflow's signature, for clients that start it by name
 * (workflows/user-sync/workflow.ts must match it; test/architecture checks that).
 */
export type UserSyncWorkflow = (input: UserSyncInput) => Promise<{ status: SyncStatus; reason: string }>;

export interface UserSyncInput {
  /** The database id of the synced user (the API's userId). */
  syncUserId: string;
  policyId: string;
  /** Microsoft Graph's immutable user id. */
  sourceUserId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  /** The policy's interval when this run started; the workflow follows later edits of the policy. */
  cycleIntervalSeconds: number;
  tuning?: UserSyncTuning;
  /** State handed over by continue-as-new; absent on the first run. */
  carried?: CarriedState;
}

/** What one run hands the next at continue-as-new; read through upgradeCarriedState (carried-state.ts). */
export interface CarriedState {
  /** carriedStateVersion when written; absent in states written before it had one. */
  version?: number;
  /**
   * The user's stage: Provisioning until the Google account exists, then
   * InitialSync while any enabled data type is in its first copy, else Recurring.
   */
  stage: SyncStage;
  /** Each data type that has begun, with its own stage. */
  dataTypes: Partial<Record<SyncableDataType, DataTypeProgress>>;
  status: SyncStatus;
  pausedBy: PauseReason[];
  lastError: SyncError | null;
  counts: ItemCounts;
  lastSyncAt: string | null;
  cyclesCompleted: number;
  target: GoogleTarget | null;
  pendingTrigger: CycleTrigger | null;
  /** The status to go back to when a pause ends (the status shown before it). */
  statusBeforePause: SyncStatus | null;
  /** A cycle a long pause interrupted when the run continued as new; the next run carries it on. */
  cycleInProgress: CycleInProgress | null;
}

export interface CycleInProgress {
  cycleId: string;
  trigger: CycleTrigger;
  countsAtStart: ItemCounts;
  changes: { updated: number; deleted: number };
}

/** Where one data type of the user stands. */
export interface DataTypeProgress {
  stage: typeof SyncStage.InitialSync | typeof SyncStage.Recurring;
  /** Containers that are not synced (mail: Outbox, ...), so that rediscovery need not ask which they are. */
  skippedContainerIds: string[];
}

/** CarriedState as version 1 wrote it: one stage, mail's only. */
export interface CarriedStateV1 extends Omit<CarriedState, 'dataTypes' | 'statusBeforePause' | 'cycleInProgress'> {
  skippedFolderIds?: string[];
}

export interface GoogleTarget {
  email: string;
  googleUserId: string;
}

/** What the `status` query answers: enough for an operator to see what is happening and why. */
export interface UserSyncSnapshot extends CarriedState {
  syncUserId: string;
  policyId: string;
  nextSyncAt: string | null;
  /** What the workflow is doing right now, in words. */
  currentActivity: string;
}
