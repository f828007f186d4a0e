import { EntitySchema } from '@mikro-orm/core';
/**
 * The mail-only tables of the previous release (message_map, folder_states), as its
 * entities described them: the upgrade test writes rows through them before
 * today's migrations turn them into item_map and container_states.
 */

/**
 * The exactly-once id map: an 'intent' row is written before a message is
 * imported, and becomes 'imported' with Gmail's id after. An intent found
 * after a crash is resolved by searching Gmail for its internetMessageId.
 * Several rows may carry the same googleMessageId: Gmail merges an import
 * whose Message-ID it already holds into the existing message.
 */
interface MessageMapEntity {
  id: string;
  syncUserId: string;
  /** Graph IMMUTABLE id. */
  sourceItemId: string;
  internetMessageId: string | null;
  sourceFolderId: string;
  /** Null while only intended. */
  googleMessageId: string | null;
  state: 'intent' | 'imported' | 'deleted';
  /** Gmail label ids last applied. */
  labelIds: string[];
  contentHash: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const LegacyMessageMapSchema = new EntitySchema<MessageMapEntity>({
  name: 'LegacyMessageMap',
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

/** One mailbox folder of a user: its Gmail label and its delta position. */
interface FolderStateEntity {
  id: string;
  syncUserId: string;
  /** Graph immutable folder id. */
  sourceFolderId: string;
  displayName: string;
  /** e.g. 'Inbox/Projects/2024'. */
  path: string;
  wellKnownName: string | null;
  googleLabelId: string | null;
  /** The user label's name in Gmail when it is not the one the folder's path gives (Gmail refused that). */
  googleLabelName: string | null;
  /** Null until the first full pass ends, and after the service expired the token. */
  deltaLink: string | null;
  initialSyncComplete: boolean;
  exported: number;
  imported: number;
  failed: number;
  skipped: number;
  updatedAt: Date;
}

export const LegacyFolderStateSchema = new EntitySchema<FolderStateEntity>({
  name: 'LegacyFolderState',
  tableName: 'folder_states',
  properties: {
    id: { type: 'uuid', primary: true },
    syncUserId: { kind: 'm:1', entity: 'SyncUser', mapToPk: true, fieldName: 'sync_user_id', deleteRule: 'cascade', updateRule: 'cascade', index: false },
    sourceFolderId: { type: 'string' },
    displayName: { type: 'text' },
    path: { type: 'text' },
    wellKnownName: { type: 'string', length: 64, nullable: true },
    googleLabelId: { type: 'string', nullable: true },
    googleLabelName: { type: 'text', nullable: true },
    deltaLink: { type: 'text', nullable: true },
    initialSyncComplete: { type: 'boolean', default: false },
    exported: { type: 'integer', default: 0 },
    imported: { type: 'integer', default: 0 },
    failed: { type: 'integer', default: 0 },
    skipped: { type: 'integer', default: 0 },
    updatedAt: { type: 'datetime' },
  },
  uniques: [{ name: 'folder_states_source_folder_unique', properties: ['syncUserId', 'sourceFolderId'] }],
});

/** The policies table before the calendar window became a policy setting (no calendar_months_back/ahead). */
interface PolicyEntity {
  id: string;
  name: string;
  enabled: boolean;
  sourceConnectionId: string;
  targetConnectionId: string;
  rules: Record<string, unknown>;
  dataTypes: string[];
  cycleIntervalSeconds: number;
  targetDomain: string;
  usernameMapping: string;
  storeSubjects: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Named Policy, as it replaces today's entity in the previous release's ORM (the sync users' relation names it). */
export const LegacyPolicySchema = new EntitySchema<PolicyEntity>({
  name: 'Policy',
  tableName: 'policies',
  properties: {
    id: { type: 'uuid', primary: true },
    name: { type: 'string' },
    enabled: { type: 'boolean' },
    sourceConnectionId: { type: 'uuid', fieldName: 'source_connection_id' },
    targetConnectionId: { type: 'uuid', fieldName: 'target_connection_id' },
    rules: { type: 'json' },
    dataTypes: { type: 'json' },
    cycleIntervalSeconds: { type: 'integer' },
    targetDomain: { type: 'string' },
    usernameMapping: { type: 'string', length: 32 },
    storeSubjects: { type: 'boolean' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});
