import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { WorkerHealthReport } from '../shared/contracts/worker-probe.js';

const { reportWorkerHealth } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  // A probe answers "is a worker polling this queue right now?": a short
  // schedule-to-start limit makes a missing worker show up as a timeout.
  scheduleToStartTimeout: '20 seconds',
  retry: { maximumAttempts: 1 },
});

/**
 * Round trip through the task queue: proves that a worker is polling, can run
 * workflow code and can run an activity. Operators start it from the API.
 */
export async function workerProbeWorkflow(): Promise<WorkerHealthReport> {
  return await reportWorkerHealth();
}
