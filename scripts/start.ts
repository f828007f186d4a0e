import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig, ensureDataDir } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { ensureLocalTls } from '../shared/tls.js';
import { loadOrCreateApiToken } from '../api/auth.js';
import { resolveTemporalCli } from './temporal-cli.js';
import { startDevServer, type DevServer, type DevServerOptions } from './dev-server.js';
import { createSupervisor } from './supervise.js';
import { demoConnectionsFile } from '../worker/bootstrap.js';

/**
 * `npm start`: the whole system on one machine, as one process tree. Each
 * piece still runs on its own (npm run worker / api / emulators) for
 * installations that spread them out.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = loadConfig();
const log = createLogger('start', config.logLevel);
ensureDataDir(config);

const tls = ensureLocalTls(config.dataDir);
const { token, created: tokenCreated } = loadOrCreateApiToken(config.dataDir);

let stopping = false;
// Whatever dies on its own is started again (scripts/supervise.ts); Ctrl-C still stops everything.
const supervisor = createSupervisor(log, () => stopping);

let devServer: DevServer | undefined;
/** The dev server's process from the moment it exists, also while a restart waits for it to answer. */
let devServerProcess: ChildProcess | undefined;

/** Starts the dev server on its database file and port, and restarts it (same file, same port) should it die. */
async function launchDevServer(options: DevServerOptions): Promise<DevServer> {
  const name = 'Temporal dev server';
  const server = await startDevServer({ ...options, onSpawn: (child) => (devServerProcess = child) });
  supervisor.started(name);
  const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
    supervisor.exited(name, { code, signal }, async () => {
      devServer = await launchDevServer(options);
    });
  if (server.process.exitCode !== null || server.process.signalCode !== null) onExit(server.process.exitCode, server.process.signalCode);
  else server.process.once('exit', onExit);
  return server;
}

let temporalAddress = config.temporalAddress;
let temporalUiUrl = config.temporalUiUrl;
if (!temporalAddress) {
  const binary = await resolveTemporalCli((line) => log.info(line));
  if (!binary) {
    log.error('No Temporal CLI could be found or built. Install it (https://docs.temporal.io/cli) or set TEMPORAL_CLI, or point TEMPORAL_ADDRESS at a running server.');
    process.exit(1);
  }
  devServer = await launchDevServer({
    binary,
    dataDir: config.dataDir,
    port: config.devServerPort,
    uiPort: config.devServerUiPort,
    namespace: config.temporalNamespace,
    log: (line) => log.info(line),
  });
  temporalAddress = devServer.address;
  temporalUiUrl = devServer.uiUrl;
}

const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  DATA_DIR: config.dataDir,
  TEMPORAL_ADDRESS: temporalAddress,
  TEMPORAL_UI_URL: temporalUiUrl,
  API_TOKEN: token,
  // The emulators' local CA; real Microsoft and Google certificates still verify against the system store.
  NODE_EXTRA_CA_CERTS: tls.caCertPath,
};

const children = new Map<string, ChildProcess>();

function startChild(name: string, entry: string, extraEnv: NodeJS.ProcessEnv = {}): void {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { ...childEnv, ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.set(name, child);
  supervisor.started(name);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) supervisor.exited(name, { code, signal }, () => startChild(name, entry, extraEnv));
  });
}

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  supervisor.cancel();
  const exits = [...children.values()].map(
    (child) =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  // Everything is down within 10 s of the signal: the worker drains for up to 7 s, the dev server gets 2.5 s.
  await Promise.race([Promise.all(exits), sleep(7_000)]);
  for (const child of children.values()) child.kill('SIGKILL');
  await devServer?.stop(2_500);
  // A restarted dev server that had not answered yet when the signal came.
  if (devServerProcess && devServerProcess !== devServer?.process && devServerProcess.exitCode === null && devServerProcess.signalCode === null) devServerProcess.kill('SIGKILL');
  log.info('stopped');
  process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll(0));

if (config.startEmulators && !config.m365EmulatorUrl && !config.googleEmulatorUrl) {
  startChild('emulators', 'emulators/main.ts');
  // The worker's first start creates the demo connections from what the emulators write.
  const demoFile = demoConnectionsFile(config.dataDir);
  const deadline = Date.now() + 120_000;
  while (!existsSync(demoFile) && Date.now() < deadline && !stopping) await sleep(200);
  if (!existsSync(demoFile)) log.warn({ demoFile }, 'the emulators did not write the demo connections in time; starting without them');
}
// The worker's Prometheus endpoint (README, "Metrics"); WORKER_METRICS_PORT picks another port.
const workerMetricsPort = process.env.WORKER_METRICS_PORT || '9464';
startChild('worker', 'worker/main.ts', { WORKER_METRICS_PORT: workerMetricsPort });
startChild('api', 'api/main.ts');

const apiUrl = `http://localhost:${config.port}`;
log.info({ api: `${apiUrl}/api`, docs: `${apiUrl}/api/docs`, temporalUi: temporalUiUrl, dataDir: config.dataDir }, 'system starting');
if (tokenCreated) {
  // Printed once, on the first start; afterwards it is read from the data directory.
  process.stdout.write(`\nAPI token (saved in ${path.join(config.dataDir, 'api-token')}): ${token}\n\n`);
}
process.stdout.write(
  `Console:     ${apiUrl}/ (sign in with the API token)\nAPI:         ${apiUrl}/api/health\nAPI docs:    ${apiUrl}/api/docs\nTemporal UI: ${temporalUiUrl}\nMetrics:     ${apiUrl}/metrics (API), http://localhost:${workerMetricsPort}/metrics (worker)\n`,
);
