import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/app.js';
import type { Store } from '../../store/index.js';
import { openTestStore } from '../helpers/store.js';
import { connectTestTemporal, type TestTemporal } from '../helpers/temporal.js';
import { apiToken, authHeaders, createApiApp, unknownId } from './support.js';

interface OpenApiDoc {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
}

/** Every operation of the document, path parameters filled with a well-formed id nobody has. */
async function operations(app: ApiApp): Promise<{ method: string; path: string; isPublic: boolean }[]> {
  const doc = (await (await app.request('/api/openapi.json')).json()) as OpenApiDoc;
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: path.replace('{workflowId}', `worker-probe-${unknownId}`).replace(/\{[^}]+\}/g, unknownId),
      isPublic: Array.isArray(operation.security) && operation.security.length === 0,
    })),
  );
}

describe('bearer-token authentication', () => {
  let temporal: TestTemporal;
  let store: Store;
  let app: ApiApp;
  beforeAll(async () => {
    temporal = await connectTestTemporal();
    store = await openTestStore();
    app = createApiApp(temporal, store);
  });
  afterAll(async () => {
    await temporal?.close();
    await store?.close();
  });

  it('protects every operation except health, and says nothing about why', async () => {
    const all = await operations(app);
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((op) => op.isPublic).map((op) => op.path)).toEqual(['/api/health']);
    const wrongCredentials: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Basic ${Buffer.from(`admin:${apiToken}`).toString('base64')}` },
      { authorization: `Bearer ${apiToken}x` },
    ];
    for (const op of all.filter((candidate) => !candidate.isPublic)) {
      for (const headers of wrongCredentials) {
        const res = await app.request(op.path, { method: op.method, headers: { ...headers, 'content-type': 'application/json' }, body: op.method === 'GET' ? undefined : '{}' });
        expect(res.status, `${op.method} ${op.path} with ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toContain('Bearer');
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        const text = await res.text();
        expect(JSON.parse(text)).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
        expect(text).not.toContain(apiToken);
      }
    }
  });

  it('lets the right token through to every operation', async () => {
    for (const op of await operations(app)) {
      const res = await app.request(op.path, { method: op.method, headers: { ...authHeaders, 'content-type': 'application/json' }, body: op.method === 'GET' ? undefined : '{}' });
      expect(res.status, `${op.method} ${op.path}`).not.toBe(401);
      expect(res.status, `${op.method} ${op.path}`).toBeLessThan(500);
    }
  });

  it('keeps the API description readable without a token, since it holds no data', async () => {
    expect((await app.request('/api/openapi.json')).status).toBe(200);
    expect((await app.request('/api/docs')).status).toBe(200);
    expect((await app.request('/api/health')).status).toBe(200);
  });
});
