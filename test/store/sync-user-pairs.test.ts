import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PairSelection, PolicyView, Store } from '../../store/index.js';
import { StoreHarness, seedPolicy } from './fixtures.js';

const harness = new StoreHarness();
afterAll(() => harness.dispose());

/** One sync per mailbox pair, as the database keeps it (store/repositories/sync-user-pairs.ts). */
describe('sync users: one sync per mailbox pair', () => {
  let store: Store;
  let first: PolicyView;
  let second: PolicyView;

  const selection = (policy: PolicyView, n: number): PairSelection => ({
    policyId: policy.id,
    sourceUserId: `source-${n}`,
    workflowId: `user-sync-${policy.id}-source-${n}`,
    sourceEmail: `user${n}@contoso.com`,
    targetEmail: `user${n}@example.com`,
    displayName: `User ${n}`,
    sourceConnectionId: policy.sourceConnectionId,
    targetConnectionId: policy.targetConnectionId,
  });
  const otherPolicy = async (name: string): Promise<PolicyView> =>
    store.policies.create({ name, sourceConnectionId: first.sourceConnectionId, targetConnectionId: first.targetConnectionId, rules: { allUsers: true }, targetDomain: 'example.com' });

  beforeAll(async () => {
    store = await harness.open();
    ({ policy: first } = await seedPolicy(store));
    second = await otherPolicy('Second');
  });

  it('the first policy to select a person owns the sync; another gets a SyncedElsewhere row naming it, entered once', async () => {
    const owner = await store.syncUsers.selectPair(selection(first, 1));
    expect(owner).toMatchObject({ kind: 'created', user: { status: 'Pending', ownsPair: true } });
    const elsewhere = await store.syncUsers.selectPair(selection(second, 1));
    expect(elsewhere).toMatchObject({ kind: 'elsewhere', entered: true, owner: { id: owner.user.id }, user: { status: 'SyncedElsewhere', ownsPair: false, syncedByUserId: owner.user.id } });
    expect(await store.syncUsers.selectPair(selection(second, 1))).toMatchObject({ kind: 'elsewhere', entered: false });
    expect(await store.syncUsers.selectPair(selection(first, 1))).toMatchObject({ kind: 'existing', user: { id: owner.user.id } });
    expect([...(await store.syncUsers.ownersOfShadows(second.id)).keys()]).toEqual([owner.user.id]);
  });

  it('two reconcilers selecting the same new person at the same moment make one sync: the pair key is unique', async () => {
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => store.syncUsers.selectPair(selection(i % 2 === 0 ? first : second, 2))));
    const owners = new Set(outcomes.filter((o) => o.kind !== 'elsewhere').map((o) => o.user.id));
    expect(owners.size).toBe(1);
    const rows = [...(await store.syncUsers.listByPolicy(first.id)), ...(await store.syncUsers.listByPolicy(second.id))].filter((row) => row.sourceUserId === 'source-2');
    expect(rows).toHaveLength(2);
    expect(rows.filter((row) => row.ownsPair)).toHaveLength(1);
    expect(rows.filter((row) => row.status === 'SyncedElsewhere')).toHaveLength(1);
  });

  it('when the owner lets the person go, the next policy takes over the same row, id map and all', async () => {
    const owner = await store.syncUsers.selectPair(selection(first, 3));
    await store.syncUsers.selectPair(selection(second, 3));
    await store.messageMap.recordIntents(owner.user.id, [{ sourceItemId: 'm-1', internetMessageId: '<m-1@contoso.com>', sourceFolderId: 'inbox' }]);
    await store.syncUsers.update(owner.user.id, { status: 'Excluded' });
    const taken = await store.syncUsers.selectPair(selection(second, 3));
    expect(taken).toMatchObject({ kind: 'takenOver', previousPolicyId: first.id, user: { id: owner.user.id, policyId: second.id, status: 'Pending', runId: null, ownsPair: true } });
    expect((await store.syncUsers.listByPolicy(second.id)).filter((row) => row.sourceUserId === 'source-3').map((row) => row.id)).toEqual([owner.user.id]);
    expect((await store.messageMap.findBySourceIds(owner.user.id, ['m-1'])).size).toBe(1);
    // The former owner, selecting them again, now sees them synced elsewhere.
    expect(await store.syncUsers.selectPair(selection(first, 3))).toMatchObject({ kind: 'elsewhere', entered: true, owner: { id: owner.user.id } });
  });

  it('deleting a policy hands its pairs to the next policy that selects them, and SyncedElsewhere rows do not hold the deletion up', async () => {
    const third = await otherPolicy('Third');
    const owner = await store.syncUsers.selectPair(selection(third, 4));
    await store.syncUsers.selectPair(selection(second, 4));
    await store.syncUsers.selectPair(selection(third, 1)); // SyncedElsewhere under third: no obstacle
    await expect(store.policies.delete(third.id)).rejects.toMatchObject({ code: 'POLICY_IN_USE' });
    await store.syncUsers.update(owner.user.id, { status: 'Excluded' });
    expect(await store.policies.delete(third.id)).toBe(true);
    const handed = await store.syncUsers.get(owner.user.id);
    expect(handed).toMatchObject({ policyId: second.id, status: 'Excluded', ownsPair: true });
    expect(await store.syncUsers.selectPair(selection(second, 4))).toMatchObject({ kind: 'reselected', user: { id: owner.user.id } });
  });

  it('a policy switch is claimed by one caller only', async () => {
    await store.policies.setEnabled(first.id, false);
    const claims = await Promise.all([store.policies.claimUsersTold(first.id, false), store.policies.claimUsersTold(first.id, false)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.policies.claimUsersTold(first.id, false)).toBe(false);
    await store.policies.releaseUsersTold(first.id);
    expect(await store.policies.claimUsersTold(first.id, false)).toBe(true);
  });

  it('records a reconcile failure once per code and clears it', async () => {
    const error = { code: 'GROUP_NOT_FOUND', message: 'The group is gone.', at: new Date() };
    expect(await store.policies.recordReconcileError(first.id, error)).toEqual({ changed: true });
    expect(await store.policies.recordReconcileError(first.id, error)).toEqual({ changed: false });
    expect((await store.policies.get(first.id))!.lastReconcileError).toMatchObject({ code: 'GROUP_NOT_FOUND' });
    expect(await store.policies.clearReconcileError(first.id)).toMatchObject({ code: 'GROUP_NOT_FOUND' });
    expect((await store.policies.get(first.id))!.lastReconcileError).toBeNull();
  });
});
