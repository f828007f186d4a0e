import { randomUUID } from 'node:crypto';
import type { FilterQuery } from '@mikro-orm/core';
import { ConnectionSchema, PolicySchema, SyncUserSchema, type PolicyEntity } from '../entities/index.js';
import { StoreConflictError, StoreNotFoundError, StoreValidationError } from '../errors.js';
import { cursorCodec, pageSize, toPage, type Page, type PageRequest } from '../pagination.js';
import type { ConnectionKind } from '../vocabulary.js';
import { validatePolicy, type NewPolicy, type PolicyPatch, type ValidPolicy } from './policy-input.js';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { StoredError } from '../vocabulary.js';
import { affectedRows, forkEm, fromStoredErrorJson, isUniqueViolation, isUuid, type StoreContext, toStoredErrorJson, writeTransaction } from './support.js';

/** A policy as callers see it: the row without its bookkeeping flag, its last error read back from JSON. */
export interface PolicyView extends Omit<PolicyEntity, 'lastReconcileError' | 'usersToldEnabled'> {
  /** The membership reconciler's last failure; null once a pass succeeds. */
  lastReconcileError: StoredError | null;
}

export interface PolicyListFilters extends PageRequest {
  enabled?: boolean;
  /** Policies using this connection as source or target. */
  connectionId?: string;
}

export interface PoliciesRepository {
  /** Throws StoreValidationError (field + message) for bad input, a duplicate name, or a missing or wrong-kind connection. */
  create(input: NewPolicy): Promise<PolicyView>;
  get(id: string): Promise<PolicyView | null>;
  /** By name. */
  list(filters?: PolicyListFilters): Promise<Page<PolicyView>>;
  /** Every policy (the membership reconciler walks them all), by name. */
  listAll(filters?: { enabled?: boolean }): Promise<PolicyView[]>;
  /** Patch: absent fields keep their value. Changing a connection is refused (POLICY_IN_USE) while users are selected. */
  update(id: string, patch: PolicyPatch): Promise<PolicyView>;
  setEnabled(id: string, enabled: boolean): Promise<{ policy: PolicyView; changed: boolean }>;
  /**
   * Refused (POLICY_IN_USE) while any of its users is not Excluded: stop their
   * workflows and mark them Excluded first. Then the policy goes, and with it
   * its Excluded users' rows (id map, items, folders, cycles). False when it did not exist.
   */
  delete(id: string): Promise<boolean>;
  /**
   * Records the reconciler's failure on the policy. `changed` is true when
   * no failure with this code was recorded already, so the caller writes one
   * audit entry per failure, not one per pass.
   */
  recordReconcileError(id: string, error: StoredError): Promise<{ changed: boolean }>;
  /** Clears it after a pass that succeeded; the failure that was cleared, or null. */
  clearReconcileError(id: string): Promise<StoredError | null>;
  /**
   * Claims the job of telling the policy's users its enabled state: true for
   * exactly one caller per switch (the flag flips atomically), which then
   * sends each user one pause or resume signal.
   */
  claimUsersTold(id: string, enabled: boolean): Promise<boolean>;
  /** The signals could not all be sent: the next membership pass claims and sends them again. */
  releaseUsersTold(id: string): Promise<void>;
}

const cursors = cursorCodec('policies', 'string', 'string');

