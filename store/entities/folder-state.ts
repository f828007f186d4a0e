import { EntitySchema } from '@mikro-orm/core';

/** One mailbox folder of a user: its Gmail label and its delta position. */
export interface FolderStateEntity {
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

export const FolderStateSchema = new EntitySchema<FolderStateEntity>({
  name: 'FolderState',
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
