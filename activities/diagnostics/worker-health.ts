import os from 'node:os';
import type { WorkerHealthReport } from '../../shared/contracts/worker-probe.js';

export interface DiagnosticsDeps {
  workerIdentity: string;
}

export function createDiagnosticsActivities(deps: DiagnosticsDeps) {
  return {
    async reportWorkerHealth(): Promise<WorkerHealthReport> {
      return {
        workerIdentity: deps.workerIdentity,
        pid: process.pid,
        hostname: os.hostname(),
        uptimeSeconds: Math.round(process.uptime()),
        at: new Date().toISOString(),
      };
    },
  };
}
