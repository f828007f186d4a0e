import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import { openTestStore } from '../helpers/store.js';
import { connectTestTemporal, type TestTemporal } from '../helpers/temporal.js';
import { seedPolicy, seedUser } from '../store/fixtures.js';
import { apiClient, createApiApp, type ApiClient } from './support.js';

interface DashboardBody {
  usersByStatus: Record<string, number>;
  totalUsers: number;
  itemsSynced: number;
  itemCounts: { exported: number; imported: number; failed: number; skipped: number };
  changesLast24Hours: { since: string; itemsChanged: number };
  failedUsers: { userId: string; sourceEmail: string; errorCode: string | null; errorMessage: string | null; errorAt: string | null; recommendedAction: string | null }[];
  failedUsersTotal: number;
}

describe('GET /api/dashboard', () => {
  let temporal: TestTemporal;
  let store: Store;
  let api: ApiClient;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    store = await openTestStore();
    api = apiClient(createApiApp(temporal, store));
  });
  afterAll(async () => {
    await temporal?.close();
    await store?.close();
  });

  it('is all zeros on an empty installation', async () => {
    const res = await api.get<DashboardBody>('/api/dashboard');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalUsers: 0, itemsSynced: 0, failedUsers: [], failedUsersTotal: 0, changesLast24Hours: { itemsChanged: 0 } });
  });

  it('sums users by status and items synced, counts recent changes, and lists the first ten failed users with what to do', async () => {
    const { policy } = await seedPolicy(store);
    const synced = await seedUser(store, policy.id, 'synced');
    await store.syncUsers.update(synced.id, { status: 'Synced', counts: { exported: 120, imported: 118, failed: 2, skipped: 0 } });
    for (let n = 0; n < 12; n++) {
      const user = await seedUser(store, policy.id, `failed-${String(n).padStart(2, '0')}`);
      await store.syncUsers.update(user.id, {
        status: 'Failed',
        error: { code: 'AUTH_TOKEN_EXPIRED', message: 'Microsoft 365 refused the credentials.', at: new Date('2025-05-01T10:00:00Z') },
        counts: { exported: 5, imported: 5, failed: 0, skipped: 0 },
      });
    }
    // Three messages copied now, one of them later deleted; one intent that never became a copy.
    await store.messageMap.recordIntents(
      synced.id,
      ['a', 'b', 'c', 'd'].map((id) => ({ sourceItemId: id, internetMessageId: `<${id}@contoso.com>`, sourceFolderId: 'inbox' })),
    );
    await store.messageMap.markImported(
      synced.id,
      ['a', 'b', 'c'].map((id) => ({ sourceItemId: id, googleMessageId: `g-${id}`, labelIds: ['INBOX'] })),
    );
    await store.messageMap.markDeleted(synced.id, ['c']);

    const res = await api.get<DashboardBody>('/api/dashboard');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.usersByStatus).toMatchObject({ Synced: 1, Failed: 12, Pending: 0 });
    expect(body.totalUsers).toBe(13);
    expect(body.itemsSynced).toBe(118 + 12 * 5);
    expect(body.itemCounts).toEqual({ exported: 180, imported: 178, failed: 2, skipped: 0 });
    expect(body.changesLast24Hours.itemsChanged).toBe(3);
    expect(Date.now() - Date.parse(body.changesLast24Hours.since)).toBeGreaterThanOrEqual(24 * 60 * 60 * 1000 - 60_000);
    expect(body.failedUsersTotal).toBe(12);
    expect(body.failedUsers).toHaveLength(10);
    expect(body.failedUsers[0]).toMatchObject({
      sourceEmail: 'userfailed-00@contoso.com',
      errorCode: 'AUTH_TOKEN_EXPIRED',
      errorMessage: 'Microsoft 365 refused the credentials.',
      errorAt: '2025-05-01T10:00:00.000Z',
      recommendedAction: expect.stringContaining('Connections'),
    });
  });
});
