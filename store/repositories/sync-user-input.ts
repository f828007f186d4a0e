import { emptyCounts } from '../../shared/vocabulary.js';
import type { SyncUserEntity } from '../entities/index.js';
import { StoreValidationError } from '../errors.js';
import { requireEmail, requireOneOf, requireText, wholeNumber } from '../validate.js';
import { DATA_TYPES, ITEM_COUNT_FIELDS, PAUSED_REASONS, SYNC_STAGES, SYNC_STATUSES, type CountsByType, type DataType, type ItemCounts } from '../vocabulary.js';

/** Who a policy selected, as the membership reconciler found them (emails lower-cased). */
export type SelectedUser = Pick<SyncUserEntity, 'policyId' | 'sourceUserId' | 'workflowId' | 'sourceEmail' | 'targetEmail' | 'displayName'>;

/** A user-level error as the workflow records it; `at` defaults to now. */
export interface SyncUserErrorInput {
  code: string;
  message: string;
  at?: Date;
  details?: Record<string, unknown>;
}

/** The columns a patch may set directly, under their own names. */
type PatchableColumn =
  | 'status'
  | 'stage'
  | 'pausedReason'
  | 'workflowId'
  | 'runId'
  | 'sourceEmail'
  | 'targetEmail'
  | 'displayName'
  | 'googleUserId'
  | 'lastSyncAt'
  | 'nextSyncAt'
  | 'lastProgressAt'
  | 'initialSyncTotal'
  | 'countsByType';

/** Patch semantics: an absent field keeps its value, null clears it. */
export interface SyncUserPatch extends Partial<Pick<SyncUserEntity, PatchableColumn>> {
  /** Sets errorCode, errorMessage, errorAt and errorDetails together; null clears all four. */
  error?: SyncUserErrorInput | null;
  /** Absolute values (use addCounts to increment). */
  counts?: ItemCounts;
}

/** The four error columns of a user without an error. */
export const NO_USER_ERROR = { errorCode: null, errorMessage: null, errorAt: null, errorDetails: null } as const;

/** What a row drops when its sync starts over (reselected, taken over) or moves elsewhere (SyncedElsewhere): its pause, its error and its old run. */
export const CLEARED_RUN_STATE = { pausedReason: null, ...NO_USER_ERROR, runId: null } as const;

/** Increments per data type; each number may be negative (a correction) but must be whole. */
export type CountsDelta = Partial<Record<DataType, Partial<ItemCounts>>>;

export function validateSelectedUser(input: SelectedUser): SelectedUser {
  return {
    policyId: requireText(input.policyId, 'policyId'),
    sourceUserId: requireText(input.sourceUserId, 'sourceUserId'),
    workflowId: requireText(input.workflowId, 'workflowId'),
    sourceEmail: requireEmail(input.sourceEmail, 'sourceEmail'),
    targetEmail: requireEmail(input.targetEmail, 'targetEmail'),
    displayName: requireText(input.displayName, 'displayName', 1024),
  };
}

/** Turns a patch into column changes, validating every value given. */
export function patchToChanges(patch: SyncUserPatch): Partial<SyncUserEntity> {
  const changes: Partial<SyncUserEntity> = {};
  if (patch.status !== undefined) changes.status = requireOneOf(patch.status, SYNC_STATUSES, 'status');
  if (patch.stage !== undefined) changes.stage = requireOneOf(patch.stage, SYNC_STAGES, 'stage');
  if (patch.error === null) Object.assign(changes, NO_USER_ERROR);
  else if (patch.error !== undefined) {
    changes.errorCode = requireText(patch.error.code, 'error.code', 64);
    changes.errorMessage = requireText(patch.error.message, 'error.message', 4000);
    changes.errorAt = optionalDate(patch.error.at, 'error.at') ?? new Date();
    changes.errorDetails = patch.error.details ?? null;
  }
  if (patch.pausedReason !== undefined) changes.pausedReason = patch.pausedReason === null ? null : requireOneOf(patch.pausedReason, PAUSED_REASONS, 'pausedReason');
  if (patch.workflowId !== undefined) changes.workflowId = requireText(patch.workflowId, 'workflowId');
  if (patch.runId !== undefined) changes.runId = patch.runId === null ? null : requireText(patch.runId, 'runId');
  if (patch.sourceEmail !== undefined) changes.sourceEmail = requireEmail(patch.sourceEmail, 'sourceEmail');
  if (patch.targetEmail !== undefined) changes.targetEmail = requireEmail(patch.targetEmail, 'targetEmail');
  if (patch.displayName !== undefined) changes.displayName = requireText(patch.displayName, 'displayName', 1024);
  if (patch.googleUserId !== undefined) changes.googleUserId = patch.googleUserId === null ? null : requireText(patch.googleUserId, 'googleUserId');
  for (const field of ['lastSyncAt', 'nextSyncAt', 'lastProgressAt'] as const) {
    const value = patch[field];
    if (value !== undefined) changes[field] = value === null ? null : optionalDate(value, field)!;
  }
  if (patch.initialSyncTotal !== undefined) changes.initialSyncTotal = patch.initialSyncTotal === null ? null : wholeNumber(patch.initialSyncTotal, 'initialSyncTotal', 0);
  if (patch.counts !== undefined) {
    for (const field of ITEM_COUNT_FIELDS) changes[field] = wholeNumber(patch.counts[field], `counts.${field}`, 0);
  }
  if (patch.countsByType !== undefined) changes.countsByType = validateCountsByType(patch.countsByType);
  return changes;
}

export function validateCountsDelta(delta: CountsDelta): CountsDelta {
  const clean: CountsDelta = {};
  for (const [type, counts] of Object.entries(delta)) {
    const dataType = requireOneOf(type, DATA_TYPES, 'delta');
    if (counts === undefined) continue;
    const cleanCounts: Partial<ItemCounts> = {};
    for (const field of ITEM_COUNT_FIELDS) {
      if (counts[field] !== undefined) cleanCounts[field] = wholeNumber(counts[field], `delta.${type}.${field}`);
    }
    clean[dataType] = cleanCounts;
  }
  return clean;
}

function validateCountsByType(value: CountsByType): CountsByType {
  const clean: CountsByType = {};
  for (const [type, counts] of Object.entries(value)) {
    const dataType = requireOneOf(type, DATA_TYPES, 'countsByType');
    if (counts === undefined) continue;
    const cleanCounts = emptyCounts();
    for (const field of ITEM_COUNT_FIELDS) cleanCounts[field] = wholeNumber(counts[field], `countsByType.${type}.${field}`, 0);
    clean[dataType] = cleanCounts;
  }
  return clean;
}

function optionalDate(value: unknown, field: string): Date | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new StoreValidationError(field, `${field} must be a valid date.`);
  return value;
}

/** A selected user's row before its workflow has run; `pairKey` when the row syncs the pair (sync-user-pairs.ts). */
export function newSyncUserRow(selected: SelectedUser, pairKey: string | null, now: Date): Omit<SyncUserEntity, 'id'> {
  return {
    ...selected,
    runId: null,
    status: 'Pending',
    stage: 'Provisioning',
    ...NO_USER_ERROR,
    pausedReason: null,
    googleUserId: null,
    lastSyncAt: null,
    nextSyncAt: null,
    lastProgressAt: null,
    ...emptyCounts(),
    countsByType: {},
    initialSyncTotal: null,
    pairKey,
    syncedByUserId: null,
    createdAt: now,
    updatedAt: now,
  };
}
