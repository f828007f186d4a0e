import { createRoute } from '@hono/zod-openapi';
import type { ApiApp } from '../app.js';
import type { ApiServices } from '../services/index.js';
import { toAuditEntry } from '../presenters/audit.js';
import { ApiProblem } from '../problem.js';
import { jsonContent, problemResponses } from '../schemas/common.js';
import { AuditListSchema, AuditQuery } from '../schemas/audit.js';

const listRoute = createRoute({
  method: 'get',
  path: '/api/audit-logs',
  operationId: 'listAuditLogs',
  tags: ['Audit log'],
  summary: 'Audit entries, newest first',
  request: { query: AuditQuery },
  responses: { 200: jsonContent(AuditListSchema, 'A page of entries'), ...problemResponses() },
});

export function registerAuditRoutes(app: ApiApp, services: ApiServices): void {
  app.openapi(listRoute, async (c) => {
    const { userId, since, until, ...filters } = c.req.valid('query');
    const sinceDate = since === undefined ? undefined : new Date(since);
    const untilDate = until === undefined ? undefined : new Date(until);
    if (sinceDate && untilDate && untilDate <= sinceDate) {
      throw new ApiProblem(400, 'INVALID_REQUEST', 'The request is not valid: query.until must be later than query.since.', {
        errors: [{ path: 'query.until', message: 'must be later than since' }],
      });
    }
    const page = await services.deps.store.audit.list({
      ...filters,
      ...(userId ? { syncUserId: userId } : {}),
      ...(sinceDate ? { since: sinceDate } : {}),
      ...(untilDate ? { until: untilDate } : {}),
    });
    return c.json({ items: page.items.map(toAuditEntry), nextCursor: page.nextCursor ?? null }, 200);
  });
}
