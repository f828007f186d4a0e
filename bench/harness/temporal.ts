import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDevServer, type DevServer } from '../../scripts/dev-server.js';
import { freePort } from '../../shared/free-port.js';

/**
 * A Temporal dev server of the bench's own: the same `temporal server
 * start-dev` with a SQLite file that `npm start` embeds, on free ports, with
 * its data in the bench's temporary directory (never ./data).
 */
export interface BenchTemporal {
  server: DevServer;
  client: Client;
  /** The dev server's process id, for its CPU and memory. */
  pid: number;
  close(): Promise<void>;
}

export async function startBenchTemporal(dataDir: string): Promise<BenchTemporal> {
  const binary = process.env.TEMPORAL_CLI;
  if (!binary) throw new Error('TEMPORAL_CLI is not set: run the benchmark with `npm run bench`, which finds the Temporal CLI.');
  const serverDir = mkdtempSync(path.join(dataDir, 'temporal-'));
  const server = await startDevServer({ binary, dataDir: serverDir, port: await freePort(), uiPort: await freePort(), namespace: 'default', log: () => undefined });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  return {
    server,
    client,
    pid: server.process.pid ?? 0,
    async close() {
      await connection.close();
      await server.stop();
    },
  };
}
