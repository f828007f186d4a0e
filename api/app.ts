import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../shared/config.js';
import { bearerAuth } from './auth.js';
import { problem } from './problem.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerDiagnosticsRoutes } from './routes/diagnostics.js';

export interface ApiDeps {
  config: Pick<AppConfig, 'temporalNamespace' | 'temporalTaskQueue' | 'temporalUiUrl'>;
  temporal: Client;
  /** host:port of the Temporal frontend, for the health report. */
  temporalAddress: string;
  apiToken: string;
}

export type ApiApp = OpenAPIHono;

const publicPaths = new Set(['/api/health', '/api/openapi.json', '/api/docs']);

/** The REST API as a Hono app: tests call `app.request()`, main.ts serves it. */
export function createApp(deps: ApiDeps): ApiApp {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const errors = result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
        return problem(c, 400, 'INVALID_REQUEST', `The request is not valid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, { errors });
      }
    },
  });

  app.use('/api/*', bearerAuth(deps.apiToken, (path) => publicPaths.has(path)));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  registerHealthRoutes(app, deps);
  registerDiagnosticsRoutes(app, deps);

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Microsoft 365 to Google Workspace continuity sync', version: '0.1.0' },
    security: [{ bearer: [] }],
  });
  app.get('/api/docs', swaggerUI({ url: '/api/openapi.json' }));

  app.notFound((c) => problem(c, 404, 'NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`));
  app.onError((err, c) => {
    // Never a stack trace to the client; the log has it.
    console.error(err);
    return problem(c, 500, 'INTERNAL_ERROR', 'The server could not complete the request; the API log has the details.');
  });
  return app;
}
