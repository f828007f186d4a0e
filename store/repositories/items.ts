import { randomUUID } from 'node:crypto';
import { raw, type FilterQuery } from '@mikro-orm/core';
import { ItemRecordSchema, PolicySchema, SyncUserSchema, type ItemRecordEntity } from '../entities/index.js';
import { StoreNotFoundError, StoreValidationError } from '../errors.js';
import { cursorCodec, pageSize, toPage, type Page, type PageRequest } from '../pagination.js';
import { requireOneOf, requireText } from '../validate.js';
import { DATA_TYPES, ITEM_ERROR_CODES, ITEM_OUTCOME_STATUSES, type DataType, type ItemErrorCode, type ItemOutcomeStatus } from '../vocabulary.js';
import { affectedRows, chunks, forkEm, isForeignKeyViolation, isUuid, type StoreContext, writeTransaction } from './support.js';

/** Fields of an outcome the caller may leave out (null, or now for `at`). */
type OptionalOutcomeField = 'subject' | 'sizeBytes' | 'serviceError' | 'at' | 'cycleId';

/**
 * One item's outcome as the sync reports it: the record's fields but its id
 * and user. The subject is dropped unless the user's policy has storeSubjects
 * (personal data); `at` defaults to now.
 */
export interface ItemOutcome extends Omit<ItemRecordEntity, 'id' | 'syncUserId' | OptionalOutcomeField>, Partial<Pick<ItemRecordEntity, OptionalOutcomeField>> {}

/** A listed item as callers see it: the record's own fields, as a plain copy. */
export type ItemRecordView = ItemRecordEntity;

export interface ItemListRequest extends PageRequest {
  syncUserId: string;
  status?: ItemOutcomeStatus;
  type?: DataType;
}

export interface ItemsRepository {
  /** Upsert on (syncUserId, sourceItemId): the latest outcome of an item wins. One transaction. */
  recordOutcomes(syncUserId: string, outcomes: ItemOutcome[]): Promise<void>;
  /** Items that later succeeded leave the list. Returns how many were removed. */
  clear(syncUserId: string, sourceItemIds: string[]): Promise<number>;
  /** Newest first. */
  list(request: ItemListRequest): Promise<Page<ItemRecordView>>;
  /** Listed items by code, every code present (0 when none); of one data type when given. */
  countByCode(syncUserId: string, dataType?: DataType): Promise<Record<ItemErrorCode, number>>;
  /** Listed items by data type and code in one query; a type with none is absent. */
  countByTypeAndCode(syncUserId: string): Promise<Partial<Record<DataType, Partial<Record<ItemErrorCode, number>>>>>;
}

const cursors = cursorCodec('items', 'number', 'string');
const UPDATABLE_FIELDS = ['type', 'folderName', 'subject', 'sizeBytes', 'status', 'errorCode', 'reason', 'serviceError', 'at', 'cycleId'] as const;

