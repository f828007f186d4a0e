import { DATA_TYPES, isSyncableDataType, type DataType } from '../shared/data-types.js';
import {
  ItemErrorCode as ItemErrorCodeWords,
  SyncStage as SyncStageWords,
  SyncStatus as SyncStatusWords,
  UserErrorCode as UserErrorCodeWords,
  type ItemCounts,
  type ItemErrorCode,
  type SyncStage,
  type SyncStatus,
  type UserErrorCode,
} from '../shared/vocabulary.js';

/**
 * The words the workflow, the database, the API and the console share
 * (see the product contract). Each list is a runtime constant so validation
 * and the types cannot drift apart.
 */

export const CONNECTION_KINDS = ['microsoft365', 'google-workspace'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

export const CONNECTION_STATUSES = ['NotTested', 'Active', 'Error'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

// Statuses, stages and codes are defined once, in shared/vocabulary.ts (workflow code uses them too).
export const SYNC_STATUSES: readonly SyncStatus[] = Object.values(SyncStatusWords);
export type { SyncStatus, SyncStage, UserErrorCode, ItemErrorCode };
export const SYNC_STAGES: readonly SyncStage[] = Object.values(SyncStageWords);

export const PAUSED_REASONS = ['operator', 'policy-disabled'] as const;
export type PausedReason = (typeof PAUSED_REASONS)[number];

/** Errors that stop a user's cycle (user or connection scope). */
export const USER_ERROR_CODES: readonly UserErrorCode[] = Object.values(UserErrorCodeWords);

/** Errors of one item; they never change the user's status. */
export const ITEM_ERROR_CODES: readonly ItemErrorCode[] = Object.values(ItemErrorCodeWords);

export const ITEM_OUTCOME_STATUSES = ['failed', 'skipped'] as const;
export type ItemOutcomeStatus = (typeof ITEM_OUTCOME_STATUSES)[number];

// Every data type a policy may name (defined with the activities that copy them); only SUPPORTED_DATA_TYPES are synced today.
export { DATA_TYPES, type DataType };
// A type is supported once its module is behind the engine (shared/data-types.ts).
export const SUPPORTED_DATA_TYPES: readonly DataType[] = DATA_TYPES.filter((type) => isSyncableDataType(type));

export const AUDIT_SEVERITIES = ['Info', 'Warning', 'Error'] as const;
export type AuditSeverity = (typeof AUDIT_SEVERITIES)[number];

/** Open list: these are the categories in use, a new one needs no migration. */
export type AuditCategory = 'connection' | 'policy' | 'provisioning' | 'sync' | 'membership' | 'item' | (string & {});

/** 'part': a piece of another item (an occurrence of a calendar series), its lookupKey the whole's source id; never counted. */
export const ITEM_MAP_STATES = ['intent', 'imported', 'deleted', 'part'] as const;
export type ItemMapState = (typeof ITEM_MAP_STATES)[number];
/** Mail's name for the same states. */
export type MessageMapState = ItemMapState;

export const CYCLE_KINDS = ['initial', 'delta'] as const;
export type CycleKind = (typeof CYCLE_KINDS)[number];

export const CYCLE_TRIGGERS = ['schedule', 'operator', 'credentials-updated', 'start'] as const;
export type CycleTrigger = (typeof CYCLE_TRIGGERS)[number];

export const CYCLE_OUTCOMES = ['running', 'succeeded', 'failed'] as const;
export type CycleOutcome = (typeof CYCLE_OUTCOMES)[number];

/**
 * How a Microsoft 365 user's Google address is derived (local part @ policy.targetDomain):
 * - 'same-local-part': the local part of the user's primary SMTP address (mail), e.g. Alice.Smith@contoso.com -> alice.smith@target
 * - 'upn-prefix': the part of the userPrincipalName before '@' (differs from mail when the UPN was never renamed)
 * - 'first.last': givenName.surname, lower-cased, accents and spaces removed (falls back to the mail local part when a name is missing)
 */
export const USERNAME_MAPPINGS = ['same-local-part', 'upn-prefix', 'first.last'] as const;
export type UsernameMapping = (typeof USERNAME_MAPPINGS)[number];

/** Item counters kept per user, per folder and per data type; exported - imported = failed + skipped (defined once, in shared/vocabulary.ts). */
export type { ItemCounts };

export const ITEM_COUNT_FIELDS = ['exported', 'imported', 'failed', 'skipped'] as const satisfies readonly (keyof ItemCounts)[];

export type CountsByType = Partial<Record<DataType, ItemCounts>>;

/** The shape every stored error takes: what the administrator reads, and the service's own words. */
export interface StoredError {
  code: string;
  message: string;
  at: Date;
  details?: Record<string, unknown>;
}
