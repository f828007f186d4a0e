import { EntitySchema } from '@mikro-orm/core';
import type { DataType, SyncStage } from '../vocabulary.js';

/**
 * Where one data type of a user stands: a type enabled later has its own
 * initial sync while the others are Recurring. No row until the type's
 * first copy begins.
 */
export interface DataTypeStateEntity {
  syncUserId: string;
  dataType: DataType;
  /** InitialSync or Recurring. */
  stage: SyncStage;
  /** Estimated items of the type's first copy, for its progress bar. */
  initialSyncTotal: number | null;
  updatedAt: Date;
}

export const DataTypeStateSchema = new EntitySchema<DataTypeStateEntity>({
  name: 'DataTypeState',
  tableName: 'data_type_states',
  properties: {
    syncUserId: { kind: 'm:1', entity: 'SyncUser', mapToPk: true, primary: true, fieldName: 'sync_user_id', deleteRule: 'cascade', updateRule: 'cascade', index: false },
    dataType: { type: 'string', length: 16, primary: true },
    stage: { type: 'string', length: 16 },
    initialSyncTotal: { type: 'integer', nullable: true },
    updatedAt: { type: 'datetime' },
  },
});
