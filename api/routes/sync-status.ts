import { createRoute } from '@hono/zod-openapi';
import type { ApiApp } from '../app.js';
import type { ApiServices } from '../services/index.js';
import { idParams, jsonContent, NoQuery, problemResponses } from '../schemas/common.js';
import { ItemListSchema, ItemsQuery, SyncStatusListQuery, SyncStatusListSchema, SyncUserDetailSchema } from '../schemas/sync-status.js';

const UserParams = idParams('userId');

const listRoute = createRoute({
  method: 'get',
  path: '/api/sync-status',
  operationId: 'listSyncStatus',
  tags: ['Sync status'],
  summary: 'Synced users, filtered, by source email; with the totals per status',
  request: { query: SyncStatusListQuery },
  responses: {
    200: {
      ...jsonContent(SyncStatusListSchema, 'A page of users'),
      links: {
        GetSyncUser: { operationId: 'getSyncUser', parameters: { userId: '$response.body#/items/0/userId' } },
        ListSyncUserItems: { operationId: 'listSyncUserItems', parameters: { userId: '$response.body#/items/0/userId' } },
      },
    },
    ...problemResponses(),
  },
});

const detailRoute = createRoute({
  method: 'get',
  path: '/api/sync-status/{userId}',
  operationId: 'getSyncUser',
  tags: ['Sync status'],
  summary: "One user's detail panel: error and what to do, counts, recent cycles, the workflow",
  request: { params: UserParams, query: NoQuery },
  responses: { 200: jsonContent(SyncUserDetailSchema, 'The user'), ...problemResponses(404) },
});

const itemsRoute = createRoute({
  method: 'get',
  path: '/api/sync-status/{userId}/items',
  operationId: 'listSyncUserItems',
  tags: ['Sync status'],
  summary: 'Items of the user that could not be copied, newest first',
  request: { params: UserParams, query: ItemsQuery },
  responses: { 200: jsonContent(ItemListSchema, 'A page of items'), ...problemResponses(404) },
});

export function registerSyncStatusRoutes(app: ApiApp, services: ApiServices): void {
  app.openapi(listRoute, async (c) => c.json(await services.syncStatus.list(c.req.valid('query')), 200));
  app.openapi(detailRoute, async (c) => c.json(await services.syncStatus.detail(c.req.valid('param').userId), 200));
  app.openapi(itemsRoute, async (c) => c.json(await services.syncStatus.items(c.req.valid('param').userId, c.req.valid('query')), 200));
}
