import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { temporal as proto } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import type { workerProbeWorkflow } from '../../workflows/worker-probe.js';
import { openTestStore } from '../helpers/store.js';
import { connectTestTemporal, startTestWorker, type RunningWorker, type TestTemporal } from '../helpers/temporal.js';

/** Asks until `read` answers something, for at most a minute (the server registers a new version when its first poll arrives). */
async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('gave up waiting for the worker deployment');
    await sleep(200);
  }
}

describe('Worker Versioning', () => {
  let temporal: TestTemporal;
  let store: Store;
  let worker: RunningWorker;
  const deployment = { deploymentName: `test-deployment-${randomUUID()}`, buildId: 'build-1' };

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    store = await openTestStore();
    worker = await startTestWorker(temporal, { activityDeps: { store }, deployment });
  });
  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
    await store?.close();
  });

  it('polls as the configured deployment version, and runs workflows on it as auto-upgrade', async () => {
    const service = temporal.client.workflowService;
    const { namespace } = temporal;

    // The server learns of the deployment and its version from the worker's polls.
    const versions = await eventually(async () => {
      const described = await service.describeWorkerDeployment({ namespace, deploymentName: deployment.deploymentName });
      const summaries = described.workerDeploymentInfo?.versionSummaries ?? [];
      return summaries.length > 0 ? summaries : undefined;
    });
    expect(versions.map((summary) => summary.deploymentVersion)).toEqual([expect.objectContaining(deployment)]);

    // A rolling deploy's last step: the operator makes the new build current.
    await service.setWorkerDeploymentCurrentVersion({ namespace, deploymentName: deployment.deploymentName, buildId: deployment.buildId, identity: 'worker-versioning-test' });

    const handle = await temporal.client.workflow.start<typeof workerProbeWorkflow>('workerProbeWorkflow', { taskQueue: temporal.taskQueue, workflowId: `worker-probe-${randomUUID()}` });
    await handle.result();
    const { workflowExecutionInfo } = await service.describeWorkflowExecution({ namespace, execution: { workflowId: handle.workflowId } });
    const versioning = workflowExecutionInfo?.versioningInfo;
    expect(versioning?.behavior).toBe(proto.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE);
    expect(versioning?.deploymentVersion).toMatchObject(deployment);
  });
});
