import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import { openTestStore } from '../helpers/store.js';
import { connectTestTemporal, startTestWorker, type RunningWorker, type TestTemporal } from '../helpers/temporal.js';
import { seedPolicy } from '../store/fixtures.js';
import { authHeaders, createApiApp } from './support.js';

interface HealthBody {
  ok: boolean;
  temporal: { ok: boolean; namespace: string };
  workers: { ok: boolean; pollers: number };
  database: { ok: boolean; detail: string };
  connections: { ok: boolean; detail: string; items: { id: string; name: string; status: string }[] };
}

describe('GET /api/health and authentication', () => {
  let temporal: TestTemporal;
  let store: Store;
  beforeAll(async () => {
    temporal = await connectTestTemporal();
    store = await openTestStore();
  });
  afterAll(async () => {
    await temporal?.close();
    await store?.close();
  });

  it('reports Temporal, the database and the connections without a token, and no worker on an empty task queue', async () => {
    const res = await createApiApp(temporal, store).request('/api/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as HealthBody;
    expect(body.temporal).toMatchObject({ ok: true, namespace: 'default' });
    expect(body.workers).toMatchObject({ ok: false, pollers: 0 });
    expect(body.database.ok).toBe(true);
    expect(body.connections).toMatchObject({ ok: true, items: [] });
    expect(body.ok).toBe(true);
  });

  it('is not ok while a connection is in Error, and names it', async () => {
    const own = await openTestStore();
    try {
      const { source } = await seedPolicy(own);
      await own.connections.markError(source.id, { code: 'AUTH_TOKEN_EXPIRED', message: 'The client secret was revoked.' });
      const res = await createApiApp(temporal, own).request('/api/health');
      expect(res.status).toBe(200);
      const body = (await res.json()) as HealthBody;
      expect(body.ok).toBe(false);
      expect(body.connections.ok).toBe(false);
      expect(body.connections.detail).toContain(source.name);
      expect(body.connections.items).toContainEqual(expect.objectContaining({ id: source.id, status: 'Error' }));
    } finally {
      await own.close();
    }
  });

  it('answers 503 when the database is gone', async () => {
    const own = await openTestStore();
    const app = createApiApp(temporal, own);
    await own.close();
    const res = await app.request('/api/health');
    expect(res.status).toBe(503);
    const body = (await res.json()) as HealthBody;
    expect(body.database.ok).toBe(false);
    expect(body.ok).toBe(false);
  });

  it('sees a worker once one polls the task queue', async () => {
    const worker: RunningWorker = await startTestWorker(temporal, { activityDeps: { store } });
    try {
      const app = createApiApp(temporal, store);
      let pollers = 0;
      for (let i = 0; i < 50 && pollers === 0; i++) {
        const body = (await (await app.request('/api/health')).json()) as HealthBody;
        pollers = body.workers.pollers;
        if (pollers === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(pollers).toBeGreaterThan(0);
    } finally {
      await worker.stop();
    }
  });

  it('serves the OpenAPI document and answers unknown routes with a problem document', async () => {
    const app = createApiApp(temporal, store);
    const doc = (await (await app.request('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/diagnostics/worker-probe', '/api/sync-status', '/api/connections', '/api/policies', '/api/audit-logs', '/api/dashboard']),
    );
    const docs = await app.request('/api/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/api/openapi.json');
    const missing = await app.request('/api/nothing-here', { headers: authHeaders });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });
});
