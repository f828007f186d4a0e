import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ApiApp } from '../app.js';
import type { ApiDeps } from '../deps.js';
import { problem } from '../problem.js';
import { jsonContent, NoQuery, problemResponses } from '../schemas/common.js';
import { temporalUiWorkflowUrl } from '../temporal-ui.js';

const ProbeIdSchema = z
  .string()
  .regex(/^worker-probe-[0-9a-f-]{36}$/, 'must be a worker probe id as returned by POST /api/diagnostics/worker-probe')
  .openapi({ param: { name: 'workflowId', in: 'path' } });

const ProbeSchema = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    status: z.string(),
    temporalUiUrl: z.string(),
    result: z.object({ workerIdentity: z.string(), pid: z.number(), hostname: z.string(), uptimeSeconds: z.number(), at: z.string() }).nullable(),
  })
  .openapi('WorkerProbe');

const startProbe = createRoute({
  method: 'post',
  path: '/api/diagnostics/worker-probe',
  operationId: 'startWorkerProbe',
  tags: ['Operations'],
  summary: 'Send a probe workflow through the task queue to check that a worker runs workflows and activities',
  request: { query: NoQuery },
  responses: {
    202: { ...jsonContent(ProbeSchema, 'Probe started'), links: { ReadWorkerProbe: { operationId: 'readWorkerProbe', parameters: { workflowId: '$response.body#/workflowId' } } } },
    ...problemResponses(),
  },
});

const readProbe = createRoute({
  method: 'get',
  path: '/api/diagnostics/worker-probe/{workflowId}',
  operationId: 'readWorkerProbe',
  tags: ['Operations'],
  summary: 'State and result of a worker probe',
  request: { params: z.object({ workflowId: ProbeIdSchema }).strict(), query: NoQuery },
  responses: { 200: jsonContent(ProbeSchema, 'Probe state'), ...problemResponses(404) },
});

export function registerDiagnosticsRoutes(app: ApiApp, deps: ApiDeps): void {
  const { temporalNamespace: namespace, temporalTaskQueue: taskQueue, temporalUiUrl } = deps.config;

  app.openapi(startProbe, async (c) => {
    const workflowId = `worker-probe-${randomUUID()}`;
    const handle = await deps.temporal.workflow.start('workerProbeWorkflow', { workflowId, taskQueue, args: [] });
    return c.json(
      { workflowId, runId: handle.firstExecutionRunId, status: 'RUNNING', result: null, temporalUiUrl: temporalUiWorkflowUrl(temporalUiUrl, namespace, workflowId, handle.firstExecutionRunId) },
      202,
    );
  });

  app.openapi(readProbe, async (c) => {
    const { workflowId } = c.req.valid('param');
    const handle = deps.temporal.workflow.getHandle(workflowId);
    try {
      const description = await handle.describe();
      const status = description.status.name;
      const result = status === 'COMPLETED' ? await handle.result() : null;
      return c.json({ workflowId, runId: description.runId, status, result, temporalUiUrl: temporalUiWorkflowUrl(temporalUiUrl, namespace, workflowId, description.runId) }, 200);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return problem(c, 404, 'PROBE_NOT_FOUND', `No worker probe with id ${workflowId}; it may be older than the namespace's retention.`);
      throw err;
    }
  });
}
