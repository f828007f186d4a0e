import { createRoute } from '@hono/zod-openapi';
import type { ApiApp } from '../app.js';
import type { ApiServices } from '../services/index.js';
import type { OperatorAction } from '../services/operator-actions.js';
import { idParams, jsonContent, NoQuery, problemResponses } from '../schemas/common.js';
import { OperatorActionSchema } from '../schemas/sync-status.js';

const summaries: Record<OperatorAction, string> = {
  pause: 'Pause the user: answers once the sync has stopped, within seconds even in the middle of an initial sync (409 when already paused or Excluded)',
  resume: 'Resume a user an operator paused (409 when not paused by an operator)',
  retry: 'Run a sync cycle now (409 when paused or Excluded)',
};

function actionRoute(action: OperatorAction) {
  return createRoute({
    method: 'post',
    path: `/api/sync-status/{userId}/${action}`,
    operationId: `${action}SyncUser`,
    tags: ['Sync status'],
    summary: summaries[action],
    request: { params: idParams('userId'), query: NoQuery },
    responses: { 202: jsonContent(OperatorActionSchema, 'Taken by the workflow; `status` says what it left the user in when it answered in time'), ...problemResponses(404, 409) },
  });
}

export function registerSyncActionRoutes(app: ApiApp, services: ApiServices): void {
  for (const action of ['pause', 'resume', 'retry'] as const) {
    app.openapi(actionRoute(action), async (c) => c.json(await services.operatorActions.perform(c.req.valid('param').userId, action), 202));
  }
}
