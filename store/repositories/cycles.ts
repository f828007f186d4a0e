import { randomUUID } from 'node:crypto';
import { SyncCycleSchema, type CycleCounts, type SyncCycleEntity } from '../entities/index.js';
import { StoreNotFoundError, StoreValidationError } from '../errors.js';
import { requireOneOf, requireText, wholeNumber } from '../validate.js';
import { CYCLE_KINDS, CYCLE_TRIGGERS, ITEM_COUNT_FIELDS, type CycleOutcome } from '../vocabulary.js';
import { affectedRows, forkEm, isForeignKeyViolation, isUniqueViolation, isUuid, type StoreContext } from './support.js';

export interface CycleStart extends Pick<SyncCycleEntity, 'syncUserId' | 'kind' | 'trigger'> {
  /** Default now. */
  startedAt?: Date;
  /**
   * The cycle's id, when the caller can name it: starting the same cycle again
   * (a local activity run again after its workflow task was retried) then
   * returns the cycle already recorded instead of a second one. Default: a
   * new random id.
   */
  id?: string;
}

export interface CycleStarted {
  id: string;
  /** False when a cycle with this id was already recorded: this start was a repeat. */
  created: boolean;
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
  /** Records a running cycle, or finds the one already recorded under input.id. */
  start(input: CycleStart): Promise<CycleStarted>;
  /**
   * Records the cycle's outcome. Returns false, changing nothing, when the
   * cycle was already finished: a repeated finish keeps the first one's
   * result. Nothing is read back: listRecent shows the finished cycle.
   */
  finish(id: string, result: CycleFinish): Promise<boolean>;
  /** Newest first. */
  listRecent(syncUserId: string, limit?: number): Promise<SyncCycleView[]>;
}

const CYCLE_COUNT_FIELDS = [...ITEM_COUNT_FIELDS, 'updated', 'deleted'] as const;

export function createCyclesRepository(context: StoreContext): CyclesRepository {
  return {
    async start(input) {
      if (!isUuid(input.syncUserId)) throw new StoreNotFoundError('SyncUser', input.syncUserId);
      if (input.id !== undefined && !isUuid(input.id)) throw new StoreValidationError('id', 'id must be a UUID.');
      const id = input.id ?? randomUUID();
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
        if (input.id === undefined || !isUniqueViolation(error)) throw error;
        const recorded = await forkEm(context).findOneOrFail(SyncCycleSchema, { id }, { fields: ['syncUserId'] });
        if (recorded.syncUserId !== input.syncUserId) throw new StoreValidationError('id', `Cycle ${id} is another user's.`);
        return { id, created: false };
      }
      return { id, created: true };
    },

    async finish(id, result) {
      const changes: Partial<SyncCycleEntity> = {
        outcome: requireOneOf(result.outcome, ['succeeded', 'failed'] as const, 'outcome'),
        finishedAt: result.finishedAt ?? new Date(),
        errorCode: result.errorCode == null ? null : requireText(result.errorCode, 'errorCode', 64),
      };
      if (result.counts !== undefined) changes.counts = cycleCounts(result.counts);
      if (!isUuid(id)) throw new StoreNotFoundError('SyncCycle', id);
      const em = forkEm(context);
      if (affectedRows(await em.nativeUpdate(SyncCycleSchema, { id, outcome: 'running' }, changes)) > 0) return true;
      if ((await em.count(SyncCycleSchema, { id })) === 0) throw new StoreNotFoundError('SyncCycle', id);
      return false;
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
