import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { registerSearchAttributes, searchAttributeArgs } from '../shared/temporal.js';

export interface DevServerOptions {
  binary: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  log: (line: string) => void;
  /** Keep workflows in a SQLite file in the data directory (the default), or only in memory (the test suite's server). */
  persist?: boolean;
  /** Called as soon as the process exists, before it answers: whoever stops the system meanwhile can end it. */
  onSpawn?: (child: ChildProcess) => void;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  /** Stops the server: SIGTERM, then SIGKILL after `timeoutMs` (10 s unless given). */
  stop(timeoutMs?: number): Promise<void>;
}

async function waitForFrontend(address: string, child: ChildProcess, logPath: string, timeoutMs: number): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Temporal dev server exited early with code ${child.exitCode}; see ${logPath}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (err) {
      lastError = err;
      await sleep(250);
    }
  }
  throw new Error(`Temporal dev server did not answer on ${address} within ${timeoutMs} ms (see ${logPath}): ${String(lastError)}`);
}

/**
 * The embedded default: `temporal server start-dev` with SQLite persistence in
 * the data directory, so workflows survive a restart of `npm start`.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const logDir = path.join(options.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const address = `127.0.0.1:${options.port}`;
  const args = [
    'server',
    'start-dev',
    ...(options.persist === false ? [] : ['--db-filename', path.join(options.dataDir, 'temporal.db')]),
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--namespace',
    options.namespace,
    '--log-format',
    'json',
    '--log-level',
    'warn',
    ...searchAttributeArgs(),
  ];
  const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  options.onSpawn?.(child);
  const logPath = path.join(logDir, 'temporal.log');
  const logFile = createWriteStream(logPath, { flags: 'a' });
  child.stdout?.pipe(logFile);
  child.stderr?.pipe(logFile);

  const connection = await waitForFrontend(address, child, logPath, 60_000);
  await registerSearchAttributes(connection, options.namespace);
  await connection.close();
  options.log(`Temporal dev server on ${address}, UI on http://localhost:${options.uiPort}`);

  return {
    address,
    uiUrl: `http://localhost:${options.uiPort}`,
    process: child,
    async stop(timeoutMs = 10_000) {
      // A server that got Ctrl-C itself may be gone already; one killed by a signal has signalCode, not exitCode.
      if (child.exitCode !== null || child.signalCode !== null) {
        logFile.end();
        return;
      }
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(timeoutMs).then(() => true)]);
      if (timedOut) child.kill('SIGKILL');
      logFile.end();
    },
  };
}
