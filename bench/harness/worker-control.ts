import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StoreTimings } from './store-timing.js';
import { captureLog, logTail, summarizeActivityFailures, type ActivityFailures } from './worker-log.js';
import type { WorkerProcessConfig } from './worker-process.js';

/** What the worker reports about itself every two seconds. */
export interface WorkerLoad {
  numCachedWorkflows: number;
  numInFlightWorkflowActivations: number;
  numInFlightNonLocalActivities: number;
  numInFlightLocalActivities: number;
}

/** The parent's side of a worker process: start it, wait until it polls, stop it. */
export interface BenchWorker {
  pid: number;
  /** The highest figure of each field the worker has reported so far. */
  peakLoad(): WorkerLoad;
  /** Every repository call the worker made so far, counted and timed. */
  storeTimings(): StoreTimings;
  /** Event-loop delay of the worker's main thread, one reading per two seconds since the worker started. */
  eventLoopDelays(): Array<{ at: number; mean: number; p99: number }>;
  /** Profiles the worker's main thread while `during` runs; the profile goes to `file` (.cpuprofile). */
  profile<T>(file: string, during: () => Promise<T>): Promise<T>;
  /** Failed activity attempts so far, by cause, from the worker's log. */
  activityFailures(): ActivityFailures;
  /** Stops polling, lets running tasks finish, and waits for the process to exit (writing its profile, if any). */
  stop(): Promise<void>;
}

interface WorkerStatusMessage {
  type?: string;
  status?: WorkerLoad;
  storeTimings: StoreTimings;
  eventLoopDelayMs: { mean: number; p99: number };
}

const entry = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

export interface StartWorkerOptions {
  /** Write V8 CPU profiles (main and workflow threads) to this directory when the process exits. */
  profileDir?: string;
  /** Where the worker's own output goes (it is not echoed). */
  logFile: string;
}

/** Runs a TypeScript entry as a child over IPC, through tsx like `npm run worker`. */
export function forkTs(file: string, env: NodeJS.ProcessEnv, profileDir?: string, output: 'inherit' | 'pipe' = 'inherit'): ChildProcess {
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return fork(file, [], { env, execArgv: [...profiling, '--import', 'tsx'], stdio: ['ignore', output, output, 'ipc'] });
}

export async function startBenchWorker(config: WorkerProcessConfig, options: StartWorkerOptions): Promise<BenchWorker> {
  const child = forkTs(entry, { ...process.env, BENCH_WORKER_CONFIG: JSON.stringify(config) }, options.profileDir, 'pipe');
  captureLog(child.stdout, `${options.logFile}.out`);
  captureLog(child.stderr, options.logFile);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then((code) => reject(new Error(`The bench worker exited with code ${code} before it started polling:\n${logTail(options.logFile)}`)));
  });
  const peak: WorkerLoad = { numCachedWorkflows: 0, numInFlightWorkflowActivations: 0, numInFlightNonLocalActivities: 0, numInFlightLocalActivities: 0 };
  let timings: StoreTimings = {};
  const delays: Array<{ at: number; mean: number; p99: number }> = [];
  child.on('message', (message: WorkerStatusMessage) => {
    if (message.type !== 'status' || !message.status) return;
    for (const key of Object.keys(peak) as (keyof WorkerLoad)[]) peak[key] = Math.max(peak[key], message.status[key]);
    timings = message.storeTimings;
    delays.push({ at: Date.now(), ...message.eventLoopDelayMs });
  });
  return {
    pid: child.pid ?? 0,
    peakLoad: () => ({ ...peak }),
    storeTimings: () => structuredClone(timings),
    eventLoopDelays: () => [...delays],
    activityFailures: () => summarizeActivityFailures(options.logFile),
    async profile(file, during) {
      const reply = (type: string) =>
        new Promise<void>((resolve) => {
          const listener = (message: { type?: string }) => {
            if (message.type !== type) return;
            child.off('message', listener);
            resolve();
          };
          child.on('message', listener);
        });
      const started = reply('profile-started');
      child.send({ type: 'profile-start' });
      await started;
      try {
        return await during();
      } finally {
        const saved = reply('profile-saved');
        child.send({ type: 'profile-stop', file });
        await saved;
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.send({ type: 'stop' });
      const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
