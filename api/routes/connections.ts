import { createRoute } from '@hono/zod-openapi';
import type { ApiApp } from '../app.js';
import type { ApiServices } from '../services/index.js';
import { toConnection } from '../presenters/connections.js';
import { toStoredError } from '../presenters/stored-error.js';
import { ApiProblem } from '../problem.js';
import { idParams, jsonContent, NoQuery, problemResponses } from '../schemas/common.js';
import { ConnectionListSchema, ConnectionSchema, ConnectionTestSchema, CredentialsBody, CredentialsUpdatedSchema } from '../schemas/connections.js';

const ConnectionParams = idParams('id');
const connectionLinks = {
  GetConnection: { operationId: 'getConnection', parameters: { id: '$response.body#/items/0/id' } },
  TestConnection: { operationId: 'testConnection', parameters: { id: '$response.body#/items/0/id' } },
};

const listRoute = createRoute({
  method: 'get',
  path: '/api/connections',
  operationId: 'listConnections',
  tags: ['Connections'],
  summary: 'Every connection, by name (settings only, never credentials)',
  request: { query: NoQuery },
  responses: { 200: { ...jsonContent(ConnectionListSchema, 'The connections'), links: connectionLinks }, ...problemResponses() },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/connections/{id}',
  operationId: 'getConnection',
  tags: ['Connections'],
  summary: 'One connection',
  request: { params: ConnectionParams, query: NoQuery },
  responses: { 200: jsonContent(ConnectionSchema, 'The connection'), ...problemResponses(404) },
});

const credentialsRoute = createRoute({
  method: 'put',
  path: '/api/connections/{id}/credentials',
  operationId: 'replaceConnectionCredentials',
  tags: ['Connections'],
  summary: 'Replace the credentials after testing them; users waiting on the connection resume at once',
  description:
    'Body `{clientSecret}` for a microsoft365 connection, `{serviceAccountKey}` (the JSON key file, as an object) for google-workspace. ' +
    "The new credentials are tried with the connection's current settings first; when the service refuses them the answer is 422 with the service's own error and the stored credentials stay as they were.",
  request: { params: ConnectionParams, query: NoQuery, body: { required: true, content: { 'application/json': { schema: CredentialsBody } } } },
  responses: { 200: jsonContent(CredentialsUpdatedSchema, 'Tested and stored'), ...problemResponses(404, 413, 415, 422) },
});

const testRoute = createRoute({
  method: 'post',
  path: '/api/connections/{id}/test',
  operationId: 'testConnection',
  tags: ['Connections'],
  summary: 'Test connection: a token request and one cheap call with the stored credentials',
  description:
    'A refusal of the credentials or the settings puts the connection in Error (its users wait until it is fixed); a throttled or unreachable service leaves the status as it was. ' +
    'A connection that was in Error and tests fine tells its users to run again at once.',
  request: { params: ConnectionParams, query: NoQuery },
  responses: { 200: jsonContent(ConnectionTestSchema, 'The outcome (ok false with the error when the service refused)'), ...problemResponses(404) },
});

export function registerConnectionRoutes(app: ApiApp, services: ApiServices): void {
  const { store } = services.deps;

  app.openapi(listRoute, async (c) => c.json({ items: (await store.connections.list()).map(toConnection) }, 200));

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const connection = await store.connections.get(id);
    if (!connection) throw new ApiProblem(404, 'NOT_FOUND', `No connection has the id ${id}.`);
    return c.json(toConnection(connection), 200);
  });

  app.openapi(credentialsRoute, async (c) => {
    const { connection, signalledUsers } = await services.connections.replaceCredentials(c.req.valid('param').id, c.req.valid('json'));
    return c.json({ connection: toConnection(connection), signalledUsers }, 200);
  });

  app.openapi(testRoute, async (c) => {
    const outcome = await services.connections.test(c.req.valid('param').id);
    return c.json(
      { ok: outcome.ok, error: toStoredError(outcome.error), connection: toConnection(outcome.connection), signalledUsers: outcome.signalledUsers, missingPermissions: outcome.missingPermissions },
      200,
    );
  });
}
