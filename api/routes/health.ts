import { createRoute, z } from '@hono/zod-openapi';
import type { ApiApp, ApiDeps } from '../app.js';

const CheckSchema = z.object({ ok: z.boolean(), detail: z.string() }).openapi('HealthCheck');
const HealthSchema = z
  .object({
    ok: z.boolean(),
    temporal: CheckSchema.extend({ address: z.string(), namespace: z.string() }),
    workers: CheckSchema.extend({ pollers: z.number().int() }),
  })
  .openapi('Health');

const healthRoute = createRoute({
  method: 'get',
  path: '/api/health',
  summary: 'Liveness of the pieces the sync depends on',
  security: [],
  responses: {
    200: { description: 'Everything answers', content: { 'application/json': { schema: HealthSchema } } },
    503: { description: 'Something does not answer', content: { 'application/json': { schema: HealthSchema } } },
  },
});

async function checkTemporal(deps: ApiDeps) {
  const address = deps.temporalAddress;
  try {
    await deps.temporal.workflowService.describeNamespace({ namespace: deps.config.temporalNamespace });
    return { ok: true, detail: 'connected', address, namespace: deps.config.temporalNamespace };
  } catch (err) {
    return { ok: false, detail: `cannot reach Temporal: ${(err as Error).message}`, address, namespace: deps.config.temporalNamespace };
  }
}

async function checkWorkers(deps: ApiDeps) {
  try {
    const queue = await deps.temporal.workflowService.describeTaskQueue({
      namespace: deps.config.temporalNamespace,
      taskQueue: { name: deps.config.temporalTaskQueue },
    });
    const pollers = queue.pollers?.length ?? 0;
    return { ok: pollers > 0, detail: pollers > 0 ? `${pollers} poller(s) on ${deps.config.temporalTaskQueue}` : `no worker polls ${deps.config.temporalTaskQueue}`, pollers };
  } catch (err) {
    return { ok: false, detail: `cannot describe the task queue: ${(err as Error).message}`, pollers: 0 };
  }
}

export function registerHealthRoutes(app: ApiApp, deps: ApiDeps): void {
  app.openapi(healthRoute, async (c) => {
    const temporal = await checkTemporal(deps);
    const workers = temporal.ok ? await checkWorkers(deps) : { ok: false, detail: 'Temporal unreachable', pollers: 0 };
    const body = { ok: temporal.ok, temporal, workers };
    return c.json(body, temporal.ok ? 200 : 503);
  });
}
