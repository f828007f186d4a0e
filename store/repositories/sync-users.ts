import { randomUUID } from 'node:crypto';
import { raw } from '@mikro-orm/core';
import { PolicySchema, SyncUserSchema, type SyncUserEntity } from '../entities/index.js';
import { StoreNotFoundError, StoreValidationError } from '../errors.js';
import { pageSize, toPage, type Page } from '../pagination.js';
import { ITEM_COUNT_FIELDS, SYNC_STATUSES, type CountsByType, type ItemCounts, type SyncStatus } from '../vocabulary.js';
import { CLEARED_RUN_STATE, patchToChanges, validateCountsDelta, validateSelectedUser, type CountsDelta, type SelectedUser, type SyncUserPatch } from './sync-user-input.js';
import { emptyCounts } from '../../shared/vocabulary.js';
import { affectedRows, chunks, countsOf, forkEm, isForeignKeyViolation, isUuid, type StoreContext, writeTransaction } from './support.js';
import { selectPair, type PairSelection } from './sync-user-pairs.js';
import { newSyncUserRow } from './sync-user-input.js';
import { applySyncUserFilters, buildSyncUserListQuery, syncUserCursors, type SyncUserFilters, type SyncUserListRequest } from './sync-user-list.js';

/**
 * A sync user as callers see it: the row's fields, with the counters as one
 * object and the pair key reduced to whether this row holds it.
 */
export interface SyncUserView extends Omit<SyncUserEntity, keyof ItemCounts | 'pairKey' | 'syncedByUserId'> {
  /** Totals across data types. */
  counts: ItemCounts;
  /** Status SyncedElsewhere: the row (of another policy) whose sync carries this person. */
  syncedByUserId: string | null;
  /** Whether this row is its mailbox pair's sync (holds the pair's key); false on SyncedElsewhere rows and on rows from before pairs had keys. */
  ownsPair: boolean;
}

/** What selectPair decided, with the rows as views. */
export type PairOutcomeView =
  | { kind: 'created' | 'reselected' | 'existing'; user: SyncUserView }
  | { kind: 'takenOver'; user: SyncUserView; previousPolicyId: string | null }
  | { kind: 'elsewhere'; user: SyncUserView; owner: SyncUserView; entered: boolean }
  | { kind: 'duplicate'; user: SyncUserView; owner: SyncUserView };

/** 'created': new row; 'reselected': was Excluded, back to Pending; 'existing': already selected. */
export type SelectionChange = 'created' | 'reselected' | 'existing';

export interface SyncUsersRepository {
  /**
   * Creates the row (Pending, stage Provisioning), or keeps the existing row
   * and its id (so its id map prevents second copies) and refreshes its
   * emails, name and workflow id. The target email only changes while no
   * Google account is linked. An Excluded row goes back to Pending.
   */
  upsertSelected(input: SelectedUser): Promise<{ user: SyncUserView; change: SelectionChange }>;
  /**
   * The membership reconciler's selection of one person: one sync per
   * mailbox pair, whatever the number of policies (see sync-user-pairs.ts).
   */
  selectPair(input: PairSelection): Promise<PairOutcomeView>;
  /** The rows that sync the pairs this policy's SyncedElsewhere rows point at, by id. */
  ownersOfShadows(policyId: string): Promise<Map<string, SyncUserView>>;
  /**
   * Rows of other policies that select the pair this row syncs (SyncedElsewhere
   * pointing at it), earliest first: who takes the pair over when it is let go.
   */
  shadowsOf(syncUserId: string): Promise<SyncUserView[]>;
  get(id: string): Promise<SyncUserView | null>;
  getByWorkflowId(workflowId: string): Promise<SyncUserView | null>;
  /** Writes the patch; nothing is read back (the sync writes here several times per cycle). */
  update(id: string, patch: SyncUserPatch): Promise<void>;
  /** Atomic increments (no read-modify-write across processes); also sets lastProgressAt. Returns the new totals. */
  addCounts(id: string, delta: CountsDelta): Promise<{ counts: ItemCounts; countsByType: CountsByType }>;
  /** Ordered by source email then id. */
  list(request?: SyncUserListRequest): Promise<Page<SyncUserView>>;
  /** Item counters summed over every user (the dashboard's totals). */
  sumCounts(): Promise<ItemCounts>;
  /** One GROUP BY; every status present, 0 when none. */
  totalsByStatus(filters?: Omit<SyncUserFilters, 'status'>): Promise<Record<SyncStatus, number>>;
  /** Every row of the policy, Excluded ones included. */
  listByPolicy(policyId: string): Promise<SyncUserView[]>;
  /** Every row of every policy using the connection (as source or target), Excluded ones included. */
  listByConnection(connectionId: string): Promise<SyncUserView[]>;
}

