import { DataTypeStateSchema, type DataTypeStateEntity } from '../entities/index.js';
import { StoreNotFoundError, StoreValidationError } from '../errors.js';
import { wholeNumber } from '../validate.js';
import { SyncStage } from '../../shared/vocabulary.js';
import { DATA_TYPES, type DataType } from '../vocabulary.js';
import { forkEm, isForeignKeyViolation, isUuid, type StoreContext } from './support.js';

/** One data type's row, for the user the caller asked about. */
export type DataTypeStateView = Omit<DataTypeStateEntity, 'syncUserId'>;

/** Absent keeps the stored value; null clears initialSyncTotal. */
export type DataTypeStatePatch = Partial<Pick<DataTypeStateEntity, 'stage' | 'initialSyncTotal'>>;

/** Each data type's stage and first-copy size, per user. */
export interface DataTypeStatesRepository {
  /** The user's types that have begun, in DATA_TYPES order. */
  list(syncUserId: string): Promise<DataTypeStateView[]>;
  /** Creates the type's row on first use (stage InitialSync unless given). */
  update(syncUserId: string, dataType: DataType, patch: DataTypeStatePatch): Promise<void>;
}

export function createDataTypeStatesRepository(context: StoreContext): DataTypeStatesRepository {
  return {
    async list(syncUserId) {
      if (!isUuid(syncUserId)) return [];
      const rows = await forkEm(context).find(DataTypeStateSchema, { syncUserId });
      return rows
        .map((row) => ({ dataType: row.dataType, stage: row.stage, initialSyncTotal: row.initialSyncTotal ?? null, updatedAt: row.updatedAt }))
        .sort((a, b) => DATA_TYPES.indexOf(a.dataType) - DATA_TYPES.indexOf(b.dataType));
    },

    async update(syncUserId, dataType, patch) {
      if (!isUuid(syncUserId)) throw new StoreNotFoundError('SyncUser', syncUserId);
      if (!DATA_TYPES.includes(dataType)) throw new StoreValidationError('dataType', `dataType must be one of ${DATA_TYPES.join(', ')}.`);
      if (patch.stage !== undefined && patch.stage !== SyncStage.InitialSync && patch.stage !== SyncStage.Recurring) {
        throw new StoreValidationError('stage', 'A data type is in InitialSync or Recurring.');
      }
      const changes: DataTypeStatePatch & { updatedAt: Date } = { updatedAt: new Date() };
      if (patch.stage !== undefined) changes.stage = patch.stage;
      if (patch.initialSyncTotal !== undefined) changes.initialSyncTotal = patch.initialSyncTotal === null ? null : wholeNumber(patch.initialSyncTotal, 'initialSyncTotal');
      try {
        await forkEm(context)
          .createQueryBuilder(DataTypeStateSchema)
          .insert({ syncUserId, dataType, stage: SyncStage.InitialSync, initialSyncTotal: null, ...changes })
          .onConflict(['syncUserId', 'dataType'])
          .merge(Object.keys(changes) as never)
          .execute('run');
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new StoreNotFoundError('SyncUser', syncUserId);
        throw error;
      }
    },
  };
}
