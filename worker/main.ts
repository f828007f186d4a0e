import { loadConfig } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { Runtime } from '@temporalio/worker';
import { connectClient, connectWorkerConnection, registerSearchAttributes } from '../shared/temporal.js';
import { dataConverterWith, loadPayloadCodec } from '../shared/payload-codec.js';
import { temporalLoggerFrom } from './runtime-logger.js';
import { openStore } from '../store/index.js';
import { pacingFromEnv } from '../activities/pacing.js';
import { bootstrapConfiguration, ensureMembershipWorkflows } from './bootstrap.js';
import { createSyncWorker } from './worker.js';
import { startWorkerMetricsServer, temporalRuntimeMetrics, workerMetricsSettingsFromEnv } from '../shared/metrics/worker-endpoint.js';

/**
 * A worker process. Run as many as you like against one task queue: that is
 * how the sync scales beyond one machine.
 */
const config = loadConfig();
const log = createLogger('worker', config.logLevel);
// Our own handler below is the only one: the SDK's default handlers would shut the worker down a second
// time when a Ctrl-C reaches both this process and `npm start` (which then sends SIGTERM), and a second
// shutdown() throws IllegalStateError ("Not running. Current state: DRAINING").
// With WORKER_METRICS_PORT set, the SDK's own metrics are exported too, through the same endpoint (README, "Metrics").
const metricsSettings = workerMetricsSettingsFromEnv();
const sdkMetrics = metricsSettings ? await temporalRuntimeMetrics() : null;
Runtime.install({ logger: temporalLoggerFrom(log.child({ component: 'temporal-sdk' })), shutdownSignals: [], ...(sdkMetrics ? { telemetryOptions: sdkMetrics.telemetryOptions } : {}) });

const connection = await connectWorkerConnection(config);
// The dev server registers them itself; a cluster or compose stack may not have them yet.
await registerSearchAttributes(connection, config.temporalNamespace).catch((err: Error) =>
  log.warn({ err: err.message }, 'could not register the search attributes; ask the cluster operator to add them (see README)'),
);
const store = await openStore({ dataDir: config.dataDir, databaseUrl: process.env.DATABASE_URL, encryptionKey: process.env.ENCRYPTION_KEY });
// Payloads go to Temporal encrypted (README, Payload encryption).
const dataConverter = dataConverterWith(loadPayloadCodec({ dataDir: config.dataDir }));
const client = await connectClient(config, dataConverter);
const metricsServer = metricsSettings ? await startWorkerMetricsServer({ ...metricsSettings, temporalMetricsUrl: sdkMetrics?.url }) : null;
if (metricsServer) log.info({ url: metricsServer.url }, 'worker metrics endpoint listening');
const worker = await createSyncWorker({
  connection,
  namespace: config.temporalNamespace,
  taskQueue: config.temporalTaskQueue,
  activityDeps: { store, pacing: pacingFromEnv(), downloadBudgetBytes: config.workerDownloadBudgetBytes, temporal: { client, taskQueue: config.temporalTaskQueue } },
  maxCachedWorkflows: config.workerMaxCachedWorkflows,
  dataConverter,
  deployment: config.workerDeployment,
  ...(config.workflowBundlePath ? { workflowBundle: { codePath: config.workflowBundlePath } } : {}),
});

let stopRequested = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopRequested) return;
  stopRequested = true;
  log.info({ signal }, 'shutting down worker');
  // Before run() the worker is not polling yet: run() below is skipped instead.
  if (worker.getState() === 'RUNNING') worker.shutdown();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop);

await bootstrapConfiguration(store, process.env, config.dataDir, log);
await ensureMembershipWorkflows(client, config.temporalTaskQueue, store);
if (!stopRequested) {
  log.info({ taskQueue: config.temporalTaskQueue, namespace: config.temporalNamespace, deployment: config.workerDeployment ?? null }, 'worker started');
  await worker.run();
}
await connection.close();
await client.connection.close();
await store.close();
await metricsServer?.close();
log.info('worker stopped');
