import { loadConfig } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { connectWorkerConnection } from '../shared/temporal.js';
import { createSyncWorker } from './worker.js';

/**
 * A worker process. Run as many as you like against one task queue: that is
 * how the sync scales beyond one machine.
 */
const config = loadConfig();
const log = createLogger('worker', config.logLevel);
const connection = await connectWorkerConnection(config);
const worker = await createSyncWorker({
  connection,
  namespace: config.temporalNamespace,
  taskQueue: config.temporalTaskQueue,
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
log.info('worker stopped');
