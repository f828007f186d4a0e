import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { bodyLimit } from 'hono/body-limit';
import { bearerAuth } from './auth.js';
import { acceptConsoleSession, ConsoleSessions, mountConsole } from './console/index.js';
import type { ApiDeps } from './deps.js';
import { errorToProblem } from './errors.js';
import { problem } from './problem.js';
import { registerAuditRoutes } from './routes/audit-logs.js';
import { registerCodecCors, registerCodecRoutes } from './routes/codec.js';
import { registerConnectionRoutes } from './routes/connections.js';
import { registerDashboardRoutes } from './routes/dashboard.js';
import { registerDiagnosticsRoutes } from './routes/diagnostics.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { registerPolicyRoutes } from './routes/policies.js';
import { registerSyncActionRoutes } from './routes/sync-actions.js';
import { registerSyncStatusRoutes } from './routes/sync-status.js';
import { createApiServices } from './services/index.js';
import { validationHook } from './validation.js';

export type { ApiDeps } from './deps.js';
export type ApiApp = OpenAPIHono;

/** Readable without a token: liveness, and the description of the API itself (no data in either). */
const publicPaths = new Set(['/api/health', '/api/openapi.json', '/api/docs']);

/** Far above any request this API takes (a service account key is about 2 KB). */
const MAX_BODY_BYTES = 64 * 1024;

/** The REST API as a Hono app: tests call `app.request()`, main.ts serves it. */
export function createApp(deps: ApiDeps): ApiApp {
  const services = createApiServices(deps);
  const app = new OpenAPIHono({ defaultHook: validationHook });

  // The console's pages call the API with their session cookie (and a CSRF token on changes); tools use the bearer token.
  const consoleSessions = new ConsoleSessions();
  // Temporal UI's codec requests come before anything else (CORS preflight), and change nothing: no CSRF token.
  registerCodecCors(app, deps);
  app.use(
    '/api/*',
    acceptConsoleSession(
      consoleSessions,
      bearerAuth(deps.apiToken, (path) => publicPaths.has(path)),
      (path) => path.startsWith('/api/codec/'),
    ),
  );
  app.use('/api/*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => problem(c, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`) }));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  registerHealthRoutes(app, deps);
  registerDiagnosticsRoutes(app, deps);
  registerDashboardRoutes(app, services);
  registerSyncStatusRoutes(app, services);
  registerSyncActionRoutes(app, services);
  registerConnectionRoutes(app, services);
  registerPolicyRoutes(app, services);
  registerAuditRoutes(app, services);
  registerMetricsRoute(app, deps);
  registerCodecRoutes(app, deps);

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Microsoft 365 to Google Workspace continuity sync',
      version: '0.1.0',
      description: 'Sync status, operator actions, connections, policies and the audit log. Errors are application/problem+json with a stable `code`.',
    },
    security: [{ bearer: [] }],
  });
  app.get('/api/docs', swaggerUI({ url: '/api/openapi.json' }));
  mountConsole(app, { apiToken: deps.apiToken, sessions: consoleSessions, refreshSeconds: deps.consoleRefreshSeconds });

  app.notFound((c) => problem(c, 404, 'NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`));
  app.onError((err, c) => errorToProblem(err, c, services.log));
  return app;
}