export function createPoliciesRepository(context: StoreContext): PoliciesRepository {
  async function findEntity(id: string): Promise<PolicyEntity | null> {
    if (!isUuid(id)) return null;
    return forkEm(context).findOne(PolicySchema, { id });
  }

  async function getOrThrow(id: string): Promise<PolicyView> {
    const entity = await findEntity(id);
    if (!entity) throw new StoreNotFoundError('Policy', id);
    return toView(entity);
  }

  async function requireConnection(field: 'sourceConnectionId' | 'targetConnectionId', id: string, kind: ConnectionKind): Promise<void> {
    const connection = isUuid(id) ? await forkEm(context).findOne(ConnectionSchema, { id }, { fields: ['id', 'kind'] }) : null;
    if (!connection) throw new StoreValidationError(field, `${field}: no connection ${id} exists.`);
    if (connection.kind !== kind) throw new StoreValidationError(field, `${field} must be a ${kind} connection, not ${connection.kind}.`);
  }

  async function checkConnections(policy: ValidPolicy): Promise<void> {
    await requireConnection('sourceConnectionId', policy.sourceConnectionId, 'microsoft365');
    await requireConnection('targetConnectionId', policy.targetConnectionId, 'google-workspace');
  }

  async function activeUserCount(policyId: string): Promise<number> {
    // A SyncedElsewhere row syncs nothing: it goes with the policy.
    return forkEm(context).count(SyncUserSchema, { policyId, status: { $nin: ['Excluded', 'SyncedElsewhere'] } });
  }

  return {
    async create(input) {
      const policy = validatePolicy(input);
      await checkConnections(policy);
      const id = randomUUID();
      const now = new Date();
      try {
        // A new policy has no users to tell.
        await forkEm(context).insert(PolicySchema, { id, ...policy, lastReconcileError: null, usersToldEnabled: policy.enabled, createdAt: now, updatedAt: now });
      } catch (error) {
        throw translateWriteError(error, policy.name);
      }
      return getOrThrow(id);
    },

    async get(id) {
      const entity = await findEntity(id);
      return entity ? toView(entity) : null;
    },

    async list(filters = {}) {
      const limit = pageSize(filters.limit);
      const where: FilterQuery<PolicyEntity>[] = [];
      if (filters.enabled !== undefined) where.push({ enabled: filters.enabled });
      if (filters.connectionId !== undefined) {
        if (!isUuid(filters.connectionId)) return { items: [] };
        where.push({ $or: [{ sourceConnectionId: filters.connectionId }, { targetConnectionId: filters.connectionId }] });
      }
      if (filters.cursor !== undefined) {
        const after = cursors.decode(filters.cursor);
        where.push({ name: { $gte: after.key } }, { $or: [{ name: { $gt: after.key } }, { id: { $gt: after.id } }] });
      }
      const rows = await forkEm(context).find(PolicySchema, { $and: where }, { orderBy: { name: 'asc', id: 'asc' }, limit: limit + 1 });
      return toPage(rows, limit, toView, (row) => cursors.encode({ key: row.name, id: row.id }));
    },

    async listAll(filters = {}) {
      const where: FilterQuery<PolicyEntity> = filters.enabled === undefined ? {} : { enabled: filters.enabled };
      const rows = await forkEm(context).find(PolicySchema, where, { orderBy: { name: 'asc', id: 'asc' } });
      return rows.map(toView);
    },

    async update(id, patch) {
      const existing = await findEntity(id);
      if (!existing) throw new StoreNotFoundError('Policy', id);
      const policy = validatePolicy({ ...toView(existing), ...definedFields(patch) });
      const connectionsChanged = policy.sourceConnectionId !== existing.sourceConnectionId || policy.targetConnectionId !== existing.targetConnectionId;
      if (connectionsChanged) {
        await checkConnections(policy);
        const users = await activeUserCount(id);
        if (users > 0) {
          throw new StoreConflictError('POLICY_IN_USE', `The policy still syncs ${users} users; exclude them before changing its connections.`);
        }
      }
      try {
        await forkEm(context).nativeUpdate(PolicySchema, { id }, { ...policy, updatedAt: new Date() });
      } catch (error) {
        throw translateWriteError(error, policy.name);
      }
      return getOrThrow(id);
    },

    async setEnabled(id, enabled) {
      if (typeof enabled !== 'boolean') throw new StoreValidationError('enabled', 'enabled must be true or false.');
      const em = forkEm(context);
      const changed = isUuid(id) ? affectedRows(await em.nativeUpdate(PolicySchema, { id, enabled: !enabled }, { enabled, updatedAt: new Date() })) > 0 : false;
      return { policy: await getOrThrow(id), changed };
    },

    async delete(id) {
      if (!isUuid(id)) return false;
      const users = await activeUserCount(id);
      if (users > 0) {
        throw new StoreConflictError('POLICY_IN_USE', `The policy still syncs ${users} users; disable it and exclude its users before deleting it.`);
      }
      return writeTransaction(context, async (em) => {
        await handOverPairs(em, id);
        // Its other rows (Excluded, or SyncedElsewhere) cascade with it (foreign keys, on delete cascade).
        return affectedRows(await em.nativeDelete(PolicySchema, { id })) > 0;
      });
    },

    async recordReconcileError(id, error) {
      if (!isUuid(id)) throw new StoreNotFoundError('Policy', id);
      const em = forkEm(context);
      const existing = await em.findOne(PolicySchema, { id }, { fields: ['lastReconcileError'] });
      if (!existing) throw new StoreNotFoundError('Policy', id);
      await em.nativeUpdate(PolicySchema, { id }, { lastReconcileError: toStoredErrorJson(error) });
      return { changed: existing.lastReconcileError?.code !== error.code };
    },

    async clearReconcileError(id) {
      if (!isUuid(id)) return null;
      const em = forkEm(context);
      const existing = await em.findOne(PolicySchema, { id }, { fields: ['lastReconcileError'] });
      if (!existing?.lastReconcileError) return null;
      await em.nativeUpdate(PolicySchema, { id }, { lastReconcileError: null });
      return fromStoredErrorJson(existing.lastReconcileError);
    },

    async claimUsersTold(id, enabled) {
      if (!isUuid(id)) return false;
      const where = { id, enabled, $or: [{ usersToldEnabled: null }, { usersToldEnabled: !enabled }] };
      return affectedRows(await forkEm(context).nativeUpdate(PolicySchema, where, { usersToldEnabled: enabled })) > 0;
    },

    async releaseUsersTold(id) {
      if (!isUuid(id)) return;
      await forkEm(context).nativeUpdate(PolicySchema, { id }, { usersToldEnabled: null });
    },
  };
}

