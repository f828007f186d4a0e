import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
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

export interface KillMidWriteOptions {
  env: NodeJS.ProcessEnv;
  /** Copies the target service holds now. */
  inTarget: () => Promise<number>;
  /** Copies the ledger records as imported now. */
  recorded: () => Promise<number>;
  /** Copies the target must hold before the first kill. */
  atLeast: number;
  attempts?: number;
}

/**
 * Kills a worker at a moment the target holds copies the ledger does not record
 * yet (the case a restart must not copy again), and returns both counts as they
 * stand after the kill. That moment lasts from a write to its page's record;
 * on a busy machine a kill can still land just after the record, so another
 * worker is started, given time to write more, and killed again.
 */
export async function killBetweenWriteAndRecord(fixture: SyncFixture, workers: WorkerProcess[], options: KillMidWriteOptions): Promise<{ inTarget: number; recorded: number }> {
  let atLeast = options.atLeast;
  for (let attempt = 1; attempt <= (options.attempts ?? 5); attempt += 1) {
    const worker = spawnWorkerProcess(fixture, { env: options.env });
    workers.push(worker);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const inTarget = await options.inTarget();
      if (inTarget >= atLeast && inTarget > (await options.recorded())) break;
      if (Date.now() > deadline) throw new Error(`the worker of attempt ${attempt} made no progress past ${inTarget} copies`);
      await sleep(50);
    }
    await killWorkerProcess(worker);
    const counts = { inTarget: await options.inTarget(), recorded: await options.recorded() };
    if (counts.recorded < counts.inTarget) return counts;
    atLeast = counts.inTarget + 1;
  }
  throw new Error(`no kill in ${options.attempts ?? 5} attempts landed between a write and its record`);
}
