import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import { openTestStore } from '../helpers/store.js';
import { connectTestTemporal, type TestTemporal } from '../helpers/temporal.js';
import { seedPolicy, seedUser } from '../store/fixtures.js';
import { apiClient, createApiApp, readAllPages, type ApiClient } from './support.js';

interface Entry {
  id: number;
  at: string;
  severity: string;
  category: string;
  code: string;
  message: string;
  actor: string;
  userId: string | null;
  policyId: string | null;
  connectionId: string | null;
  details: Record<string, unknown>;
}

describe('GET /api/audit-logs', () => {
  let temporal: TestTemporal;
  let store: Store;
  let api: ApiClient;
  let ids: { userId: string; policyId: string; connectionId: string };

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    store = await openTestStore();
    const { policy, source } = await seedPolicy(store);
    const user = await seedUser(store, policy.id, 1);
    ids = { userId: user.id, policyId: policy.id, connectionId: source.id };
    const base = Date.UTC(2025, 4, 1);
    await store.audit.writeMany(
      Array.from({ length: 30 }, (_, i) => ({
        at: new Date(base + i * 60_000),
        severity: i % 3 === 0 ? ('Error' as const) : ('Info' as const),
        category: i % 2 === 0 ? 'sync' : 'connection',
        code: i % 3 === 0 ? 'AUTH_TOKEN_EXPIRED' : 'CONNECTION_TESTED',
        message: `Entry ${i}`,
        syncUserId: i % 5 === 0 ? user.id : null,
        policyId: i % 5 === 0 ? policy.id : null,
        connectionId: i % 2 === 1 ? source.id : null,
        details: { attempt: i, clientSecret: 'must-not-show' },
      })),
    );
    api = apiClient(createApiApp(temporal, store));
  });
  afterAll(async () => {
    await temporal?.close();
    await store?.close();
  });

  it('pages through every entry newest first, exactly once', async () => {
    const { items } = await readAllPages<Entry>(api, '/api/audit-logs', 7);
    expect(items.map((entry) => entry.message)).toEqual(Array.from({ length: 30 }, (_, i) => `Entry ${29 - i}`));
    expect(items[0]).toMatchObject({ at: '2025-05-01T00:29:00.000Z', actor: 'System', category: 'connection', connectionId: ids.connectionId });
    expect(JSON.stringify(items)).not.toContain('must-not-show');
  });

  it('filters by severity, user, policy, connection, code, category and time', async () => {
    const errors = await api.get<{ items: Entry[] }>('/api/audit-logs?severity=Error&limit=500');
    expect(errors.body.items).toHaveLength(10);
    expect(errors.body.items.every((entry) => entry.severity === 'Error' && entry.code === 'AUTH_TOKEN_EXPIRED')).toBe(true);
    const ofUser = await api.get<{ items: Entry[] }>(`/api/audit-logs?userId=${ids.userId}`);
    expect(ofUser.body.items.map((entry) => entry.message)).toEqual(['Entry 25', 'Entry 20', 'Entry 15', 'Entry 10', 'Entry 5', 'Entry 0']);
    expect(ofUser.body.items.every((entry) => entry.userId === ids.userId)).toBe(true);
    const ofPolicy = await api.get<{ items: Entry[] }>(`/api/audit-logs?policyId=${ids.policyId}&severity=Error`);
    expect(ofPolicy.body.items.map((entry) => entry.message)).toEqual(['Entry 15', 'Entry 0']);
    const ofConnection = await api.get<{ items: Entry[] }>(`/api/audit-logs?connectionId=${ids.connectionId}&code=CONNECTION_TESTED&limit=500`);
    expect(ofConnection.body.items).toHaveLength(10);
    const category = await api.get<{ items: Entry[] }>('/api/audit-logs?category=sync&limit=500');
    expect(category.body.items).toHaveLength(15);
    const window = await api.get<{ items: Entry[] }>(`/api/audit-logs?since=${encodeURIComponent('2025-05-01T00:10:00Z')}&until=${encodeURIComponent('2025-05-01T02:13:00+02:00')}`);
    expect(window.body.items.map((entry) => entry.message)).toEqual(['Entry 12', 'Entry 11', 'Entry 10']);
  });
});
