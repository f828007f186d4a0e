import { loadConfig } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { Runtime } from '@temporalio/worker';
import { connectWorkerConnection, registerSearchAttributes } from '../shared/temporal.js';
import { temporalLoggerFrom } from './runtime-logger.js';
import { openStore } from '../store/index.js';
import { pacingFromEnv } from '../activities/pacing.js';
import { createSyncWorker } from './worker.js';

/**
 * A worker process. Run as many as you like against one task queue: that is
 * how the sync scales beyond one machine.
 */
const config = loadConfig();
const log = createLogger('worker', config.logLevel);
Runtime.install({ logger: temporalLoggerFrom(log.child({ component: 'temporal-sdk' })) });

const connection = await connectWorkerConnection(config);
// The dev server registers them itself; a cluster or compose stack may not have them yet.
await registerSearchAttributes(connection, config.temporalNamespace).catch((err: Error) =>
  log.warn({ err: err.message }, 'could not register the search attributes; ask the cluster operator to add them (see README)'),
);
const store = await openStore({ dataDir: config.dataDir, databaseUrl: process.env.DATABASE_URL, encryptionKey: process.env.ENCRYPTION_KEY });
const worker = await createSyncWorker({
  connection,
  namespace: config.temporalNamespace,
  taskQueue: config.temporalTaskQueue,
  activityDeps: { store, pacing: pacingFromEnv() },
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down worker');
    worker.shutdown();
  });
}

log.info({ taskQueue: config.temporalTaskQueue, namespace: config.temporalNamespace }, 'worker started');
await worker.run();
await connection.close();
await store.close();
log.info('worker stopped');