export function createSyncUsersRepository(context: StoreContext): SyncUsersRepository {
  async function findOne(where: { id: string } | { workflowId: string }): Promise<SyncUserView | null> {
    const entity = await forkEm(context).findOne(SyncUserSchema, where);
    return entity ? toView(entity) : null;
  }

  async function getOrThrow(id: string): Promise<SyncUserView> {
    const user = isUuid(id) ? await findOne({ id }) : null;
    if (!user) throw new StoreNotFoundError('SyncUser', id);
    return user;
  }

  return {
    async upsertSelected(input) {
      const selected = validateSelectedUser(input);
      if (!isUuid(selected.policyId)) throw new StoreValidationError('policyId', `policyId: no policy ${selected.policyId} exists.`);
      const now = new Date();
      let result: { id: string; change: SelectionChange };
      try {
        result = await writeTransaction(context, async (em) => {
          // The insert comes first: in SQLite it takes the write lock, so the read below cannot go stale.
          const newId = randomUUID();
          const inserted = await em
            .createQueryBuilder(SyncUserSchema)
            .insert({ ...newSyncUserRow(selected, null, now), id: newId })
            .onConflict(['policyId', 'sourceUserId'])
            .ignore()
            .execute('run');
          if (affectedRows(inserted) > 0) return { id: newId, change: 'created' as const };

          const existing = await em.findOneOrFail(SyncUserSchema, { policyId: selected.policyId, sourceUserId: selected.sourceUserId });
          const reselected = existing.status === 'Excluded';
          const changes: Partial<SyncUserEntity> = {
            workflowId: selected.workflowId,
            sourceEmail: selected.sourceEmail,
            displayName: selected.displayName,
            updatedAt: now,
          };
          // Once the Google account exists, its address is where the mail goes; a new mapping must not redirect it.
          if (existing.googleUserId === null) changes.targetEmail = selected.targetEmail;
          if (reselected) Object.assign(changes, { status: 'Pending', ...CLEARED_RUN_STATE });
          await em.nativeUpdate(SyncUserSchema, { id: existing.id }, changes);
          return { id: existing.id, change: reselected ? ('reselected' as const) : ('existing' as const) };
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new StoreValidationError('policyId', `policyId: no policy ${selected.policyId} exists.`);
        throw error;
      }
      return { user: await getOrThrow(result.id), change: result.change };
    },

    async selectPair(input) {
      const outcome = await selectPair(context, input);
      switch (outcome.kind) {
        case 'elsewhere':
          return { kind: 'elsewhere', user: toView(outcome.user), owner: toView(outcome.owner), entered: outcome.entered };
        case 'duplicate':
          return { kind: 'duplicate', user: toView(outcome.user), owner: toView(outcome.owner) };
        case 'takenOver':
          return { kind: 'takenOver', user: toView(outcome.user), previousPolicyId: outcome.previousPolicyId };
        default:
          return { kind: outcome.kind, user: toView(outcome.user) };
      }
    },

    async ownersOfShadows(policyId) {
      if (!isUuid(policyId)) return new Map();
      const em = forkEm(context);
      const shadows = await em.find(SyncUserSchema, { policyId, status: 'SyncedElsewhere', syncedByUserId: { $ne: null } }, { fields: ['syncedByUserId'] });
      const ids = [...new Set(shadows.map((row) => row.syncedByUserId!))];
      const owners = new Map<string, SyncUserView>();
      for (const batch of chunks(ids)) {
        for (const row of await em.find(SyncUserSchema, { id: { $in: batch } })) owners.set(row.id, toView(row));
      }
      return owners;
    },

    async shadowsOf(syncUserId) {
      if (!isUuid(syncUserId)) return [];
      const rows = await forkEm(context).find(SyncUserSchema, { syncedByUserId: syncUserId, status: 'SyncedElsewhere' }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      return rows.map(toView);
    },

    async get(id) {
      return isUuid(id) ? findOne({ id }) : null;
    },

    async getByWorkflowId(workflowId) {
      return findOne({ workflowId });
    },

    async update(id, patch) {
      const changes = patchToChanges(patch);
      const updated = isUuid(id) ? affectedRows(await forkEm(context).nativeUpdate(SyncUserSchema, { id }, { ...changes, updatedAt: new Date() })) : 0;
      if (updated === 0) throw new StoreNotFoundError('SyncUser', id);
    },

    async addCounts(id, delta) {
      const clean = validateCountsDelta(delta);
      if (!isUuid(id)) throw new StoreNotFoundError('SyncUser', id);
      const totals = emptyCounts();
      for (const counts of Object.values(clean)) {
        for (const field of ITEM_COUNT_FIELDS) totals[field] += counts?.[field] ?? 0;
      }
      const now = new Date();
      return writeTransaction(context, async (em) => {
        // Increment first: the UPDATE takes the row (PostgreSQL) or write (SQLite) lock, so the
        // per-type JSON read and rewrite below cannot interleave with another writer.
        const increments = Object.fromEntries(ITEM_COUNT_FIELDS.map((field) => [field, raw(`${field} + ?`, [totals[field]])]));
        const result = await em
          .createQueryBuilder(SyncUserSchema)
          .update({ ...increments, lastProgressAt: now, updatedAt: now } as Partial<SyncUserEntity>)
          .where({ id })
          .execute('run');
        if (affectedRows(result) === 0) throw new StoreNotFoundError('SyncUser', id);
        const row = await em.findOneOrFail(SyncUserSchema, { id }, { fields: [...ITEM_COUNT_FIELDS, 'countsByType'] });
        const countsByType = mergeCounts(row.countsByType ?? {}, clean);
        await em.nativeUpdate(SyncUserSchema, { id }, { countsByType });
        return { counts: countsOf(row), countsByType };
      });
    },

    async list(request = {}) {
      const limit = pageSize(request.limit);
      const rows = await buildSyncUserListQuery(forkEm(context), request, limit).getResultList();
      return toPage(rows, limit, toView, (row) => syncUserCursors.encode({ key: row.sourceEmail, id: row.id }));
    },

    async sumCounts() {
      const sums = ITEM_COUNT_FIELDS.map((field) => raw(`coalesce(sum(${field}), 0) as ${field}`));
      const [row] = await forkEm(context).createQueryBuilder(SyncUserSchema, 'u').select(sums).execute<Record<keyof ItemCounts, number | string>[]>('all', false);
      return { exported: Number(row?.exported ?? 0), imported: Number(row?.imported ?? 0), failed: Number(row?.failed ?? 0), skipped: Number(row?.skipped ?? 0) };
    },

    async totalsByStatus(filters = {}) {
      const qb = forkEm(context)
        .createQueryBuilder(SyncUserSchema, 'u')
        .select(['u.status', raw('count(*) as total')])
        .groupBy('u.status');
      applySyncUserFilters(qb, { ...filters, status: undefined });
      const rows = await qb.execute<{ status: SyncStatus; total: number | string }[]>('all', false);
      const totals = Object.fromEntries(SYNC_STATUSES.map((status) => [status, 0])) as Record<SyncStatus, number>;
      for (const row of rows) {
        if (row.status in totals) totals[row.status] = Number(row.total);
      }
      return totals;
    },

    async listByPolicy(policyId) {
      if (!isUuid(policyId)) return [];
      const rows = await forkEm(context).find(SyncUserSchema, { policyId }, { orderBy: { sourceEmail: 'asc', id: 'asc' } });
      return rows.map(toView);
    },

    async listByConnection(connectionId) {
      if (!isUuid(connectionId)) return [];
      const em = forkEm(context);
      const policies = await em.find(PolicySchema, { $or: [{ sourceConnectionId: connectionId }, { targetConnectionId: connectionId }] }, { fields: ['id'] });
      if (policies.length === 0) return [];
      const rows = await em.find(SyncUserSchema, { policyId: { $in: policies.map((policy) => policy.id) } }, { orderBy: { sourceEmail: 'asc', id: 'asc' } });
      return rows.map(toView);
    },
  };
}

function mergeCounts(current: CountsByType, delta: CountsDelta): CountsByType {
  const merged: CountsByType = structuredClone(current);
  for (const [type, counts] of Object.entries(delta) as [keyof CountsDelta, Partial<ItemCounts> | undefined][]) {
    const target = (merged[type] ??= emptyCounts());
    for (const field of ITEM_COUNT_FIELDS) target[field] += counts?.[field] ?? 0;
  }
  return merged;
}

function toView(entity: SyncUserEntity): SyncUserView {
  return {
    id: entity.id,
    policyId: entity.policyId,
    sourceUserId: entity.sourceUserId,
    workflowId: entity.workflowId,
    runId: entity.runId ?? null,
    sourceEmail: entity.sourceEmail,
    targetEmail: entity.targetEmail,
    displayName: entity.displayName,
    status: entity.status,
    stage: entity.stage,
    errorCode: entity.errorCode ?? null,
    errorMessage: entity.errorMessage ?? null,
    errorAt: entity.errorAt ?? null,
    errorDetails: entity.errorDetails ?? null,
    pausedReason: entity.pausedReason ?? null,
    googleUserId: entity.googleUserId ?? null,
    lastSyncAt: entity.lastSyncAt ?? null,
    nextSyncAt: entity.nextSyncAt ?? null,
    lastProgressAt: entity.lastProgressAt ?? null,
    counts: countsOf(entity),
    countsByType: structuredClone(entity.countsByType ?? {}),
    initialSyncTotal: entity.initialSyncTotal ?? null,
    syncedByUserId: entity.syncedByUserId ?? null,
    ownsPair: (entity.pairKey ?? null) !== null,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}
