import { createRoute } from '@hono/zod-openapi';
import type { ApiApp } from '../app.js';
import type { ApiServices } from '../services/index.js';
import { readDashboard } from '../services/dashboard.js';
import { jsonContent, NoQuery, problemResponses } from '../schemas/common.js';
import { DashboardSchema } from '../schemas/dashboard.js';

const dashboardRoute = createRoute({
  method: 'get',
  path: '/api/dashboard',
  operationId: 'getDashboard',
  tags: ['Dashboard'],
  summary: 'Users by status, items synced, changes in the last 24 hours, failed users',
  request: { query: NoQuery },
  responses: { 200: jsonContent(DashboardSchema, 'The figures'), ...problemResponses() },
});

export function registerDashboardRoutes(app: ApiApp, services: ApiServices): void {
  app.openapi(dashboardRoute, async (c) => c.json(await readDashboard(services.deps.store), 200));
}