export function createItemsRepository(context: StoreContext): ItemsRepository {
  async function policyAllowsSubjects(syncUserId: string): Promise<boolean> {
    const em = forkEm(context);
    const user = await em.findOne(SyncUserSchema, { id: syncUserId }, { fields: ['policyId'] });
    if (!user) throw new StoreNotFoundError('SyncUser', syncUserId);
    const policy = await em.findOne(PolicySchema, { id: user.policyId }, { fields: ['storeSubjects'] });
    return policy?.storeSubjects === true;
  }

  return {
    async recordOutcomes(syncUserId, outcomes) {
      if (!isUuid(syncUserId)) throw new StoreNotFoundError('SyncUser', syncUserId);
      if (outcomes.length === 0) return;
      const keepSubjects = outcomes.some((outcome) => outcome.subject) ? await policyAllowsSubjects(syncUserId) : false;
      const now = new Date();
      const rows = outcomes.map((outcome, index) => toRow(syncUserId, outcome, index, keepSubjects, now));
      try {
        await writeTransaction(context, async (em) => {
          for (const batch of chunks(rows)) {
            await em
              .createQueryBuilder(ItemRecordSchema)
              .insert(batch)
              .onConflict(['syncUserId', 'sourceItemId'])
              .merge([...UPDATABLE_FIELDS])
              .execute('run');
          }
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new StoreNotFoundError('SyncUser', syncUserId);
        throw error;
      }
    },

    async clear(syncUserId, sourceItemIds) {
      if (!isUuid(syncUserId) || sourceItemIds.length === 0) return 0;
      return writeTransaction(context, async (em) => {
        let removed = 0;
        for (const batch of chunks([...new Set(sourceItemIds)])) {
          removed += affectedRows(await em.nativeDelete(ItemRecordSchema, { syncUserId, sourceItemId: { $in: batch } }));
        }
        return removed;
      });
    },

    async list(request) {
      const limit = pageSize(request.limit);
      if (!isUuid(request.syncUserId)) return { items: [] };
      const where: FilterQuery<ItemRecordEntity>[] = [{ syncUserId: request.syncUserId }];
      if (request.status !== undefined) where.push({ status: requireOneOf(request.status, ITEM_OUTCOME_STATUSES, 'status') });
      if (request.type !== undefined) where.push({ type: requireOneOf(request.type, DATA_TYPES, 'type') });
      if (request.cursor !== undefined) {
        const before = cursors.decode(request.cursor);
        const at = new Date(before.key);
        where.push({ at: { $lte: at } }, { $or: [{ at: { $lt: at } }, { id: { $lt: before.id } }] });
      }
      const rows = await forkEm(context).find(ItemRecordSchema, { $and: where }, { orderBy: { at: 'desc', id: 'desc' }, limit: limit + 1 });
      return toPage(rows, limit, toView, (row) => cursors.encode({ key: row.at.getTime(), id: row.id }));
    },

    async countByCode(syncUserId, dataType) {
      const totals = Object.fromEntries(ITEM_ERROR_CODES.map((code) => [code, 0])) as Record<ItemErrorCode, number>;
      if (!isUuid(syncUserId)) return totals;
      const rows = await forkEm(context)
        .createQueryBuilder(ItemRecordSchema, 'i')
        .select(['i.errorCode', raw('count(*) as total')])
        .where(dataType ? { syncUserId, type: dataType } : { syncUserId })
        .groupBy('i.errorCode')
        .execute<{ error_code: ItemErrorCode; total: number | string }[]>('all', false);
      for (const row of rows) {
        if (row.error_code in totals) totals[row.error_code] = Number(row.total);
      }
      return totals;
    },

    async countByTypeAndCode(syncUserId) {
      if (!isUuid(syncUserId)) return {};
      const rows = await forkEm(context)
        .createQueryBuilder(ItemRecordSchema, 'i')
        .select(['i.type', 'i.errorCode', raw('count(*) as total')])
        .where({ syncUserId })
        .groupBy(['i.type', 'i.errorCode'])
        .execute<{ type: DataType; error_code: ItemErrorCode; total: number | string }[]>('all', false);
      const totals: Partial<Record<DataType, Partial<Record<ItemErrorCode, number>>>> = {};
      for (const row of rows) (totals[row.type] ??= {})[row.error_code] = Number(row.total);
      return totals;
    },
  };
}

function toRow(syncUserId: string, outcome: ItemOutcome, index: number, keepSubjects: boolean, now: Date): ItemRecordEntity {
  const field = (name: string) => `outcomes[${index}].${name}`;
  if (outcome.sizeBytes != null && (!Number.isSafeInteger(outcome.sizeBytes) || outcome.sizeBytes < 0)) {
    throw new StoreValidationError(field('sizeBytes'), `${field('sizeBytes')} must be a whole number of bytes.`);
  }
  if (outcome.cycleId != null && !isUuid(outcome.cycleId)) {
    throw new StoreValidationError(field('cycleId'), `${field('cycleId')} must be a cycle id returned by cycles.start.`);
  }
  if (outcome.at !== undefined && (!(outcome.at instanceof Date) || Number.isNaN(outcome.at.getTime()))) {
    throw new StoreValidationError(field('at'), `${field('at')} must be a valid date.`);
  }
  return {
    id: randomUUID(),
    syncUserId,
    sourceItemId: requireText(outcome.sourceItemId, field('sourceItemId'), 1024),
    type: requireOneOf(outcome.type, DATA_TYPES, field('type')),
    folderName: requireText(outcome.folderName, field('folderName'), 4000),
    subject: keepSubjects && outcome.subject ? outcome.subject : null,
    sizeBytes: outcome.sizeBytes ?? null,
    status: requireOneOf(outcome.status, ITEM_OUTCOME_STATUSES, field('status')),
    errorCode: requireOneOf(outcome.errorCode, ITEM_ERROR_CODES, field('errorCode')),
    reason: requireText(outcome.reason, field('reason'), 4000),
    serviceError: outcome.serviceError ?? null,
    at: outcome.at ?? now,
    cycleId: outcome.cycleId ?? null,
  };
}

function toView(entity: ItemRecordEntity): ItemRecordView {
  return {
    id: entity.id,
    syncUserId: entity.syncUserId,
    sourceItemId: entity.sourceItemId,
    type: entity.type,
    folderName: entity.folderName,
    subject: entity.subject ?? null,
    sizeBytes: entity.sizeBytes ?? null,
    status: entity.status,
    errorCode: entity.errorCode,
    reason: entity.reason,
    serviceError: entity.serviceError ?? null,
    at: entity.at,
    cycleId: entity.cycleId ?? null,
  };
}
