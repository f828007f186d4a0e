import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createSyncWorker, type SyncWorkerOptions } from '../../worker/worker.js';
import { dataConverterWith, PayloadEncryptionCodec } from '../../shared/payload-codec.js';
import { parseEncryptionKey } from '../../shared/encryption-key.js';

/**
 * Tests encrypt payloads as production does, with the run's key
 * (PAYLOAD_CODEC_KEY, which test/global-setup.ts sets to the committed test
 * key, so recorded histories stay replayable).
 */
export function testPayloadCodec(): PayloadEncryptionCodec {
  return new PayloadEncryptionCodec(parseEncryptionKey(process.env.PAYLOAD_CODEC_KEY!, 'PAYLOAD_CODEC_KEY'));
}
export const testDataConverter = () => dataConverterWith(testPayloadCodec());

// Worker state changes at INFO drown the test output.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process.
}

export interface TestTemporal {
  client: Client;
  taskQueue: string;
  namespace: string;
  close(): Promise<void>;
}

/**
 * A client on the run's shared dev server (or the one at `address`), with a
 * task queue of its own so test files do not steal each other's tasks.
 */
export async function connectTestTemporal(address: string = inject('temporalAddress')): Promise<TestTemporal> {
  const connection = await Connection.connect({ address });
  const namespace = 'default';
  return {
    client: new Client({ connection, namespace, dataConverter: testDataConverter() }),
    taskQueue: `test-${randomUUID()}`,
    namespace,
    close: () => connection.close(),
  };
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

/** An in-process worker built by the same factory as the real one, on the prebuilt bundle. */
export async function startTestWorker(temporal: TestTemporal, options: Pick<SyncWorkerOptions, 'activityDeps'> & Partial<Pick<SyncWorkerOptions, 'identity' | 'deployment'>>): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await createSyncWorker({
    connection,
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    dataConverter: testDataConverter(),
    ...options,
  });
  const running = worker.run();
  return {
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
