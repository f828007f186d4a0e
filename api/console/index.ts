import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { ApiReader } from './api-reader.js';
import { registerAssets } from './assets.js';
import { auditLogsPage } from './pages/audit-logs.js';
import { connectionsPage } from './pages/connections.js';
import { dashboardPage } from './pages/dashboard.js';
import { apiErrorPage } from './pages/error-page.js';
import { policiesPage } from './pages/policies.js';
import { editPolicyPage, newPolicyPage } from './pages/policy-edit.js';
import { syncStatusPage } from './pages/sync-status.js';
import type { PageDeps } from './render.js';
import { requireSignIn } from './session-auth.js';
import { ConsoleSessions } from './sessions.js';
import { registerSignIn } from './sign-in.js';
import type { Section } from './views/layout.js';

export { ConsoleSessions, type ConsoleSession, type SessionLifetimes } from './sessions.js';
export { acceptConsoleSession, consoleSessionOf, CSRF_HEADER, SESSION_COOKIE } from './session-auth.js';

export interface ConsoleDeps {
  /** The API token: what an administrator signs in with, and what the pages read the API with (in process, never sent to the browser). */
  apiToken: string;
  /** Shared with acceptConsoleSession in front of the API's bearer check, so the pages' own API calls are accepted. */
  sessions: ConsoleSessions;
  /** How often an open page refreshes its data. Default 10 seconds. */
  refreshSeconds?: number;
}

const DEFAULT_REFRESH_SECONDS = 10;

type PageHandler = (c: Context, deps: PageDeps) => Promise<Response>;

const pages: { path: string; section: Section; handler: PageHandler }[] = [
  { path: '/', section: 'dashboard', handler: dashboardPage },
  { path: '/sync-status', section: 'sync-status', handler: syncStatusPage },
  { path: '/connections', section: 'connections', handler: connectionsPage },
  { path: '/policies', section: 'policies', handler: policiesPage },
  { path: '/policies/new', section: 'policies', handler: newPolicyPage },
  { path: '/policies/:id/edit', section: 'policies', handler: editPolicyPage },
  { path: '/audit-logs', section: 'audit-logs', handler: auditLogsPage },
];

/** Everything the pages load comes from this server; nothing runs inline, nothing frames the console. */
function pageSecurityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
  });
}

/**
 * The admin console: server-rendered pages at /, /sync-status, /connections,
 * /policies and /audit-logs, sign-in at /login, assets under /console/assets.
 * Pages read through the REST API in process; the browser changes things by
 * calling /api/* with its session cookie and CSRF token, which needs
 * `acceptConsoleSession(sessions, ...)` in front of the API's bearer check.
 */
export function mountConsole(app: OpenAPIHono, deps: ConsoleDeps): void {
  const router = app as unknown as Hono;
  const pageDeps: PageDeps = { api: new ApiReader(app, deps.apiToken), refreshMs: (deps.refreshSeconds ?? DEFAULT_REFRESH_SECONDS) * 1000 };
  const pageHeaders = pageSecurityHeaders();
  const signedIn = requireSignIn(deps.sessions);

  registerAssets(router);
  registerSignIn(router, { apiToken: deps.apiToken, sessions: deps.sessions, pageHeaders });
  for (const page of pages) {
    router.get(page.path, pageHeaders, signedIn, async (c) => {
      try {
        return await page.handler(c, pageDeps);
      } catch (err) {
        return apiErrorPage(c, pageDeps, page.section, err);
      }
    });
  }
}
