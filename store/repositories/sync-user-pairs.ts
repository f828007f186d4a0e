import { randomUUID } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { SyncUserSchema, type SyncUserEntity } from '../entities/index.js';
import { StoreValidationError } from '../errors.js';
import { requireText } from '../validate.js';
import { CLEARED_RUN_STATE, newSyncUserRow, validateSelectedUser, type SelectedUser } from './sync-user-input.js';
import { affectedRows, isForeignKeyViolation, isUniqueViolation, isUuid, type StoreContext, writeTransaction } from './support.js';

/**
 * One sync per mailbox pair (product contract, "One sync per mailbox pair").
 *
 * A pair is (source connection, source user) → (target connection); the
 * target account follows from the policy that owns the pair's row. Exactly
 * one row carries the pair's key (unique in the database), and that row is
 * the pair's sync: its id keys the id map, folder states and item records,
 * and its workflow is the only one. Another policy that selects the same
 * person gets a row of its own without the key, in status SyncedElsewhere,
 * naming the row that syncs them. When the owning policy lets the user go
 * (the row is Excluded), the next policy to select them takes the row over:
 * the same row, re-pointed to that policy, so the id map stays and nothing is
 * copied twice.
 */
export interface PairSelection extends SelectedUser {
  sourceConnectionId: string;
  targetConnectionId: string;
}

export type PairOutcome =
  /** A new row: this policy is the first to select the pair. */
  | { kind: 'created'; user: SyncUserEntity }
  /** This policy's own sync, Excluded until now: back to Pending. */
  | { kind: 'reselected'; user: SyncUserEntity }
  /** This policy's own sync, already selected. */
  | { kind: 'existing'; user: SyncUserEntity }
  /** Another policy let the pair go (or its row is gone): this policy's sync now, id map and all. */
  | { kind: 'takenOver'; user: SyncUserEntity; previousPolicyId: string | null }
  /** Synced under another policy; `entered` when this row has just become (or now points at a different) SyncedElsewhere. */
  | { kind: 'elsewhere'; user: SyncUserEntity; owner: SyncUserEntity; entered: boolean }
  /** A row of this policy from before pairs had keys, still syncing beside the pair's own sync: to be stopped. */
  | { kind: 'duplicate'; user: SyncUserEntity; owner: SyncUserEntity };

/** Ids only (no address): it is stored unencrypted and compared as is. */
export function pairKeyOf(selection: { sourceConnectionId: string; sourceUserId: string; targetConnectionId: string }): string {
  return `${selection.sourceConnectionId}:${selection.sourceUserId}:${selection.targetConnectionId}`;
}

/**
 * Records a policy's selection of one person. Runs in one transaction that
 * starts with a write (SQLite then holds the write lock for the reads that
 * follow); a concurrent reconciler that claimed the same pair first makes the
 * unique key or the conditional takeover fail, and the selection is decided
 * again against what that one wrote.
 */
export async function selectPair(context: StoreContext, input: PairSelection): Promise<PairOutcome> {
  const selected = {
    ...validateSelectedUser(input),
    sourceConnectionId: requireText(input.sourceConnectionId, 'sourceConnectionId'),
    targetConnectionId: requireText(input.targetConnectionId, 'targetConnectionId'),
  };
  if (!isUuid(selected.policyId)) throw new StoreValidationError('policyId', `policyId: no policy ${selected.policyId} exists.`);
  const pairKey = pairKeyOf(selected);
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeTransaction(context, (em) => decide(em, selected, pairKey));
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new StoreValidationError('policyId', `policyId: no policy ${selected.policyId} exists.`);
      if (!(isUniqueViolation(error) || error instanceof LostRace) || attempt >= 3) throw error;
    }
  }
}

/** Another transaction changed the pair's row between this one's read and write. */
class LostRace extends Error {}

