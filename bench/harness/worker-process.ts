import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { PacingSettings } from '../../activities/pacing.js';
import { openStore } from '../../store/index.js';
import { createSyncWorker } from '../../worker/worker.js';
import { instrumentStore } from './store-timing.js';

/**
 * The sync worker in a process of its own, as in production (worker/main.ts)
 * minus the first-start bootstrap: the bench creates its own connections and
 * policy. It bundles the workflows from source at start, as `npm run worker`
 * does, so workflow and activity code always come from the same checkout.
 * Its CPU and memory are then the worker's alone, apart from the
 * emulators and the load driver in the parent. Controlled over IPC:
 * parent → { type: 'stop' }; child → { type: 'ready' } once polling, then
 * { type: 'status', status } every two seconds: cached workflows, work in
 * flight, the main thread's event-loop delay over those two seconds, and
 * every repository call so far, counted and timed (store-timing.ts).
 * { type: 'profile-start' } and { type: 'profile-stop', file } profile the
 * main thread (activities, the Temporal bridge) for a chosen stretch.
 */
export interface WorkerProcessConfig {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  dataDir: string;
  /** PostgreSQL's DATABASE_URL; SQLite in dataDir when absent. */
  databaseUrl?: string;
  pacing: PacingSettings;
  deltaPageSize: number;
  maxCachedWorkflows?: number;
}

const config = JSON.parse(process.env.BENCH_WORKER_CONFIG ?? 'null') as WorkerProcessConfig | null;
if (!config) throw new Error('BENCH_WORKER_CONFIG is not set; this file is started by bench/harness/worker-control.ts.');

Runtime.install({ logger: new DefaultLogger('WARN') });
const opened = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
const { store, timings } = instrumentStore(opened);
const connection = await NativeConnection.connect({ address: config.temporalAddress });
const clientConnection = await Connection.connect({ address: config.temporalAddress });
const client = new Client({ connection: clientConnection, namespace: config.namespace });
const worker = await createSyncWorker({
  connection,
  namespace: config.namespace,
  taskQueue: config.taskQueue,
  activityDeps: { store, pacing: config.pacing, deltaPageSize: config.deltaPageSize, temporal: { client, taskQueue: config.taskQueue } },
  maxCachedWorkflows: config.maxCachedWorkflows,
});

const profiler = new Session();
process.on('message', (message: { type?: string; file?: string }) => {
  if (message.type === 'stop' && worker.getState() === 'RUNNING') worker.shutdown();
  if (message.type === 'profile-start') {
    profiler.connect();
    void profiler
      .post('Profiler.enable')
      .then(() => profiler.post('Profiler.start'))
      .then(() => process.send?.({ type: 'profile-started' }));
  }
  if (message.type === 'profile-stop' && message.file) {
    const file = message.file;
    void profiler.post('Profiler.stop').then(({ profile }) => {
      writeFileSync(file, JSON.stringify(profile));
      profiler.disconnect();
      process.send?.({ type: 'profile-saved', file });
    });
  }
});
// The parent going away must not leave a worker polling the bench's server.
process.on('disconnect', () => {
  if (worker.getState() === 'RUNNING') worker.shutdown();
});

const running = worker.run();
process.send?.({ type: 'ready' });
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const statusTimer = setInterval(() => {
  const { numCachedWorkflows, numInFlightWorkflowActivations, numInFlightNonLocalActivities, numInFlightLocalActivities } = worker.getStatus();
  const eventLoopDelayMs = { mean: loopDelay.mean / 1e6, p99: loopDelay.percentile(99) / 1e6 };
  loopDelay.reset();
  process.send?.({
    type: 'status',
    status: { numCachedWorkflows, numInFlightWorkflowActivations, numInFlightNonLocalActivities, numInFlightLocalActivities },
    eventLoopDelayMs,
    storeTimings: timings,
  });
}, 2000);
await running;
clearInterval(statusTimer);
await connection.close();
await clientConnection.close();
await opened.close();
process.disconnect?.();
