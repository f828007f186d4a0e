import { randomUUID } from 'node:crypto';
import { SyncCycleSchema, type CycleCounts, type SyncCycleEntity } from '../entities/index.js';
import { StoreNotFoundError, StoreValidationError } from '../errors.js';
import { requireOneOf, requireText, wholeNumber } from '../validate.js';
import { CYCLE_KINDS, CYCLE_TRIGGERS, ITEM_COUNT_FIELDS, type CycleOutcome } from '../vocabulary.js';
import { affectedRows, forkEm, isForeignKeyViolation, isUuid, type StoreContext } from './support.js';

export interface CycleStart extends Pick<SyncCycleEntity, 'syncUserId' | 'kind' | 'trigger'> {
  /** Default now. */
  startedAt?: Date;
}

export interface CycleFinish {
  outcome: Exclude<CycleOutcome, 'running'>;
  errorCode?: string | null;
  counts?: Partial<CycleCounts>;
  /** Default now. */
  finishedAt?: Date;
}

/** A cycle as callers see it: the row's own fields, as a plain copy. */
export type SyncCycleView = SyncCycleEntity;

export interface CyclesRepository {
  /** Returns the new cycle's id (outcome 'running'). */
  start(input: CycleStart): Promise<string>;
  /** Nothing is read back: listRecent shows the finished cycle. */
  finish(id: string, result: CycleFinish): Promise<void>;
  /** Newest first. */
  listRecent(syncUserId: string, limit?: number): Promise<SyncCycleView[]>;
}

const CYCLE_COUNT_FIELDS = [...ITEM_COUNT_FIELDS, 'updated', 'deleted'] as const;

export function createCyclesRepository(context: StoreContext): CyclesRepository {
  return {
    async start(input) {
      if (!isUuid(input.syncUserId)) throw new StoreNotFoundError('SyncUser', input.syncUserId);
      const id = randomUUID();
      try {
        await forkEm(context).insert(SyncCycleSchema, {
          id,
          syncUserId: input.syncUserId,
          kind: requireOneOf(input.kind, CYCLE_KINDS, 'kind'),
          trigger: requireOneOf(input.trigger, CYCLE_TRIGGERS, 'trigger'),
          startedAt: input.startedAt ?? new Date(),
          finishedAt: null,
          outcome: 'running',
          errorCode: null,
          counts: cycleCounts({}),
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new StoreNotFoundError('SyncUser', input.syncUserId);
        throw error;
      }
      return id;
    },

    async finish(id, result) {
      const changes: Partial<SyncCycleEntity> = {
        outcome: requireOneOf(result.outcome, ['succeeded', 'failed'] as const, 'outcome'),
        finishedAt: result.finishedAt ?? new Date(),
        errorCode: result.errorCode == null ? null : requireText(result.errorCode, 'errorCode', 64),
      };
      if (result.counts !== undefined) changes.counts = cycleCounts(result.counts);
      const updated = isUuid(id) ? affectedRows(await forkEm(context).nativeUpdate(SyncCycleSchema, { id }, changes)) : 0;
      if (updated === 0) throw new StoreNotFoundError('SyncCycle', id);
    },

    async listRecent(syncUserId, limit = 10) {
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new StoreValidationError('limit', 'limit must be a whole number from 1 to 200.');
      if (!isUuid(syncUserId)) return [];
      const rows = await forkEm(context).find(SyncCycleSchema, { syncUserId }, { orderBy: { startedAt: 'desc', id: 'desc' }, limit });
      return rows.map(toView);
    },
  };
}

function cycleCounts(counts: Partial<CycleCounts>): CycleCounts {
  const clean = {} as CycleCounts;
  for (const field of CYCLE_COUNT_FIELDS) clean[field] = wholeNumber(counts[field] ?? 0, `counts.${field}`, 0);
  return clean;
}

function toView(entity: SyncCycleEntity): SyncCycleView {
  return {
    id: entity.id,
    syncUserId: entity.syncUserId,
    kind: entity.kind,
    trigger: entity.trigger,
    startedAt: entity.startedAt,
    finishedAt: entity.finishedAt ?? null,
    outcome: entity.outcome,
    errorCode: entity.errorCode ?? null,
    counts: { ...cycleCounts({}), ...entity.counts },
  };
}
