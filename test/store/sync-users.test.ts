import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidCursorError, StoreNotFoundError, StoreValidationError, type Store, type SyncUserListRequest, type SyncUserView } from '../../store/index.js';
import { buildSyncUserListQuery } from '../../store/repositories/sync-user-list.js';
import { seedPolicy, seedUser, StoreHarness } from './fixtures.js';

const harness = new StoreHarness();
afterAll(() => harness.dispose());

/**
 * Whether the database answers `sql` by walking one of the list indexes in
 * order. SQLite's plan names the index and a "TEMP B-TREE" when it sorts.
 * PostgreSQL's planner prefers a sequential scan on a table this small, so
 * scans that ignore indexes are priced out here: what remains shows whether an
 * index serves the filter and the order, or a Sort node has to.
 */
async function walksListIndex(store: Store, sql: string): Promise<{ usesIndex: boolean; sorts: boolean }> {
  const connection = store.orm.em.fork().getConnection();
  if (store.dialect === 'sqlite') {
    const plan = (await connection.execute<{ detail: string }[]>(`explain query plan ${sql}`)).map((row) => row.detail).join('\n');
    return { usesIndex: /USING INDEX sync_users_(status|policy|error_code)_idx/.test(plan), sorts: /TEMP B-TREE/.test(plan) };
  }
  const plan = await connection.getKnex().transaction(async (trx) => {
    await trx.raw('set local enable_seqscan = off');
    await trx.raw('set local enable_bitmapscan = off');
    const result = await trx.raw<{ rows: { 'QUERY PLAN': string }[] }>(`explain ${sql}`);
    return result.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
  return { usesIndex: /Index Scan using sync_users_(status|policy|error_code)_idx/.test(plan), sorts: /Sort/.test(plan) };
}

async function listAll(store: Store, request: Omit<SyncUserListRequest, 'cursor'>): Promise<SyncUserView[]> {
  const users: SyncUserView[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.syncUsers.list({ ...request, cursor });
    users.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return users;
}

describe('sync users: selection and updates', () => {
  let store: Store;
  let policyId: string;
  beforeAll(async () => {
    store = await harness.open();
    policyId = (await seedPolicy(store)).policy.id;
  });

  it('upsertSelected creates once, then keeps the row and its id; re-selection brings Excluded back to Pending', async () => {
    const input = { policyId, sourceUserId: 'graph-1', workflowId: 'wf-graph-1', sourceEmail: 'Alice@Contoso.com', targetEmail: 'alice@example.com', displayName: 'Alice' };
    const created = await store.syncUsers.upsertSelected(input);
    expect(created.change).toBe('created');
    expect(created.user).toMatchObject({ status: 'Pending', stage: 'Provisioning', sourceEmail: 'alice@contoso.com', counts: { exported: 0, imported: 0, failed: 0, skipped: 0 } });

    await store.syncUsers.update(created.user.id, { status: 'Synced', stage: 'Recurring', googleUserId: 'google-1' });
    const again = await store.syncUsers.upsertSelected({ ...input, displayName: 'Alice Smith', targetEmail: 'asmith@example.com' });
    expect(again.change).toBe('existing');
    expect(again.user).toMatchObject({ id: created.user.id, status: 'Synced', displayName: 'Alice Smith', targetEmail: 'alice@example.com' });

    await store.syncUsers.update(created.user.id, { status: 'Excluded', error: { code: 'USER_NOT_FOUND', message: 'Gone from the directory.' } });
    const reselected = await store.syncUsers.upsertSelected(input);
    expect(reselected.change).toBe('reselected');
    expect(reselected.user).toMatchObject({ id: created.user.id, status: 'Pending', stage: 'Recurring', errorCode: null });
    expect((await store.syncUsers.getByWorkflowId('wf-graph-1'))?.id).toBe(created.user.id);
  });

  it('concurrent selections of the same user end in one row', async () => {
    const input = { policyId, sourceUserId: 'graph-race', workflowId: 'wf-graph-race', sourceEmail: 'race@contoso.com', targetEmail: 'race@example.com', displayName: 'Race' };
    const results = await Promise.all(Array.from({ length: 8 }, () => store.syncUsers.upsertSelected(input)));
    expect(new Set(results.map((result) => result.user.id)).size).toBe(1);
    expect(results.filter((result) => result.change === 'created')).toHaveLength(1);
  });

  it('refuses a selection for a policy that does not exist', async () => {
    const error = await store.syncUsers
      .upsertSelected({ policyId: '00000000-0000-4000-8000-000000000000', sourceUserId: 'x', workflowId: 'wf-x', sourceEmail: 'x@contoso.com', targetEmail: 'x@example.com', displayName: 'X' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreValidationError);
    expect(error).toMatchObject({ field: 'policyId' });
  });

  it('update has patch semantics: absent keeps, null clears, the error fields move together', async () => {
    const user = await seedUser(store, policyId, 'patch');
    const failedAt = new Date('2025-01-02T03:04:05.000Z');
    await store.syncUsers.update(user.id, {
      status: 'Failed',
      error: { code: 'RATE_LIMITED', message: 'Google kept refusing.', at: failedAt, details: { service: { code: 429 } } },
      nextSyncAt: new Date('2025-01-02T04:00:00.000Z'),
      initialSyncTotal: 1200,
    });
    const failed = await store.syncUsers.get(user.id);
    expect(failed).toMatchObject({ status: 'Failed', stage: 'Provisioning', errorCode: 'RATE_LIMITED', errorAt: failedAt, errorDetails: { service: { code: 429 } }, initialSyncTotal: 1200 });

    await store.syncUsers.update(user.id, { status: 'Syncing', error: null });
    const resumed = (await store.syncUsers.get(user.id))!;
    expect(resumed).toMatchObject({ status: 'Syncing', errorCode: null, errorMessage: null, errorAt: null, errorDetails: null, initialSyncTotal: 1200 });
    expect(resumed.nextSyncAt).toEqual(new Date('2025-01-02T04:00:00.000Z'));

    await expect(store.syncUsers.update(user.id, { status: 'Sleeping' as never })).rejects.toMatchObject({ field: 'status' });
    await expect(store.syncUsers.update('00000000-0000-4000-8000-000000000000', { status: 'Synced' })).rejects.toBeInstanceOf(StoreNotFoundError);
  });

  it('addCounts increments atomically under concurrent calls, totals and per type', async () => {
    const user = await seedUser(store, policyId, 'counts');
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.syncUsers.addCounts(user.id, { mail: { exported: 3, imported: 2, failed: i % 2, skipped: 1 - (i % 2) } })));
    const counted = await store.syncUsers.get(user.id);
    expect(counted?.counts).toEqual({ exported: 120, imported: 80, failed: 20, skipped: 20 });
    expect(counted?.countsByType).toEqual({ mail: { exported: 120, imported: 80, failed: 20, skipped: 20 } });
    expect(counted?.lastProgressAt).toBeInstanceOf(Date);
    await expect(store.syncUsers.addCounts(user.id, { mail: { exported: 1.5 } })).rejects.toBeInstanceOf(StoreValidationError);
  });
});

describe('sync users: listing', () => {
  let store: Store;
  let policies: string[];
  const statuses = ['Pending', 'Synced', 'Failed', 'InitialSync'] as const;

  beforeAll(async () => {
    store = await harness.open();
    policies = [(await seedPolicy(store)).policy.id, (await seedPolicy(store)).policy.id, (await seedPolicy(store)).policy.id];
    // 3 policies x 70 users; the same email in every policy makes ties on the sort key.
    for (const [p, policyId] of policies.entries()) {
      for (let i = 0; i < 70; i++) {
        const user = await seedUser(store, policyId, `${p}-${i}`, { email: `user${String(i).padStart(3, '0')}@contoso.com`, displayName: i % 10 === 0 ? `Zoë Manager ${i}` : `Person ${i}` });
        const status = statuses[i % statuses.length]!;
        await store.syncUsers.update(user.id, {
          status,
          stage: status === 'Synced' ? 'Recurring' : 'InitialSync',
          error: status === 'Failed' ? { code: i % 8 === 2 ? 'AUTH_TOKEN_EXPIRED' : 'RATE_LIMITED', message: 'failed' } : null,
        });
      }
    }
  });

  it('pages are stable and complete: every row once, in (email, id) order, across ties', async () => {
    const paged = await listAll(store, { limit: 7 });
    expect(paged).toHaveLength(210);
    expect(new Set(paged.map((user) => user.id)).size).toBe(210);
    const sorted = [...paged].sort((a, b) => (a.sourceEmail === b.sourceEmail ? (a.id < b.id ? -1 : 1) : a.sourceEmail < b.sourceEmail ? -1 : 1));
    expect(paged.map((user) => user.id)).toEqual(sorted.map((user) => user.id));
  });

  it('a row added behind the cursor does not shift the next page', async () => {
    const first = await store.syncUsers.list({ limit: 20 });
    const expectedNext = await store.syncUsers.list({ limit: 20, cursor: first.nextCursor });
    await seedUser(store, policies[0]!, 'early', { email: 'aaa-early@contoso.com' });
    const next = await store.syncUsers.list({ limit: 20, cursor: first.nextCursor });
    expect(next.items.map((user) => user.id)).toEqual(expectedNext.items.map((user) => user.id));
    await store.syncUsers.update((await store.syncUsers.getByWorkflowId(`sync-user-${policies[0]}-early`))!.id, { status: 'Excluded' });
  });

  it('filters by status, stage, policy, error code and text, alone and combined', async () => {
    const failed = await listAll(store, { status: 'Failed', limit: 50 });
    expect(failed.every((user) => user.status === 'Failed')).toBe(true);

    const expired = await listAll(store, { errorCode: 'AUTH_TOKEN_EXPIRED' });
    expect(expired.every((user) => user.errorCode === 'AUTH_TOKEN_EXPIRED')).toBe(true);

    // Per policy, i % 4 === 1 (18 users) is Synced in stage Recurring; i % 8 === 2 (9 users) failed with AUTH_TOKEN_EXPIRED.
    expect(failed).toHaveLength(51);
    expect(expired).toHaveLength(27);
    const recurringInPolicy = await listAll(store, { stage: 'Recurring', policyId: policies[1] });
    expect(recurringInPolicy).toHaveLength(18);
    expect(recurringInPolicy.every((user) => user.stage === 'Recurring' && user.policyId === policies[1])).toBe(true);
    expect(await listAll(store, { status: 'Failed', errorCode: 'AUTH_TOKEN_EXPIRED', policyId: policies[0] })).toHaveLength(9);

    expect(await listAll(store, { q: 'MANAGER' })).toHaveLength(21);
    expect(await listAll(store, { q: 'zoË man' })).toHaveLength(21);
    const byEmail = await listAll(store, { q: 'USER007@', policyId: policies[2] });
    expect(byEmail.map((user) => user.sourceEmail)).toEqual(['user007@contoso.com']);
    expect(await listAll(store, { q: '%' })).toHaveLength(0);
    expect((await store.syncUsers.list({ policyId: 'not-a-uuid' })).items).toEqual([]);
  });

  it('totalsByStatus is one GROUP BY over the same filters, every status present', async () => {
    const totals = await store.syncUsers.totalsByStatus();
    expect(Object.values(totals).reduce((sum, n) => sum + n, 0)).toBe(211);
    expect(totals.Excluded).toBe(1);
    expect(totals.Paused).toBe(0);
    for (const status of statuses) expect(totals[status]).toBe((await listAll(store, { status, limit: 500 })).length);
    const inPolicy = await store.syncUsers.totalsByStatus({ policyId: policies[0] });
    expect(inPolicy.Synced).toBe((await listAll(store, { status: 'Synced', policyId: policies[0] })).length);
  });

  it('listByPolicy and listByConnection return whole populations', async () => {
    expect(await store.syncUsers.listByPolicy(policies[2]!)).toHaveLength(70);
    const policy = await store.policies.get(policies[1]!);
    expect(await store.syncUsers.listByConnection(policy!.targetConnectionId)).toHaveLength(70);
  });

  it('list by status walks its index in order: no table scan, no sort', async () => {
    const em = store.orm.em.fork();
    const first = await store.syncUsers.list({ status: 'Synced', limit: 5 });
    for (const request of [{ status: 'Synced' as const }, { status: 'Synced' as const, cursor: first.nextCursor }, { policyId: policies[0] }, { errorCode: 'RATE_LIMITED' }]) {
      const sql = buildSyncUserListQuery(em, request, 50).getFormattedQuery();
      expect(await walksListIndex(store, sql), sql).toEqual({ usesIndex: true, sorts: false });
    }
  });

  it('rejects cursors it did not issue, or issued for another list', async () => {
    await store.audit.writeMany([
      { severity: 'Info', category: 'sync', code: 'A', message: 'a' },
      { severity: 'Info', category: 'sync', code: 'B', message: 'b' },
    ]);
    const otherListCursor = (await store.audit.list({ limit: 1 })).nextCursor!;
    expect(otherListCursor).toBeDefined();
    for (const cursor of ['garbage!', 'e30', Buffer.from('["sync-users", 1, 2]').toString('base64url'), otherListCursor]) {
      await expect(store.syncUsers.list({ cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    }
    await expect(store.syncUsers.list({ limit: 0 })).rejects.toMatchObject({ field: 'limit' });
  });
});
