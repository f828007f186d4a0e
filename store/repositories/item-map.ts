import { randomUUID } from 'node:crypto';
import { ItemMapSchema, type ItemMapEntity } from '../entities/index.js';
import { StoreConflictError, StoreNotFoundError, StoreValidationError } from '../errors.js';
import { requireText } from '../validate.js';
import type { DataType } from '../vocabulary.js';
import { affectedRows, chunks, forkEm, isForeignKeyViolation, isUuid, type StoreContext, writeTransaction } from './support.js';

/** A ledger row as callers see it: the row's own fields, as a plain copy. */
export type ItemMapView = ItemMapEntity;

/** Written before the copy; `contentHash` when the data type keeps one. */
export interface ItemIntent extends Pick<ItemMapEntity, 'sourceItemId' | 'lookupKey' | 'sourceContainerId'>, Partial<Pick<ItemMapEntity, 'contentHash'>> {}

export interface RecordedCopy {
  sourceItemId: string;
  targetItemId: string;
  targetState: unknown;
}

export interface TargetStateUpdate {
  sourceItemId: string;
  targetState: unknown;
  /** When the item moved to another container. */
  sourceContainerId?: string;
}

/**
 * One data type's part of the ledger, for one user at a time. Intent first,
 * copy second, record third: a crash anywhere leaves either nothing or an
 * intent that the data type resolves by looking its copy up on the Google side.
 */
export interface ItemLedger {
  readonly dataType: DataType;
  /** Rows for the given source ids (any state), keyed by sourceItemId. */
  findBySourceIds(syncUserId: string, sourceItemIds: string[]): Promise<Map<string, ItemMapView>>;
  /** Rows (any state) that point at these Google copies, keyed by the copy's id, oldest first. */
  findByTargetIds(syncUserId: string, targetItemIds: string[]): Promise<Map<string, ItemMapView[]>>;
  /** Every row with that lookup key (a message copied into two folders has two). */
  findByLookupKey(syncUserId: string, lookupKey: string): Promise<ItemMapView[]>;
  /**
   * Writes 'intent' rows before copying; a source id that already has a row
   * (any state) is left untouched. One transaction. Returns how many were new.
   */
  recordIntents(syncUserId: string, intents: ItemIntent[]): Promise<number>;
  /**
   * Intent (or any existing row) -> 'imported' with the copy's id. One
   * transaction; refused as a whole (ITEM_INTENT_MISSING) if a source id has
   * no row, since a copy without an intent would escape crash recovery.
   */
  markImported(syncUserId: string, copies: RecordedCopy[]): Promise<void>;
  /**
   * Records ids that are pieces of another item (a series' occurrences), so an
   * @removed piece leads back to its whole: state 'part', the whole's source id
   * as lookupKey. A source id that already has a row is left untouched.
   */
  recordParts(syncUserId: string, parts: { sourceItemId: string; wholeSourceItemId: string; sourceContainerId: string }[]): Promise<number>;
  /** Intents left by a crash between recording and copying; oldest first. */
  findIntents(syncUserId: string, limit?: number): Promise<ItemMapView[]>;
  /** Returns how many rows were updated. */
  updateTargetState(syncUserId: string, updates: TargetStateUpdate[]): Promise<number>;
  /** Returns how many rows were marked. */
  markDeleted(syncUserId: string, sourceItemIds: string[]): Promise<number>;
  /** Rows in state 'imported', listed in the items view or not (the user's counts use `countImportedByType`). */
  countImported(syncUserId: string): Promise<number>;
}

export interface ItemMapRepository {
  forType(dataType: DataType): ItemLedger;
  /** Items copied, changed or deleted on the Google side since `since`, across every user and type. */
  countChangedSince(since: Date): Promise<number>;
  /**
   * Imported rows per type, in one query; a type with none is absent. A copy
   * whose later change Google refused (listed in the items view as failed) is
   * not counted: it counts as failed there, so exported = imported + failed
   * stays one count per item.
   */
  countImportedByType(syncUserId: string): Promise<Partial<Record<DataType, number>>>;
}

