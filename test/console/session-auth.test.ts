import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth } from '../../api/auth.js';
import { acceptConsoleSession, ConsoleSessions, CSRF_HEADER } from '../../api/console/index.js';
import { safeReturnPath } from '../../api/console/session-auth.js';
import type { Store } from '../../store/index.js';
import { openTestStore } from '../helpers/store.js';
import { connectTestTemporal, type TestTemporal } from '../helpers/temporal.js';
import { seedPolicy } from '../store/fixtures.js';
import { consoleApiToken, createConsoleStack, signIn, type ConsoleStack } from './support.js';

const origin = 'http://console.test';

function loginRequest(token: string, headers: Record<string, string> = { origin }, url = `${origin}/login`): Request {
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ token, next: '/sync-status?status=Failed' }).toString(),
  });
}

/** The API's auth exactly as app.ts is to install it: the console session in front of the bearer check. */
function productionAuthProbe(sessions: ConsoleSessions): Hono {
  const app = new Hono();
  app.use(
    '/api/*',
    acceptConsoleSession(
      sessions,
      bearerAuth(consoleApiToken, (path) => path === '/api/health'),
    ),
  );
  app.get('/api/thing', (c) => c.json({ read: true }));
  app.post('/api/thing', (c) => c.json({ changed: true }));
  app.get('/api/health', (c) => c.json({ ok: true }));
  return app;
}

describe('console sign-in, session cookie and CSRF', () => {
  let temporal: TestTemporal;
  let store: Store;
  let stack: ConsoleStack;
  let policyId: string;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    store = await openTestStore();
    policyId = (await seedPolicy(store, { name: 'Pilot' })).policy.id;
    stack = createConsoleStack(temporal, store);
  });
  afterAll(async () => {
    await temporal?.close();
    await store?.close();
  });

  it('sends a visitor without a session to sign in, and back to the page afterwards', async () => {
    const res = await stack.fetch(new Request(`${origin}/sync-status?status=Failed`));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fsync-status%3Fstatus%3DFailed');

    const login = await stack.fetch(new Request(`${origin}/login?next=%2Fsync-status`));
    expect(login.status).toBe(200);
    const html = await login.text();
    expect(html).toContain('<label for="token">API token</label>');
    expect(html).not.toContain(consoleApiToken);
  });

  it('refuses a wrong token without a cookie and without echoing what was typed', async () => {
    const res = await stack.fetch(loginRequest('not-the-token-typed-here'));
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    const html = await res.text();
    expect(html).toContain('That is not the API token');
    expect(html).not.toContain('not-the-token-typed-here');
  });

  it('refuses a sign-in form posted from another site', async () => {
    const res = await stack.fetch(loginRequest(consoleApiToken, { origin: 'https://evil.example' }));
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('signs in with the token: an httpOnly, SameSite=Strict session cookie, Secure only over https', async () => {
    const res = await stack.fetch(loginRequest(consoleApiToken));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sync-status?status=Failed');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    expect(cookie).not.toContain(consoleApiToken);

    const overHttps = await stack.fetch(loginRequest(consoleApiToken, { origin: 'https://console.test' }, 'https://console.test/login'));
    expect(overHttps.headers.get('set-cookie')).toContain('Secure');
  });

  it('serves pages with a CSRF token, a strict content security policy, and no secret in the source', async () => {
    const { cookie, csrfToken } = await signIn(stack);
    const res = await stack.fetch(new Request(`${origin}/connections`, { headers: { cookie } }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain(`<meta name="csrf-token" content="${csrfToken}"/>`);
    expect(html).not.toContain(consoleApiToken);
    expect(html).not.toMatch(/m365-secret-|PRIVATE KEY/);
    expect(html).not.toMatch(/<script>|<style>| style="/);
  });

  it('lets the signed-in browser read the API, and change things only with the CSRF header', async () => {
    const { cookie, csrfToken } = await signIn(stack);
    const read = await stack.fetch(new Request(`${origin}/api/policies/${policyId}`, { headers: { cookie } }));
    expect(read.status).toBe(200);

    const disable = (headers: Record<string, string>) => stack.fetch(new Request(`${origin}/api/policies/${policyId}/disable`, { method: 'POST', headers: { cookie, ...headers } }));
    const withoutToken = await disable({});
    expect(withoutToken.status).toBe(403);
    expect(withoutToken.headers.get('content-type')).toContain('application/problem+json');
    expect(((await withoutToken.json()) as { code: string }).code).toBe('CSRF_TOKEN_INVALID');
    expect((await store.policies.get(policyId))?.enabled).toBe(true);

    expect((await disable({ [CSRF_HEADER]: 'x'.repeat(43) })).status).toBe(403);
    const accepted = await disable({ [CSRF_HEADER]: csrfToken });
    expect(accepted.status).toBe(200);
    expect((await store.policies.get(policyId))?.enabled).toBe(false);
    await store.policies.setEnabled(policyId, true);
  });

  it('composes with the API bearer check: token or session, CSRF on changes, 401 for the rest', async () => {
    const sessions = new ConsoleSessions();
    const probe = productionAuthProbe(sessions);
    const session = sessions.create();
    const cookie = `session=${session.id}`;
    const call = (method: string, headers: Record<string, string> = {}) => probe.request('/api/thing', { method, headers });

    expect((await call('GET')).status).toBe(401);
    expect((await call('GET', { cookie: 'session=forged' })).status).toBe(401);
    expect((await call('POST', { authorization: `Bearer ${consoleApiToken}` })).status).toBe(200);
    expect((await call('GET', { cookie })).status).toBe(200);
    expect((await call('POST', { cookie })).status).toBe(403);
    expect((await call('POST', { cookie, [CSRF_HEADER]: session.csrfToken })).status).toBe(200);
    // A wrong bearer is judged as a bearer: the cookie does not rescue it.
    expect((await call('GET', { cookie, authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await probe.request('/api/health')).status).toBe(200);
  });

  it('signs out only from a console page, and the session is then worth nothing', async () => {
    const { cookie, csrfToken } = await signIn(stack);
    const logout = (csrf: string) =>
      stack.fetch(
        new Request(`${origin}/logout`, {
          method: 'POST',
          headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ csrf }).toString(),
        }),
      );
    expect((await logout('forged')).status).toBe(403);
    const res = await logout(csrfToken);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?signedOut=1');
    expect(res.headers.get('set-cookie')).toMatch(/^session=;/);
    expect((await stack.fetch(new Request(`${origin}/`, { headers: { cookie } }))).status).toBe(303);
    expect((await stack.fetch(new Request(`${origin}/api/policies`, { headers: { cookie } }))).status).toBe(401);
  });

  it('ends a session after its idle time and after its absolute lifetime', () => {
    let now = 0;
    const sessions = new ConsoleSessions({ idleMs: 1_000, absoluteMs: 5_000 }, () => now);
    const idle = sessions.create();
    now = 1_001;
    expect(sessions.touch(idle.id)).toBeUndefined();

    const busy = sessions.create();
    for (now = 2_000; now <= 6_000; now += 900) expect(sessions.touch(busy.id)).toBeDefined();
    now = 6_002;
    expect(sessions.touch(busy.id)).toBeUndefined();
  });

  it('only returns to a path on this site after sign-in', () => {
    expect(safeReturnPath('/audit-logs?severity=Error')).toBe('/audit-logs?severity=Error');
    expect(safeReturnPath('//evil.example/')).toBe('/');
    expect(safeReturnPath('/\\evil.example')).toBe('/');
    expect(safeReturnPath('https://evil.example/')).toBe('/');
    expect(safeReturnPath(undefined)).toBe('/');
  });
});
