import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectTestTemporal, startTestWorker, type RunningWorker, type TestTemporal } from '../helpers/temporal.js';
import { authHeaders, createTestApp } from '../helpers/api.js';
import { inject } from 'vitest';
import type { Store } from '../../store/index.js';
import { openTestStore } from '../helpers/store.js';

// The vertical slice: API starts a workflow, the workflow runs an activity on
// a worker, the API reads the state back, and Temporal UI shows the run.
describe('worker probe through API, workflow and activity', () => {
  let temporal: TestTemporal;
  let worker: RunningWorker;
  let store: Store;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    store = await openTestStore();
    worker = await startTestWorker(temporal, { identity: 'probe-test-worker', activityDeps: { store } });
  });
  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
    await store?.close();
  });

  it('runs the probe on a worker and reads the result back through the API', async () => {
    const app = createTestApp(temporal, store);
    const started = await app.request('/api/diagnostics/worker-probe', { method: 'POST', headers: authHeaders });
    expect(started.status).toBe(202);
    const { workflowId, runId, temporalUiUrl } = (await started.json()) as { workflowId: string; runId: string; temporalUiUrl: string };
    expect(workflowId).toMatch(/^worker-probe-/);
    expect(temporalUiUrl).toContain(`/namespaces/default/workflows/${workflowId}/${runId}`);

    let body: { status: string; result: { workerIdentity: string; pid: number } | null } = { status: 'RUNNING', result: null };
    for (let i = 0; i < 100 && body.status !== 'COMPLETED'; i++) {
      const res = await app.request(`/api/diagnostics/worker-probe/${workflowId}`, { headers: authHeaders });
      expect(res.status).toBe(200);
      body = (await res.json()) as typeof body;
      if (body.status !== 'COMPLETED') await sleep(100);
    }
    expect(body.status).toBe('COMPLETED');
    expect(body.result?.workerIdentity).toBe('probe-test-worker');
    expect(body.result?.pid).toBe(process.pid);

    // Temporal UI serves the run through its own API.
    const ui = await fetch(`${inject('temporalUiUrl')}/api/v1/namespaces/default/workflows/${workflowId}?execution.runId=${runId}`);
    expect(ui.status).toBe(200);
    const described = (await ui.json()) as { workflowExecutionInfo: { type: { name: string }; status: string } };
    expect(described.workflowExecutionInfo.type.name).toBe('workerProbeWorkflow');
    expect(described.workflowExecutionInfo.status).toBe('WORKFLOW_EXECUTION_STATUS_COMPLETED');
  });

  it('answers 404 with a problem document for an unknown probe and 400 for a malformed id', async () => {
    const app = createTestApp(temporal, store);
    const missing = await app.request('/api/diagnostics/worker-probe/worker-probe-00000000-0000-0000-0000-000000000000', { headers: authHeaders });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(((await missing.json()) as { code: string }).code).toBe('PROBE_NOT_FOUND');

    const malformed = await app.request('/api/diagnostics/worker-probe/not-a-probe', { headers: authHeaders });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { code: string }).code).toBe('INVALID_REQUEST');
  });
});