export function createItemMapRepository(context: StoreContext): ItemMapRepository {
  const ledgers = new Map<DataType, ItemLedger>();
  return {
    forType(dataType) {
      let ledger = ledgers.get(dataType);
      if (!ledger) ledgers.set(dataType, (ledger = createLedger(context, dataType)));
      return ledger;
    },
    async countChangedSince(since) {
      if (!(since instanceof Date) || Number.isNaN(since.getTime())) throw new StoreValidationError('since', 'since must be a valid date.');
      // Intents are not changes yet: they become one when copied.
      return forkEm(context).count(ItemMapSchema, { updatedAt: { $gte: since }, state: { $in: ['imported', 'deleted'] } });
    },
    async countImportedByType(syncUserId) {
      if (!isUuid(syncUserId)) return {};
      const rows = await forkEm(context)
        .getConnection()
        .execute<{ data_type: DataType; total: number | string }[]>(
          `select m.data_type, count(*) as total from item_map m where m.sync_user_id = ? and m.state = 'imported'
             and not exists (select 1 from item_records i where i.sync_user_id = m.sync_user_id and i.source_item_id = m.source_item_id)
           group by m.data_type`,
          [syncUserId],
        );
      return Object.fromEntries(rows.map((row) => [row.data_type, Number(row.total)]));
    },
  };
}

