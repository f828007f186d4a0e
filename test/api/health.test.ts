import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestTemporal, startTestWorker, type RunningWorker, type TestTemporal } from '../helpers/temporal.js';
import { authHeaders, createTestApp } from '../helpers/api.js';
import { openTestStore } from '../helpers/store.js';

describe('GET /api/health and authentication', () => {
  let temporal: TestTemporal;
  beforeAll(async () => {
    temporal = await connectTestTemporal();
  });
  afterAll(async () => temporal?.close());

  it('reports the Temporal connection without a token, and no worker on an empty task queue', async () => {
    const res = await createTestApp(temporal).request('/api/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; temporal: { ok: boolean; namespace: string }; workers: { ok: boolean; pollers: number } };
    expect(body.temporal).toMatchObject({ ok: true, namespace: 'default' });
    expect(body.workers).toMatchObject({ ok: false, pollers: 0 });
  });

  it('sees a worker once one polls the task queue', async () => {
    const store = await openTestStore();
    const worker: RunningWorker = await startTestWorker(temporal, { activityDeps: { store } });
    try {
      const app = createTestApp(temporal);
      let pollers = 0;
      for (let i = 0; i < 50 && pollers === 0; i++) {
        const body = (await (await app.request('/api/health')).json()) as { workers: { pollers: number } };
        pollers = body.workers.pollers;
        if (pollers === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(pollers).toBeGreaterThan(0);
    } finally {
      await worker.stop();
      await store.close();
    }
  });

  it('refuses protected routes without the right bearer token and says nothing more', async () => {
    const app = createTestApp(temporal);
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'Basic abc' }] as Record<string, string>[]) {
      const res = await app.request('/api/diagnostics/worker-probe', { method: 'POST', headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      const body = (await res.json()) as { code: string; detail: string };
      expect(body.code).toBe('UNAUTHORIZED');
      expect(body.detail).not.toContain('test-token');
    }
  });

  it('serves the OpenAPI document and answers unknown routes with a problem document', async () => {
    const app = createTestApp(temporal);
    const doc = (await (await app.request('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/diagnostics/worker-probe']));
    const missing = await app.request('/api/nothing-here', { headers: authHeaders });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });
});
