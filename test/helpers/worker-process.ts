import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { inject } from 'vitest';
import type { SyncFixture } from './sync-fixture.js';

export interface WorkerProcess {
  child: ChildProcess;
  /** The identity Temporal records for its polls and attempts (worker/worker.ts: defaultWorkerIdentity). */
  identity: string;
  exited: Promise<void>;
}

/**
 * A real worker process (worker/main.ts), as `npm start` runs it, on the
 * fixture's database and task queue. Its pacing is slow enough for a kill to
 * land in the middle of an initial sync, fast enough for a test.
 */
export function spawnWorkerProcess(fixture: SyncFixture, options: { temporalAddress?: string; env?: NodeJS.ProcessEnv } = {}): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: {
      ...process.env,
      DATA_DIR: fixture.dataDir,
      TEMPORAL_ADDRESS: options.temporalAddress ?? inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: fixture.temporal.taskQueue,
      // The run's prebuilt bundle, as a production worker loads one.
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      LOG_LEVEL: 'error',
      GMAIL_USER_UNITS_PER_MINUTE: String(25 * 60 * 150),
      GRAPH_REQUESTS_PER_10_MINUTES: '600000',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return { child, identity: `${child.pid}@${os.hostname()}`, exited };
}

/** Kills a worker process without warning and waits for it to be gone. */
export async function killWorkerProcess(worker: WorkerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill(signal);
  await worker.exited;
}