function createLedger(context: StoreContext, dataType: DataType): ItemLedger {
  /** Inserts rows for source ids that have none yet, in one transaction; returns how many were new. */
  async function insertNew(syncUserId: string, fresh: Pick<ItemMapEntity, 'sourceItemId' | 'lookupKey' | 'sourceContainerId' | 'state' | 'contentHash'>[]): Promise<number> {
    requireSyncUserId(syncUserId);
    if (fresh.length === 0) return 0;
    const now = new Date();
    const rows: ItemMapEntity[] = fresh.map((row) => ({ id: randomUUID(), syncUserId, dataType, targetItemId: null, targetState: null, createdAt: now, updatedAt: now, ...row }));
    try {
      return await writeTransaction(context, async (em) => {
        let inserted = 0;
        for (const batch of chunks(rows)) {
          const result = await em.createQueryBuilder(ItemMapSchema).insert(batch).onConflict(['syncUserId', 'dataType', 'sourceItemId']).ignore().execute('run');
          inserted += affectedRows(result);
        }
        return inserted;
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new StoreNotFoundError('SyncUser', syncUserId);
      throw error;
    }
  }

  return {
    dataType,

    async findBySourceIds(syncUserId, sourceItemIds) {
      const found = new Map<string, ItemMapView>();
      if (!isUuid(syncUserId) || sourceItemIds.length === 0) return found;
      const em = forkEm(context);
      for (const batch of chunks([...new Set(sourceItemIds)])) {
        const rows = await em.find(ItemMapSchema, { syncUserId, dataType, sourceItemId: { $in: batch } });
        for (const row of rows) found.set(row.sourceItemId, toView(row));
      }
      return found;
    },

    async findByTargetIds(syncUserId, targetItemIds) {
      const found = new Map<string, ItemMapView[]>();
      if (!isUuid(syncUserId) || targetItemIds.length === 0) return found;
      const em = forkEm(context);
      for (const batch of chunks([...new Set(targetItemIds)])) {
        const rows = await em.find(ItemMapSchema, { syncUserId, dataType, targetItemId: { $in: batch } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
        for (const row of rows) {
          const view = toView(row);
          const list = found.get(view.targetItemId!) ?? [];
          list.push(view);
          found.set(view.targetItemId!, list);
        }
      }
      return found;
    },

    async findByLookupKey(syncUserId, lookupKey) {
      if (!isUuid(syncUserId)) return [];
      const rows = await forkEm(context).find(ItemMapSchema, { syncUserId, dataType, lookupKey }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      return rows.map(toView);
    },

    async recordIntents(syncUserId, intents) {
      return insertNew(
        syncUserId,
        intents.map((intent, index) => ({
          sourceItemId: requireText(intent.sourceItemId, `intents[${index}].sourceItemId`, 1024),
          lookupKey: intent.lookupKey ?? null,
          sourceContainerId: requireText(intent.sourceContainerId, `intents[${index}].sourceContainerId`, 1024),
          state: 'intent',
          contentHash: intent.contentHash ?? null,
        })),
      );
    },

    async recordParts(syncUserId, parts) {
      return insertNew(
        syncUserId,
        parts.map((part, index) => ({
          sourceItemId: requireText(part.sourceItemId, `parts[${index}].sourceItemId`, 1024),
          lookupKey: requireText(part.wholeSourceItemId, `parts[${index}].wholeSourceItemId`, 1024),
          sourceContainerId: requireText(part.sourceContainerId, `parts[${index}].sourceContainerId`, 1024),
          state: 'part',
          contentHash: null,
        })),
      );
    },

    async markImported(syncUserId, copies) {
      requireSyncUserId(syncUserId);
      if (copies.length === 0) return;
      const now = new Date();
      await writeTransaction(context, async (em) => {
        const missing: string[] = [];
        for (const [index, copy] of copies.entries()) {
          const changes = { targetItemId: requireText(copy.targetItemId, `copies[${index}].targetItemId`), targetState: copy.targetState ?? null, state: 'imported' as const, updatedAt: now };
          const updated = await em.nativeUpdate(ItemMapSchema, { syncUserId, dataType, sourceItemId: copy.sourceItemId }, changes);
          if (affectedRows(updated) === 0) missing.push(copy.sourceItemId);
        }
        if (missing.length > 0) {
          throw new StoreConflictError('ITEM_INTENT_MISSING', `No intent was recorded for ${missing.length} copied item(s) (e.g. ${missing[0]}); record intents before copying.`);
        }
      });
    },

    async findIntents(syncUserId, limit = 1000) {
      if (!isUuid(syncUserId)) return [];
      const rows = await forkEm(context).find(ItemMapSchema, { syncUserId, dataType, state: 'intent' }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit });
      return rows.map(toView);
    },

    async updateTargetState(syncUserId, updates) {
      requireSyncUserId(syncUserId);
      if (updates.length === 0) return 0;
      const now = new Date();
      return writeTransaction(context, async (em) => {
        let updated = 0;
        for (const [index, update] of updates.entries()) {
          const changes: Partial<ItemMapEntity> = { targetState: update.targetState ?? null, updatedAt: now };
          if (update.sourceContainerId !== undefined) changes.sourceContainerId = requireText(update.sourceContainerId, `updates[${index}].sourceContainerId`, 1024);
          updated += affectedRows(await em.nativeUpdate(ItemMapSchema, { syncUserId, dataType, sourceItemId: update.sourceItemId }, changes));
        }
        return updated;
      });
    },

    async markDeleted(syncUserId, sourceItemIds) {
      requireSyncUserId(syncUserId);
      if (sourceItemIds.length === 0) return 0;
      const now = new Date();
      return writeTransaction(context, async (em) => {
        let updated = 0;
        for (const batch of chunks([...new Set(sourceItemIds)])) {
          updated += affectedRows(await em.nativeUpdate(ItemMapSchema, { syncUserId, dataType, sourceItemId: { $in: batch } }, { state: 'deleted', updatedAt: now }));
        }
        return updated;
      });
    },

    async countImported(syncUserId) {
      if (!isUuid(syncUserId)) return 0;
      return forkEm(context).count(ItemMapSchema, { syncUserId, dataType, state: 'imported' });
    },
  };
}

function requireSyncUserId(syncUserId: string): void {
  if (!isUuid(syncUserId)) throw new StoreValidationError('syncUserId', `syncUserId must be a sync user's id, got "${syncUserId}".`);
}

function toView(entity: ItemMapEntity): ItemMapView {
  return {
    id: entity.id,
    syncUserId: entity.syncUserId,
    dataType: entity.dataType,
    sourceItemId: entity.sourceItemId,
    lookupKey: entity.lookupKey ?? null,
    sourceContainerId: entity.sourceContainerId,
    targetItemId: entity.targetItemId ?? null,
    state: entity.state,
    targetState: structuredClone(entity.targetState ?? null),
    contentHash: entity.contentHash ?? null,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}
