import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus, Store } from '../../store/index.js';
import { openTestStore } from '../helpers/store.js';
import { connectTestTemporal, type TestTemporal } from '../helpers/temporal.js';
import { seedPolicy, seedUser } from '../store/fixtures.js';
import { apiClient, createApiApp, readAllPages, unknownId, type ApiClient, type ProblemBody } from './support.js';

interface Summary {
  userId: string;
  sourceEmail: string;
  targetEmail: string;
  displayName: string;
  policyId: string;
  status: SyncStatus;
  stage: string;
  errorCode: string | null;
  errorMessage: string | null;
  lastSyncAt: string | null;
  nextSyncAt: string | null;
  counts: { exported: number; imported: number; failed: number; skipped: number };
}

interface ListBody {
  items: Summary[];
  nextCursor: string | null;
  totalsByStatus: Record<SyncStatus, number>;
}

const statuses: SyncStatus[] = ['Pending', 'Provisioning', 'InitialSync', 'Syncing', 'Synced', 'Failed', 'Paused', 'Excluded'];

describe('GET /api/sync-status and the detail panel', () => {
  let temporal: TestTemporal;
  let store: Store;
  let api: ApiClient;
  let policyA: string;
  let policyB: string;
  const users: { id: string; status: SyncStatus; policyId: string; email: string }[] = [];

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    store = await openTestStore();
    policyA = (await seedPolicy(store, { storeSubjects: true })).policy.id;
    policyB = (await seedPolicy(store, { storeSubjects: false })).policy.id;
    // 40 users: statuses round-robin, two policies, names that sort in a known order.
    for (let n = 0; n < 40; n++) {
      const policyId = n % 2 === 0 ? policyA : policyB;
      const email = `user${String(n).padStart(2, '0')}@contoso.com`;
      const user = await seedUser(store, policyId, n, { email, displayName: n === 7 ? 'Zoë Quinn' : `User ${n}` });
      const status = statuses[n % statuses.length]!;
      await store.syncUsers.update(user.id, {
        status,
        stage: status === 'Pending' || status === 'Provisioning' ? 'Provisioning' : 'Recurring',
        ...(status === 'Failed' ? { error: { code: n % 3 === 0 ? 'AUTH_TOKEN_EXPIRED' : 'RATE_LIMITED', message: 'The cycle could not finish.', details: { status: 401 } } } : {}),
        ...(status === 'Paused' ? { pausedReason: 'operator' } : {}),
        counts: { exported: n + 2, imported: n, failed: 2, skipped: 0 },
      });
      users.push({ id: user.id, status, policyId, email });
    }
    api = apiClient(createApiApp(temporal, store));
  });
  afterAll(async () => {
    await temporal?.close();
    await store?.close();
  });

  it('lists users by source email with the documented fields and the totals per status', async () => {
    const res = await api.get<ListBody>('/api/sync-status?limit=5');
    expect(res.status).toBe(200);
    expect(res.body.items.map((item) => item.sourceEmail)).toEqual(['user00@contoso.com', 'user01@contoso.com', 'user02@contoso.com', 'user03@contoso.com', 'user04@contoso.com']);
    expect(res.body.items[0]).toEqual({
      userId: users[0]!.id,
      sourceEmail: 'user00@contoso.com',
      targetEmail: 'user00@example.com',
      displayName: 'User 0',
      policyId: policyA,
      status: 'Pending',
      stage: 'Provisioning',
      pausedReason: null,
      errorCode: null,
      errorMessage: null,
      lastSyncAt: null,
      nextSyncAt: null,
      counts: { exported: 2, imported: 0, failed: 2, skipped: 0 },
      syncedBy: null,
    });
    expect(res.body.totalsByStatus).toEqual({ ...Object.fromEntries(statuses.map((status) => [status, 5])), SyncedElsewhere: 0 });
    expect(res.body.nextCursor).toEqual(expect.any(String));
  });

  it('pages through every user exactly once, in a stable order', async () => {
    const { items, pages } = await readAllPages<Summary>(api, '/api/sync-status', 7);
    expect(pages).toBe(6);
    expect(items.map((item) => item.userId)).toEqual(users.map((user) => user.id));
  });

  it('keeps a page stable when users are added in front of the cursor', async () => {
    const first = await api.get<ListBody>('/api/sync-status?limit=10');
    await seedUser(store, policyA, 'early', { email: 'aaa-newcomer@contoso.com' });
    const second = await api.get<ListBody>(`/api/sync-status?limit=10&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0]?.sourceEmail).toBe('user10@contoso.com');
  });

  it('filters by status, policy, error code and text, with totals that ignore only the status filter', async () => {
    const failed = await api.get<ListBody>('/api/sync-status?status=Failed');
    expect(failed.body.items.map((item) => item.userId)).toEqual(users.filter((user) => user.status === 'Failed').map((user) => user.id));
    expect(failed.body.items.every((item) => item.errorCode !== null && item.errorMessage !== null)).toBe(true);

    const policyFailed = await api.get<ListBody>(`/api/sync-status?status=Failed&policyId=${policyB}`);
    expect(policyFailed.body.items.map((item) => item.userId)).toEqual(users.filter((user) => user.status === 'Failed' && user.policyId === policyB).map((user) => user.id));
    const inPolicyB = users.filter((user) => user.policyId === policyB);
    expect(policyFailed.body.totalsByStatus.Failed).toBe(inPolicyB.filter((user) => user.status === 'Failed').length);
    expect(Object.values(policyFailed.body.totalsByStatus).reduce((a, b) => a + b, 0)).toBe(inPolicyB.length);

    const expired = await api.get<ListBody>('/api/sync-status?errorCode=AUTH_TOKEN_EXPIRED');
    expect(expired.body.items.length).toBeGreaterThan(0);
    expect(expired.body.items.every((item) => item.errorCode === 'AUTH_TOKEN_EXPIRED')).toBe(true);

    const byName = await api.get<ListBody>(`/api/sync-status?q=${encodeURIComponent('zoë')}`);
    expect(byName.body.items.map((item) => item.displayName)).toEqual(['Zoë Quinn']);
    const byStage = await api.get<ListBody>('/api/sync-status?stage=Provisioning&limit=500');
    expect(byStage.body.items.every((item) => item.stage === 'Provisioning')).toBe(true);
    const nobody = await api.get<ListBody>(`/api/sync-status?policyId=${unknownId}`);
    expect(nobody.body).toMatchObject({ items: [], nextCursor: null });
  });

  it('opens the detail panel: error with the recommended action, counts by type, cycles, item codes and the workflow link', async () => {
    const failed = users.find((user) => user.status === 'Failed')!;
    await store.syncUsers.update(failed.id, { countsByType: { mail: { exported: 12, imported: 10, failed: 2, skipped: 0 } }, runId: 'run-1' });
    const { id: cycle } = await store.cycles.start({ syncUserId: failed.id, kind: 'delta', trigger: 'schedule' });
    await store.cycles.finish(cycle, { outcome: 'failed', errorCode: 'AUTH_TOKEN_EXPIRED' });
    await store.items.recordOutcomes(failed.id, [
      {
        sourceItemId: 'm-1',
        type: 'mail',
        folderName: 'Inbox',
        subject: 'Quarterly numbers',
        sizeBytes: 170_000_000,
        status: 'failed',
        errorCode: 'ITEM_TOO_LARGE',
        reason: 'Larger than Gmail accepts.',
      },
    ]);

    const res = await api.get<Record<string, any>>(`/api/sync-status/${failed.id}`);
    expect(res.status).toBe(200);
    const detail = res.body;
    expect(detail.userId).toBe(failed.id);
    expect(detail.error).toMatchObject({ code: expect.stringMatching(/AUTH_TOKEN_EXPIRED|RATE_LIMITED/), message: 'The cycle could not finish.', details: { status: 401 } });
    expect(detail.error.recommendedAction).toEqual(expect.any(String));
    expect(detail.countsByType).toEqual({ mail: { exported: 12, imported: 10, failed: 2, skipped: 0 } });
    expect(detail.itemErrorsByCode).toEqual({ ITEM_TOO_LARGE: 1, ENCRYPTED_ITEM: 0, UNSUPPORTED_FORMAT: 0, ITEM_REJECTED: 0, CHANGE_REJECTED: 0, PHOTO_REJECTED: 0, ATTACHMENTS_NOT_COPIED: 0 });
    expect(detail.recentCycles).toEqual([expect.objectContaining({ id: cycle, kind: 'delta', trigger: 'schedule', outcome: 'failed', errorCode: 'AUTH_TOKEN_EXPIRED' })]);
    expect(detail.workflowId).toBe(`sync-user-${failed.policyId}-${users.indexOf(failed)}`);
    expect(detail.runId).toBe('run-1');
    expect(detail.temporalUiUrl).toContain(`/namespaces/default/workflows/${encodeURIComponent(detail.workflowId)}/run-1/history`);
    // No workflow runs for these rows: the database answers alone.
    expect(detail.live).toBeNull();
    expect(detail.initialSync).toEqual({ estimatedTotal: null, lastProgressAt: null, stalled: false });
  });

  it('flags an Initial Sync that has made no progress for too long', async () => {
    const stuck = users.find((user) => user.status === 'InitialSync')!;
    await store.syncUsers.update(stuck.id, { lastProgressAt: new Date(Date.now() - 2 * 60 * 60 * 1000), initialSyncTotal: 5000 });
    const strict = apiClient(createApiApp(temporal, store, { stalledAfterMs: 60 * 60 * 1000 }));
    const res = await strict.get<{ initialSync: { stalled: boolean; estimatedTotal: number } }>(`/api/sync-status/${stuck.id}`);
    expect(res.body.initialSync).toMatchObject({ stalled: true, estimatedTotal: 5000 });
    const lenient = apiClient(createApiApp(temporal, store, { stalledAfterMs: 3 * 60 * 60 * 1000 }));
    expect((await lenient.get<{ initialSync: { stalled: boolean } }>(`/api/sync-status/${stuck.id}`)).body.initialSync.stalled).toBe(false);
  });

  it('lists the items view newest first, with subjects only where the policy keeps them', async () => {
    const [keeps, drops] = [users.find((user) => user.policyId === policyA)!, users.find((user) => user.policyId === policyB)!];
    for (const user of [keeps, drops]) {
      await store.items.recordOutcomes(
        user.id,
        Array.from({ length: 12 }, (_, i) => ({
          sourceItemId: `item-${i}`,
          type: 'mail' as const,
          folderName: 'Inbox/Projects',
          subject: `Subject ${i}`,
          sizeBytes: 1000 + i,
          status: i % 4 === 0 ? ('skipped' as const) : ('failed' as const),
          errorCode: 'ENCRYPTED_ITEM' as const,
          reason: 'S/MIME encrypted messages cannot be copied.',
          serviceError: { code: 'smime' },
          at: new Date(Date.UTC(2025, 0, 1, 0, i)),
        })),
      );
    }
    const { items } = await readAllPages<{ sourceItemId: string; subject: string | null; status: string; at: string }>(api, `/api/sync-status/${keeps.id}/items`, 5);
    expect(items.map((item) => item.sourceItemId)).toEqual(Array.from({ length: 12 }, (_, i) => `item-${11 - i}`));
    expect(items[0]).toMatchObject({ subject: 'Subject 11', status: 'failed', at: '2025-01-01T00:11:00.000Z' });
    const failedOnly = await api.get<{ items: { status: string; subject: string | null; folderName: string; errorCode: string; reason: string; sizeBytes: number; type: string }[] }>(
      `/api/sync-status/${drops.id}/items?status=failed&type=mail&limit=500`,
    );
    expect(failedOnly.body.items).toHaveLength(9);
    expect(failedOnly.body.items[0]).toMatchObject({ status: 'failed', subject: null, folderName: 'Inbox/Projects', errorCode: 'ENCRYPTED_ITEM', sizeBytes: 1011, type: 'mail' });
  });

  it('answers 404 for an unknown user and 400 for a malformed id, on every user route', async () => {
    for (const suffix of ['', '/items']) {
      const missing = await api.get<ProblemBody>(`/api/sync-status/${unknownId}${suffix}`);
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('NOT_FOUND');
      const malformed = await api.get<ProblemBody>(`/api/sync-status/not-an-id${suffix}`);
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors?.[0]?.path).toBe('path.userId');
    }
  });
});
