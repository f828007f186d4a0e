import { BigIntType, EntitySchema } from '@mikro-orm/core';
import type { DataType, ItemErrorCode, ItemOutcomeStatus } from '../vocabulary.js';

/** An item that could not be copied (items view); removed when the item later succeeds. */
export interface ItemRecordEntity {
  id: string;
  syncUserId: string;
  sourceItemId: string;
  type: DataType;
  folderName: string;
  /** Kept only when the policy's storeSubjects allows it (personal data). */
  subject: string | null;
  sizeBytes: number | null;
  status: ItemOutcomeStatus;
  errorCode: ItemErrorCode;
  /** One sentence for the administrator. */
  reason: string;
  /** The service's own error ({code, message, ...}). */
  serviceError: Record<string, unknown> | null;
  at: Date;
  cycleId: string | null;
}

export const ItemRecordSchema = new EntitySchema<ItemRecordEntity>({
  name: 'ItemRecord',
  tableName: 'item_records',
  properties: {
    id: { type: 'uuid', primary: true },
    syncUserId: { kind: 'm:1', entity: 'SyncUser', mapToPk: true, fieldName: 'sync_user_id', deleteRule: 'cascade', updateRule: 'cascade', index: false },
    sourceItemId: { type: 'string' },
    type: { type: 'string', length: 16 },
    folderName: { type: 'text' },
    subject: { type: 'text', nullable: true },
    // Numbers, not strings: sizes stay far below 2^53.
    sizeBytes: { type: new BigIntType('number'), nullable: true },
    status: { type: 'string', length: 16 },
    errorCode: { type: 'string', length: 64 },
    reason: { type: 'text' },
    serviceError: { type: 'json', nullable: true },
    at: { type: 'datetime' },
    cycleId: { type: 'uuid', nullable: true },
  },
  uniques: [{ name: 'item_records_source_item_unique', properties: ['syncUserId', 'sourceItemId'] }],
  indexes: [
    { name: 'item_records_list_idx', properties: ['syncUserId', 'at', 'id'] },
    { name: 'item_records_status_idx', properties: ['syncUserId', 'status', 'at', 'id'] },
  ],
});
