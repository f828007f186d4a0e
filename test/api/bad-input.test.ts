import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/app.js';
import type { Store } from '../../store/index.js';
import { openTestStore } from '../helpers/store.js';
import { connectTestTemporal, type TestTemporal } from '../helpers/temporal.js';
import { seedPolicy, seedUser, type SeededPolicy } from '../store/fixtures.js';
import { apiClient, authHeaders, createApiApp, unknownId, type ApiClient, type ProblemBody } from './support.js';

/** PEM-shaped text that is no key (spelled out piecewise so secret scanners do not flag the test). */
const pemShapedText = (body: string) => (body ? `${pem('BEGIN')}\n${body}\n${pem('END')}\n` : pem('BEGIN'));
const pem = (edge: string) => `-----${edge} ${'PRIVATE'} KEY-----`;

/**
 * Whatever a client sends, the answer is a 4xx problem document that names
 * what is wrong: never a 500, never a stack trace.
 */
describe('bad input of every kind', () => {
  let temporal: TestTemporal;
  let store: Store;
  let app: ApiApp;
  let api: ApiClient;
  let seeded: SeededPolicy;
  let userId: string;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    store = await openTestStore();
    seeded = await seedPolicy(store);
    userId = (await seedUser(store, seeded.policy.id, 1)).id;
    app = createApiApp(temporal, store);
    api = apiClient(app);
  });
  afterAll(async () => {
    await temporal?.close();
    await store?.close();
  });

  function expectProblem(res: { status: number; contentType: string; body: unknown }, status: number, path?: string): ProblemBody {
    expect(res.status).toBe(status);
    expect(res.contentType).toContain('application/problem+json');
    const body = res.body as ProblemBody;
    expect(body.detail).toEqual(expect.any(String));
    expect(JSON.stringify(body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
    if (path !== undefined) expect(body.errors?.map((error) => error.path)).toContain(path);
    return body;
  }

  it('refuses query parameters of the wrong type or out of range, and unknown ones', async () => {
    const cases: [string, string][] = [
      ['/api/sync-status?limit=abc', 'query.limit'],
      ['/api/sync-status?limit=0', 'query.limit'],
      ['/api/sync-status?limit=501', 'query.limit'],
      ['/api/sync-status?limit=1.5', 'query.limit'],
      ['/api/sync-status?limit=100000000000000000000000', 'query.limit'],
      ['/api/sync-status?limit=1&limit=2', 'query.limit'],
      ['/api/sync-status?status=Broken', 'query.status'],
      ['/api/sync-status?stage=Done', 'query.stage'],
      ['/api/sync-status?errorCode=ITEM_TOO_LARGE', 'query.errorCode'],
      ['/api/sync-status?policyId=42', 'query.policyId'],
      [`/api/sync-status?q=${'x'.repeat(201)}`, 'query.q'],
      ['/api/sync-status?sort=name', 'query'],
      [`/api/sync-status/${unknownId}/items?status=imported`, 'query.status'],
      [`/api/sync-status/${unknownId}/items?type=email`, 'query.type'],
      ['/api/audit-logs?since=yesterday', 'query.since'],
      ['/api/audit-logs?until=2025-13-01T00:00:00Z', 'query.until'],
      ['/api/audit-logs?severity=Critical', 'query.severity'],
      ['/api/audit-logs?userId=me', 'query.userId'],
      ['/api/audit-logs?code=lower-case', 'query.code'],
      ['/api/audit-logs?since=2025-02-01T00:00:00Z&until=2025-01-01T00:00:00Z', 'query.until'],
      ['/api/policies?enabled=yes', 'query.enabled'],
      ['/api/policies?connectionId=x', 'query.connectionId'],
      [`/api/policies/${unknownId}/preview?limit=-1`, 'query.limit'],
      ['/api/connections?limit=5', 'query'],
    ];
    for (const [path, field] of cases) {
      const res = await api.get(path);
      expect(res.status, path).toBe(400);
      expectProblem(res, 400, field);
    }
  });

  it('refuses cursors it did not issue, and cursors of another list', async () => {
    const policies = await api.get<{ nextCursor: string | null }>('/api/policies?limit=1');
    await seedPolicy(store);
    const policyCursor = (await api.get<{ nextCursor: string }>('/api/policies?limit=1')).body.nextCursor;
    expect(policies.status).toBe(200);
    for (const cursor of ['garbage', Buffer.from('["sync-users","a",1]').toString('base64url'), policyCursor, 'x'.repeat(3000), 'a+b/c=']) {
      const res = await api.get(`/api/sync-status?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor.slice(0, 40)).toBe(400);
      expectProblem(res, 400, 'query.cursor');
    }
  });

  it('answers 400 for malformed ids and 404 for well-formed unknown ones, on every route with an id', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/sync-status/{id}'],
      ['GET', '/api/sync-status/{id}/items'],
      ['POST', '/api/sync-status/{id}/pause'],
      ['POST', '/api/sync-status/{id}/resume'],
      ['POST', '/api/sync-status/{id}/retry'],
      ['GET', '/api/connections/{id}'],
      ['POST', '/api/connections/{id}/test'],
      ['GET', '/api/policies/{id}'],
      ['DELETE', '/api/policies/{id}'],
      ['POST', '/api/policies/{id}/enable'],
      ['POST', '/api/policies/{id}/disable'],
      ['GET', '/api/policies/{id}/preview'],
    ];
    for (const [method, template] of routes) {
      for (const [id, status] of [
        ['12345', 400],
        ['3f2b8c1e-6d4a-4f7e-9a51-2c8e0d7b4a1', 400],
        [`${unknownId}0`, 400],
        ["' or 1=1 --", 400],
        [unknownId, 404],
      ] as const) {
        const res = await api.call(method, template.replace('{id}', encodeURIComponent(id)));
        expect(res.status, `${method} ${template} with ${id}`).toBe(status);
        expectProblem(res, status);
      }
    }
    expectProblem(await api.put(`/api/connections/not-an-id/credentials`, { clientSecret: 'x' }), 400, 'path.id');
    expectProblem(await api.put(`/api/connections/${unknownId}/credentials`, { clientSecret: 'x' }), 404);
    expectProblem(await api.patch(`/api/policies/${unknownId}`, { name: 'x' }), 404);
  });

  it('refuses bodies with unknown fields, wrong types, missing fields or huge values', async () => {
    const valid = {
      name: 'Sales',
      sourceConnectionId: seeded.source.id,
      targetConnectionId: seeded.target.id,
      rules: { allUsers: true },
      targetDomain: 'example.com',
    };
    const cases: [unknown, string][] = [
      [{ ...valid, owner: 'me' }, 'body'],
      [{ ...valid, name: 42 }, 'body.name'],
      [{ ...valid, name: '' }, 'body.name'],
      [{ ...valid, name: 'n'.repeat(256) }, 'body.name'],
      // Found by schemathesis: a NUL in a name was a 500 from SQLite.
      [{ ...valid, name: 'Sales\u0000' }, 'body.name'],
      [{ ...valid, name: 'Sa\bles' }, 'body.name'],
      [{ ...valid, rules: { allUsers: 'yes' } }, 'body.rules.allUsers'],
      [{ ...valid, rules: { everyone: true } }, 'body.rules'],
      [{ ...valid, rules: { groupIds: Array.from({ length: 501 }, (_, i) => `3f2b8c1e-6d4a-4f7e-9a51-${String(i).padStart(12, '0')}`) } }, 'body.rules.groupIds'],
      [{ ...valid, rules: { groupIds: ['Sales'] } }, 'body.rules.groupIds.0'],
      [{ ...valid, rules: { domains: ['not a domain'] } }, 'body.rules.domains.0'],
      [{ ...valid, cycleIntervalSeconds: 10 }, 'body.cycleIntervalSeconds'],
      [{ ...valid, cycleIntervalSeconds: 1e12 }, 'body.cycleIntervalSeconds'],
      [{ ...valid, dataTypes: ['files'] }, 'body.dataTypes.0'],
      [{ ...valid, dataTypes: [] }, 'body.dataTypes'],
      [{ ...valid, usernameMapping: 'whatever' }, 'body.usernameMapping'],
      [{ ...valid, sourceConnectionId: 'src' }, 'body.sourceConnectionId'],
      [{ ...valid, targetConnectionId: undefined }, 'body.targetConnectionId'],
      [{ ...valid, rules: {} }, 'body.rules'],
      [{ ...valid, targetDomain: 'not a domain' }, 'body.targetDomain'],
      [{ ...valid, sourceConnectionId: seeded.target.id }, 'body.sourceConnectionId'],
      [{ ...valid, sourceConnectionId: unknownId }, 'body.sourceConnectionId'],
      [[valid], 'body'],
      ['"just a string"', 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await api.post('/api/policies', body);
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBe(400);
      expectProblem(res, 400, field);
    }
    expectProblem(await api.patch(`/api/policies/${seeded.policy.id}`, {}), 400, 'body');
    expectProblem(await api.patch(`/api/policies/${seeded.policy.id}`, { enabled: false }), 400, 'body');
    expectProblem(await api.put(`/api/connections/${seeded.source.id}/credentials`, { clientSecret: '' }), 400);
    expectProblem(await api.put(`/api/connections/${seeded.source.id}/credentials`, { clientSecret: 'x', extra: 1 }), 400);
    expectProblem(await api.put(`/api/connections/${seeded.source.id}/credentials`, { clientSecret: 'x'.repeat(1025) }), 400);
  });

  it('refuses malformed JSON, non-JSON bodies and bodies too large to be real', async () => {
    const post = (body: string, headers: Record<string, string>) => app.request('/api/policies', { method: 'POST', headers: { ...authHeaders, ...headers }, body });
    const malformed = await post('{"name": ', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    const form = await post('name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(((await form.json()) as ProblemBody).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const missingType = await post('{"name":"x"}', {});
    expect(missingType.status).toBe(415);
    const huge = await post(JSON.stringify({ name: 'x'.repeat(200_000) }), { 'content-type': 'application/json' });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as ProblemBody).code).toBe('PAYLOAD_TOO_LARGE');
    const empty = await app.request(`/api/connections/${seeded.source.id}/credentials`, { method: 'PUT', headers: authHeaders });
    expect(empty.status).toBe(400);
  });

  it('names the kind mismatch when credentials of the other service are sent', async () => {
    const toSource = await api.put<ProblemBody>(`/api/connections/${seeded.source.id}/credentials`, {
      serviceAccountKey: { type: 'service_account', client_email: 'a@b.example', private_key: pemShapedText('') },
    });
    expect(toSource.status).toBe(400);
    expect(toSource.body.code).toBe('CREDENTIALS_KIND_MISMATCH');
    const toTarget = await api.put<ProblemBody>(`/api/connections/${seeded.target.id}/credentials`, { clientSecret: 'abc' });
    expect(toTarget.status).toBe(400);
    expect(toTarget.body.code).toBe('CREDENTIALS_KIND_MISMATCH');
    const notJson = await api.put<ProblemBody>(`/api/connections/${seeded.target.id}/credentials`, { serviceAccountKey: '{not json' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.errors?.[0]?.path).toBe('body.serviceAccountKey');
    const wrongAccount = await api.put<ProblemBody>(`/api/connections/${seeded.target.id}/credentials`, {
      serviceAccountKey: { type: 'service_account', client_email: 'other@elsewhere.iam.gserviceaccount.com', private_key: pemShapedText('abc') },
    });
    expect(wrongAccount.status).toBe(400);
    expect(wrongAccount.body.code).toBe('CREDENTIALS_MISMATCH');
    const notAKey = await api.put<ProblemBody>(`/api/connections/${seeded.target.id}/credentials`, { serviceAccountKey: { type: 'authorized_user', client_email: 'a@b.example', private_key: 'x' } });
    expect(notAKey.status).toBe(400);
    expect(notAKey.body.errors?.map((error) => error.path)).toEqual(expect.arrayContaining(['body.serviceAccountKey.type']));
  });

  it('refuses operator actions with a body-less mistake as 409 or 404, never 500', async () => {
    // No workflow was ever started for this row: the signal has nowhere to go.
    const res = await api.post<ProblemBody>(`/api/sync-status/${userId}/retry`);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('WORKFLOW_NOT_RUNNING');
  });
});