/**
 * A deleted policy's pairs stay with the mailbox: each of its rows that syncs
 * a pair (Excluded by now) goes to the earliest other policy that selects the
 * same person (its SyncedElsewhere row makes way), id map and all; that
 * policy's next pass starts it again. A pair no other policy selects goes
 * with the policy.
 */
async function handOverPairs(em: SqlEntityManager, policyId: string): Promise<void> {
  const owned = await em.find(SyncUserSchema, { policyId, pairKey: { $ne: null } }, { fields: ['id'] });
  for (const row of owned) {
    const [heir] = await em.find(SyncUserSchema, { syncedByUserId: row.id, status: 'SyncedElsewhere' }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 1 });
    if (!heir) continue;
    await em.nativeDelete(SyncUserSchema, { id: heir.id });
    await em.nativeUpdate(SyncUserSchema, { id: row.id }, { policyId: heir.policyId, workflowId: heir.workflowId, status: 'Excluded', updatedAt: new Date() });
  }
}

function definedFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function translateWriteError(error: unknown, name: string): unknown {
  if (isUniqueViolation(error)) return new StoreValidationError('name', `A policy named "${name}" already exists.`);
  return error;
}

function toView(entity: PolicyEntity): PolicyView {
  return {
    id: entity.id,
    name: entity.name,
    enabled: entity.enabled,
    sourceConnectionId: entity.sourceConnectionId,
    targetConnectionId: entity.targetConnectionId,
    rules: structuredClone(entity.rules),
    dataTypes: [...entity.dataTypes],
    cycleIntervalSeconds: entity.cycleIntervalSeconds,
    targetDomain: entity.targetDomain,
    usernameMapping: entity.usernameMapping,
    storeSubjects: entity.storeSubjects,
    calendarMonthsBack: entity.calendarMonthsBack,
    calendarMonthsAhead: entity.calendarMonthsAhead,
    lastReconcileError: fromStoredErrorJson(entity.lastReconcileError ?? null),
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}