async function decide(em: SqlEntityManager, selected: PairSelection, pairKey: string): Promise<PairOutcome> {
  const now = new Date();
  const newId = randomUUID();
  const row = newRow(selected, pairKey, now);
  // Insert first: a new pair with no row of this policy is the common case, and the statement takes SQLite's write lock.
  const inserted = await em
    .createQueryBuilder(SyncUserSchema)
    .insert({ ...row, id: newId })
    .onConflict()
    .ignore()
    .execute('run');
  if (affectedRows(inserted) > 0) return { kind: 'created', user: { ...row, id: newId } };

  const own = await em.findOne(SyncUserSchema, { policyId: selected.policyId, sourceUserId: selected.sourceUserId });
  const pair = await em.findOne(SyncUserSchema, { pairKey });
  const refreshed = (existing: SyncUserEntity): Partial<SyncUserEntity> => ({
    workflowId: selected.workflowId,
    sourceEmail: selected.sourceEmail,
    displayName: selected.displayName,
    // Once the Google account exists, its address is where the mail goes; a new mapping must not redirect it.
    ...(existing.googleUserId === null ? { targetEmail: selected.targetEmail } : {}),
    updatedAt: now,
  });

  if (pair && pair.policyId === selected.policyId) {
    const reselected = pair.status === 'Excluded';
    const changes = { ...refreshed(pair), ...(reselected ? { status: 'Pending' as const, ...CLEARED_RUN_STATE } : {}) };
    await em.nativeUpdate(SyncUserSchema, { id: pair.id }, changes);
    return { kind: reselected ? 'reselected' : 'existing', user: { ...pair, ...changes } };
  }

  if (pair && pair.status === 'Excluded') {
    // Let go by its policy: this policy takes the same row, so the pair's id map comes along.
    if (own) await em.nativeDelete(SyncUserSchema, { id: own.id });
    const changes: Partial<SyncUserEntity> = { ...refreshed(pair), policyId: selected.policyId, status: 'Pending', syncedByUserId: null, ...CLEARED_RUN_STATE };
    const moved = affectedRows(await em.nativeUpdate(SyncUserSchema, { id: pair.id, policyId: pair.policyId, status: 'Excluded' }, changes));
    if (moved === 0) throw new LostRace();
    return { kind: 'takenOver', user: { ...pair, ...changes }, previousPolicyId: pair.policyId };
  }

  if (pair) {
    if (!own) {
      const shadow = { ...row, id: newId, pairKey: null, status: 'SyncedElsewhere' as const, syncedByUserId: pair.id };
      await em.insert(SyncUserSchema, shadow);
      return { kind: 'elsewhere', user: shadow, owner: pair, entered: true };
    }
    if (own.status !== 'SyncedElsewhere' && own.status !== 'Excluded') return { kind: 'duplicate', user: own, owner: pair };
    const entered = own.status !== 'SyncedElsewhere' || own.syncedByUserId !== pair.id;
    const changes: Partial<SyncUserEntity> = entered ? { ...refreshed(own), status: 'SyncedElsewhere', syncedByUserId: pair.id, nextSyncAt: null, ...CLEARED_RUN_STATE } : {};
    if (entered) await em.nativeUpdate(SyncUserSchema, { id: own.id }, changes);
    return { kind: 'elsewhere', user: { ...own, ...changes }, owner: pair, entered };
  }

  // No row syncs the pair (its policy was deleted with no one to hand it to, or a row from before pair keys): this policy's row claims it.
  if (!own) throw new LostRace();
  const wasShadow = own.status === 'SyncedElsewhere';
  const reselected = own.status === 'Excluded';
  const changes: Partial<SyncUserEntity> = { ...refreshed(own), pairKey, syncedByUserId: null, ...(wasShadow || reselected ? { status: 'Pending' as const, ...CLEARED_RUN_STATE } : {}) };
  await em.nativeUpdate(SyncUserSchema, { id: own.id }, changes);
  const user = { ...own, ...changes };
  if (wasShadow) return { kind: 'takenOver', user, previousPolicyId: null };
  return { kind: reselected ? 'reselected' : 'existing', user };
}

function newRow(selected: PairSelection, pairKey: string, now: Date): Omit<SyncUserEntity, 'id'> {
  const { sourceConnectionId: _source, targetConnectionId: _target, ...user } = selected;
  return newSyncUserRow(user, pairKey, now);
}
