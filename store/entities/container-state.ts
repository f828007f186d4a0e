import { EntitySchema } from '@mikro-orm/core';
import type { DataType, ItemCounts } from '../vocabulary.js';
import { itemCountColumns } from './item-count-columns.js';

/**
 * One container of a user (a mail folder, a calendar, a contact folder): its
 * Google counterpart, its delta position and its item counters (a column each).
 */
export interface ContainerStateEntity extends ItemCounts {
  id: string;
  syncUserId: string;
  dataType: DataType;
  /** Graph immutable id of the container. */
  sourceContainerId: string;
  displayName: string;
  /** e.g. 'Inbox/Projects/2024'. */
  path: string;
  wellKnownName: string | null;
  /** The Google counterpart (mail: the Gmail label id). */
  targetContainerId: string | null;
  /** The counterpart's name in Google when it is not the one the path gives (Google refused that). */
  targetContainerName: string | null;
  /** Null until the first full pass ends, and after the service expired the token. */
  deltaLink: string | null;
  initialSyncComplete: boolean;
  updatedAt: Date;
}

export const ContainerStateSchema = new EntitySchema<ContainerStateEntity>({
  name: 'ContainerState',
  tableName: 'container_states',
  properties: {
    id: { type: 'uuid', primary: true },
    syncUserId: { kind: 'm:1', entity: 'SyncUser', mapToPk: true, fieldName: 'sync_user_id', deleteRule: 'cascade', updateRule: 'cascade', index: false },
    dataType: { type: 'string', length: 16 },
    sourceContainerId: { type: 'string' },
    displayName: { type: 'text' },
    path: { type: 'text' },
    wellKnownName: { type: 'string', length: 64, nullable: true },
    targetContainerId: { type: 'string', nullable: true },
    targetContainerName: { type: 'text', nullable: true },
    deltaLink: { type: 'text', nullable: true },
    initialSyncComplete: { type: 'boolean', default: false },
    ...itemCountColumns(),
    updatedAt: { type: 'datetime' },
  },
  uniques: [{ name: 'container_states_source_unique', properties: ['syncUserId', 'dataType', 'sourceContainerId'] }],
});
