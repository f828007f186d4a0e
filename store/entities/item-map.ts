import { EntitySchema } from '@mikro-orm/core';
import type { DataType, ItemMapState } from '../vocabulary.js';

/**
 * The exactly-once ledger of every data type: an 'intent' row is written
 * before an item is copied, and becomes 'imported' with the Google copy's id
 * after. An intent found after a crash is resolved by looking the copy up on
 * the Google side by its lookup key (mail: the Message-ID). For mail several
 * rows may carry the same target id: Gmail merges an import whose Message-ID
 * it already holds into the existing message.
 */
export interface ItemMapEntity {
  id: string;
  syncUserId: string;
  dataType: DataType;
  /** Graph IMMUTABLE id of the item. */
  sourceItemId: string;
  /** What finds the copy on the Google side after a crash (mail: internetMessageId). */
  lookupKey: string | null;
  /** The container (mail folder, calendar, contact folder) the item was last seen in. */
  sourceContainerId: string;
  /** The Google copy's id; null while only intended. */
  targetItemId: string | null;
  state: ItemMapState;
  /** What the data type keeps of the copy as last written (mail: the Gmail label ids). */
  targetState: unknown;
  contentHash: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const ItemMapSchema = new EntitySchema<ItemMapEntity>({
  name: 'ItemMap',
  tableName: 'item_map',
  properties: {
    id: { type: 'uuid', primary: true },
    syncUserId: { kind: 'm:1', entity: 'SyncUser', mapToPk: true, fieldName: 'sync_user_id', deleteRule: 'cascade', updateRule: 'cascade', index: false },
    dataType: { type: 'string', length: 16 },
    sourceItemId: { type: 'string' },
    lookupKey: { type: 'text', nullable: true },
    sourceContainerId: { type: 'string' },
    targetItemId: { type: 'string', nullable: true },
    state: { type: 'string', length: 16 },
    targetState: { type: 'json', nullable: true },
    contentHash: { type: 'string', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
  uniques: [{ name: 'item_map_source_item_unique', properties: ['syncUserId', 'dataType', 'sourceItemId'] }],
  indexes: [
    { name: 'item_map_lookup_key_idx', properties: ['syncUserId', 'dataType', 'lookupKey'] },
    { name: 'item_map_state_idx', properties: ['syncUserId', 'dataType', 'state'] },
    // Several source messages can share one Gmail message (Gmail merges imports by Message-ID).
    { name: 'item_map_target_item_idx', properties: ['syncUserId', 'dataType', 'targetItemId'] },
    // The dashboard counts what changed across all users in the last hours.
    { name: 'item_map_updated_idx', properties: ['updatedAt'] },
  ],
});
