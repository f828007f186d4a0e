import { EntitySchema } from '@mikro-orm/core';
import type { CountsByType, ItemCounts, PausedReason, SyncStage, SyncStatus } from '../vocabulary.js';
import { itemCountColumns } from './item-count-columns.js';

/** The per-user projection the API lists; the user's workflow keeps it current. Its item counters (a column each) are totals across data types. */
export interface SyncUserEntity extends ItemCounts {
  id: string;
  policyId: string;
  /** Graph's immutable user object id. */
  sourceUserId: string;
  workflowId: string;
  runId: string | null;
  /** Lower-cased. */
  sourceEmail: string;
  /** Lower-cased. */
  targetEmail: string;
  displayName: string;
  status: SyncStatus;
  stage: SyncStage;
  errorCode: string | null;
  errorMessage: string | null;
  errorAt: Date | null;
  errorDetails: Record<string, unknown> | null;
  pausedReason: PausedReason | null;
  googleUserId: string | null;
  lastSyncAt: Date | null;
  nextSyncAt: Date | null;
  lastProgressAt: Date | null;
  countsByType: CountsByType;
  /** Estimated items of the first copy, for the progress bar. */
  initialSyncTotal: number | null;
  /**
   * The mailbox pair this row syncs, "sourceConnectionId:sourceUserId:targetConnectionId"
   * (ids only), unique: at most one sync per pair, whatever the number of
   * policies. Null on a row of a policy whose selection another row syncs (SyncedElsewhere).
   */
  pairKey?: string | null;
  /** On a SyncedElsewhere row: the row (of another policy) that syncs this pair. */
  syncedByUserId?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const SyncUserSchema = new EntitySchema<SyncUserEntity>({
  name: 'SyncUser',
  tableName: 'sync_users',
  properties: {
    id: { type: 'uuid', primary: true },
    policyId: { kind: 'm:1', entity: 'Policy', mapToPk: true, fieldName: 'policy_id', deleteRule: 'cascade', updateRule: 'cascade', index: false },
    sourceUserId: { type: 'string' },
    workflowId: { type: 'string', unique: 'sync_users_workflow_id_unique' },
    runId: { type: 'string', nullable: true },
    sourceEmail: { type: 'string' },
    targetEmail: { type: 'string' },
    displayName: { type: 'string' },
    status: { type: 'string', length: 16 },
    stage: { type: 'string', length: 16 },
    errorCode: { type: 'string', length: 64, nullable: true },
    errorMessage: { type: 'text', nullable: true },
    errorAt: { type: 'datetime', nullable: true },
    errorDetails: { type: 'json', nullable: true },
    pausedReason: { type: 'string', length: 32, nullable: true },
    googleUserId: { type: 'string', nullable: true },
    lastSyncAt: { type: 'datetime', nullable: true },
    nextSyncAt: { type: 'datetime', nullable: true },
    lastProgressAt: { type: 'datetime', nullable: true },
    ...itemCountColumns(),
    countsByType: { type: 'json' },
    initialSyncTotal: { type: 'integer', nullable: true },
    pairKey: { type: 'string', nullable: true, unique: 'sync_users_pair_key_unique' },
    syncedByUserId: { type: 'uuid', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
  uniques: [{ name: 'sync_users_policy_source_user_unique', properties: ['policyId', 'sourceUserId'] }],
  // The list is ordered by (source_email, id); each filter gets an index that
  // ends with that order, so a page is an index range scan, never a sort.
  indexes: [
    { name: 'sync_users_order_idx', properties: ['sourceEmail', 'id'] },
    { name: 'sync_users_status_idx', properties: ['status', 'sourceEmail', 'id'] },
    { name: 'sync_users_stage_idx', properties: ['stage', 'sourceEmail', 'id'] },
    { name: 'sync_users_policy_idx', properties: ['policyId', 'sourceEmail', 'id'] },
    { name: 'sync_users_error_code_idx', properties: ['errorCode', 'sourceEmail', 'id'] },
    { name: 'sync_users_target_email_idx', properties: ['targetEmail'] },
    { name: 'sync_users_display_name_idx', properties: ['displayName'] },
  ],
});
