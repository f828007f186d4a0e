import { z } from '@hono/zod-openapi';
import {
  CYCLE_KINDS,
  CYCLE_OUTCOMES,
  CYCLE_TRIGGERS,
  DATA_TYPES,
  ITEM_COUNT_FIELDS,
  ITEM_ERROR_CODES,
  ITEM_OUTCOME_STATUSES,
  PAUSED_REASONS,
  SYNC_STAGES,
  SYNC_STATUSES,
  USER_ERROR_CODES,
} from '../../store/index.js';
import { CursorQuery, IdSchema, LimitQuery, NextCursor, storedErrorFields, Timestamp, timestampFields } from './common.js';

export const SyncStatusEnum = z.enum(SYNC_STATUSES).openapi('SyncStatus');
export const SyncStageEnum = z.enum(SYNC_STAGES).openapi('SyncStage');

const count = z.number().int();

/** An object with one field per key of a vocabulary, each of the same schema, written once here rather than key by key. */
function fieldPer<K extends string, S extends z.ZodType>(keys: readonly K[], schema: S) {
  return z.object(Object.fromEntries(keys.map((key) => [key, schema])) as Record<K, S>);
}

/** One count per key of a vocabulary. */
function countsPer<K extends string>(keys: readonly K[]) {
  return fieldPer(keys, count);
}

export const ItemCountsSchema = countsPer(ITEM_COUNT_FIELDS).openapi('ItemCounts', { description: 'exported - imported = failed + skipped' });

/** One number per status, every status present. */
export const TotalsByStatusSchema = countsPer(SYNC_STATUSES).openapi('TotalsByStatus');

export const SyncUserSummarySchema = z
  .object({
    userId: z.guid(),
    sourceEmail: z.string(),
    targetEmail: z.string(),
    displayName: z.string(),
    policyId: z.guid(),
    status: SyncStatusEnum,
    stage: SyncStageEnum,
    pausedReason: z.enum(PAUSED_REASONS).nullable(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    lastSyncAt: Timestamp.nullable(),
    nextSyncAt: Timestamp.nullable(),
    counts: ItemCountsSchema,
    syncedBy: z
      .object({ userId: z.guid(), policyId: z.guid() })
      .nullable()
      .openapi({ description: 'Status SyncedElsewhere: the sync (and its policy) that already carries this mailbox pair; this policy starts no second copy. Null otherwise.' }),
  })
  .openapi('SyncUserSummary');

export const SyncStatusListQuery = z
  .object({
    status: z.enum(SYNC_STATUSES).optional(),
    stage: z.enum(SYNC_STAGES).optional(),
    policyId: IdSchema.optional(),
    errorCode: z.enum(USER_ERROR_CODES).optional(),
    q: z.string().max(200, { error: 'must be at most 200 characters' }).optional().openapi({ description: 'Contains, case-insensitive: source email, target email or name.' }),
    limit: LimitQuery,
    cursor: CursorQuery,
  })
  .strict();

export const SyncStatusListSchema = z
  .object({
    items: z.array(SyncUserSummarySchema),
    nextCursor: NextCursor,
    totalsByStatus: TotalsByStatusSchema.openapi({ description: 'Users per status under every filter except status.' }),
  })
  .openapi('SyncStatusList');

const StoredErrorSchema = z.object({
  ...storedErrorFields,
  details: storedErrorFields.details.openapi({ description: "The service's own error and other facts." }),
  recommendedAction: z.string().nullable().openapi({ description: 'What the administrator should do.' }),
});

export const CycleSchema = z.object({
  id: z.guid(),
  kind: z.enum(CYCLE_KINDS),
  trigger: z.enum(CYCLE_TRIGGERS),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  outcome: z.enum(CYCLE_OUTCOMES),
  errorCode: z.string().nullable(),
});

export const LiveStateSchema = z
  .object({
    status: SyncStatusEnum,
    stage: SyncStageEnum,
    currentActivity: z.string(),
    pausedBy: z.array(z.enum(PAUSED_REASONS)),
    nextSyncAt: Timestamp.nullable(),
  })
  .openapi('LiveWorkflowState', { description: "The workflow's own answer to its status query; null when it is closed or did not answer in time." });

const DataTypeStateSchema = z
  .object({
    dataType: z.enum(DATA_TYPES),
    stage: SyncStageEnum.openapi({ description: "The type's own stage: InitialSync during its first copy, then Recurring." }),
    counts: ItemCountsSchema,
    initialSyncTotal: count.nullable().openapi({ description: "Items of the type's first copy, as the source counts them." }),
  })
  .openapi('DataTypeState', { description: 'One data type of the user: a type enabled later has its own initial sync while the others are Recurring.' });

export const SyncUserDetailSchema = SyncUserSummarySchema.extend({
  sourceUserId: z.string(),
  googleUserId: z.string().nullable(),
  error: StoredErrorSchema.nullable(),
  countsByType: fieldPer(DATA_TYPES, ItemCountsSchema.optional()),
  dataTypes: z.array(DataTypeStateSchema),
  itemErrorsByCode: countsPer(ITEM_ERROR_CODES),
  initialSync: z.object({
    estimatedTotal: count.nullable(),
    lastProgressAt: Timestamp.nullable(),
    stalled: z.boolean().openapi({ description: 'In Initial Sync with no progress for longer than the stall threshold.' }),
  }),
  recentCycles: z.array(CycleSchema),
  workflowId: z.string(),
  runId: z.string().nullable(),
  temporalUiUrl: z.string(),
  live: LiveStateSchema.nullable(),
  ...timestampFields,
}).openapi('SyncUserDetail');

export const ItemsQuery = z
  .object({
    status: z.enum(ITEM_OUTCOME_STATUSES).optional(),
    type: z.enum(DATA_TYPES).optional(),
    limit: LimitQuery,
    cursor: CursorQuery,
  })
  .strict();

export const ItemRecordSchema = z
  .object({
    id: z.guid(),
    sourceItemId: z.string(),
    type: z.enum(DATA_TYPES),
    folderName: z.string(),
    subject: z.string().nullable().openapi({ description: "Only kept when the policy's storeSubjects allows it." }),
    sizeBytes: count.nullable(),
    status: z.enum(ITEM_OUTCOME_STATUSES),
    errorCode: z.enum(ITEM_ERROR_CODES),
    reason: z.string(),
    serviceError: z.record(z.string(), z.unknown()).nullable(),
    at: Timestamp,
  })
  .openapi('ItemRecord');

export const ItemListSchema = z.object({ items: z.array(ItemRecordSchema), nextCursor: NextCursor }).openapi('ItemList');

export const OperatorActionSchema = z
  .object({
    userId: z.guid(),
    action: z.enum(['pause', 'resume', 'retry']),
    detail: z.string(),
    /** The status the action left the user in, when the workflow answered in time. */
    status: SyncStatusEnum.optional(),
  })
  .openapi('OperatorAction');
