import { createRoute, z } from '@hono/zod-openapi';
import { CONNECTION_KINDS, CONNECTION_STATUSES, type ConnectionKind, type ConnectionStatus } from '../../store/index.js';
import type { ApiApp } from '../app.js';
import type { ApiDeps } from '../deps.js';
import { NoQuery, problemResponses } from '../schemas/common.js';

const CheckSchema = z.object({ ok: z.boolean(), detail: z.string() }).openapi('HealthCheck');
const HealthSchema = z
  .object({
    ok: z.boolean().openapi({ description: 'Temporal and the database answer, and no connection is in Error.' }),
    temporal: CheckSchema.extend({ address: z.string(), namespace: z.string() }),
    workers: CheckSchema.extend({ pollers: z.number().int() }),
    database: CheckSchema,
    connections: CheckSchema.extend({
      items: z.array(z.object({ id: z.guid(), name: z.string(), kind: z.enum(CONNECTION_KINDS), status: z.enum(CONNECTION_STATUSES) })),
    }),
  })
  .openapi('Health');

const healthRoute = createRoute({
  method: 'get',
  path: '/api/health',
  operationId: 'getHealth',
  tags: ['Operations'],
  summary: 'Liveness of the pieces the sync depends on (no token needed)',
  security: [],
  request: { query: NoQuery },
  responses: {
    200: { description: 'The API can serve (ok may still be false: a connection in Error)', content: { 'application/json': { schema: HealthSchema } } },
    503: { description: 'Temporal or the database does not answer', content: { 'application/json': { schema: HealthSchema } } },
    400: problemResponses()[400],
  },
});

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * How long health waits for Temporal. The client retries an unreachable
 * server for some 20 s (@temporalio/client grpc-retry: 10 attempts, growing
 * waits), and a restart within that time would never show as an outage: the
 * check answers "down" instead while the server does not answer.
 */
const temporalCheckTimeoutMs = 3_000;
const withinCheckTime = <T>(deps: ApiDeps, call: () => Promise<T>): Promise<T> => deps.temporal.connection.withDeadline(Date.now() + temporalCheckTimeoutMs, call);

async function checkTemporal(deps: ApiDeps) {
  const address = deps.temporalAddress;
  const namespace = deps.config.temporalNamespace;
  try {
    await withinCheckTime(deps, () => deps.temporal.workflowService.describeNamespace({ namespace }));
    return { ok: true, detail: 'connected', address, namespace };
  } catch (err) {
    return { ok: false, detail: `cannot reach Temporal: ${messageOf(err)}`, address, namespace };
  }
}

async function checkWorkers(deps: ApiDeps) {
  try {
    const queue = await withinCheckTime(deps, () =>
      deps.temporal.workflowService.describeTaskQueue({
        namespace: deps.config.temporalNamespace,
        taskQueue: { name: deps.config.temporalTaskQueue },
      }),
    );
    const pollers = queue.pollers?.length ?? 0;
    return { ok: pollers > 0, detail: pollers > 0 ? `${pollers} poller(s) on ${deps.config.temporalTaskQueue}` : `no worker polls ${deps.config.temporalTaskQueue}`, pollers };
  } catch (err) {
    return { ok: false, detail: `cannot describe the task queue: ${messageOf(err)}`, pollers: 0 };
  }
}

async function checkDatabase(deps: ApiDeps) {
  try {
    await deps.store.orm.em.fork().getConnection().execute('select 1');
    return { ok: true, detail: `${deps.store.dialect} answers` };
  } catch (err) {
    return { ok: false, detail: `the database does not answer: ${messageOf(err)}` };
  }
}

async function checkConnections(deps: ApiDeps, databaseOk: boolean) {
  if (!databaseOk) return { ok: false, detail: 'unknown: the database does not answer', items: [] };
  let items: { id: string; name: string; kind: ConnectionKind; status: ConnectionStatus }[];
  try {
    items = (await deps.store.connections.list()).map(({ id, name, kind, status }) => ({ id, name, kind, status }));
  } catch (err) {
    return { ok: false, detail: `cannot read the connections: ${messageOf(err)}`, items: [] };
  }
  const failing = items.filter((connection) => connection.status === 'Error');
  const detail = failing.length > 0 ? `in Error: ${failing.map((connection) => connection.name).join(', ')}` : `${items.length} connection(s), none in Error`;
  return { ok: failing.length === 0, detail, items };
}

export function registerHealthRoutes(app: ApiApp, deps: ApiDeps): void {
  app.openapi(healthRoute, async (c) => {
    const [temporal, database] = await Promise.all([checkTemporal(deps), checkDatabase(deps)]);
    const workers = temporal.ok ? await checkWorkers(deps) : { ok: false, detail: 'Temporal unreachable', pollers: 0 };
    const connections = await checkConnections(deps, database.ok);
    const body = { ok: temporal.ok && database.ok && connections.ok, temporal, workers, database, connections };
    return c.json(body, temporal.ok && database.ok ? 200 : 503);
  });
}
