import { EntitySchema } from '@mikro-orm/core';
import type { MessageMapState } from '../vocabulary.js';

/**
 * The exactly-once id map: an 'intent' row is written before a message is
 * imported, and becomes 'imported' with Gmail's id after. An intent found
 * after a crash is resolved by searching Gmail for its internetMessageId.
 * Several rows may carry the same googleMessageId: Gmail merges an import
 * whose Message-ID it already holds into the existing message.
 */
export interface MessageMapEntity {
  id: string;
  syncUserId: string;
  /** Graph IMMUTABLE id. */
  sourceItemId: string;
  internetMessageId: string | null;
  sourceFolderId: string;
  /** Null while only intended. */
  googleMessageId: string | null;
  state: MessageMapState;
  /** Gmail label ids last applied. */
  labelIds: string[];
  contentHash: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const MessageMapSchema = new EntitySchema<MessageMapEntity>({
  name: 'MessageMap',
  tableName: 'message_map',
  properties: {
    id: { type: 'uuid', primary: true },
    syncUserId: { kind: 'm:1', entity: 'SyncUser', mapToPk: true, fieldName: 'sync_user_id', deleteRule: 'cascade', updateRule: 'cascade', index: false },
    sourceItemId: { type: 'string' },
    internetMessageId: { type: 'text', nullable: true },
    sourceFolderId: { type: 'string' },
    googleMessageId: { type: 'string', nullable: true },
    state: { type: 'string', length: 16 },
    labelIds: { type: 'json' },
    contentHash: { type: 'string', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
  uniques: [{ name: 'message_map_source_item_unique', properties: ['syncUserId', 'sourceItemId'] }],
  indexes: [
    { name: 'message_map_internet_message_id_idx', properties: ['syncUserId', 'internetMessageId'] },
    { name: 'message_map_state_idx', properties: ['syncUserId', 'state'] },
    // Several source messages can share one Gmail message (Gmail merges imports by Message-ID).
    { name: 'message_map_google_message_id_idx', properties: ['syncUserId', 'googleMessageId'] },
    // The dashboard counts what changed across all users in the last hours.
    { name: 'message_map_updated_idx', properties: ['updatedAt'] },
  ],
});
