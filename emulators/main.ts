import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDataDir, loadConfig } from '../shared/config.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { ensureLocalTls } from '../shared/tls.js';
import { advertisedUrl, certificateHostnames, emulatorNetworkOptionsFromEnv, shareWithOtherProcesses } from './container.js';
import { demoConnectionsPath, type DemoConnections } from '../shared/demo-connections.js';
import { prepareDemo } from './demo/setup.js';
import { demoGoogleOptions, demoMicrosoft365Seed, demoPeople, demoSourceAddress, demoTargetAddress } from './demo/tenant.js';
import { createGoogleEmulator, type GoogleEmulator } from './google/index.js';
import { serveHttps, type RunningEmulator } from './https.js';
import { createMicrosoft365Emulator, type Microsoft365Emulator } from './microsoft365/index.js';
import type { ResponseObserver } from './response-observer.js';

/**
 * `npm run emulators` (and the emulators `npm start` spawns): Microsoft 365
 * and Google Workspace over HTTPS with the local CA, holding the demo tenant
 * and saving it under DATA_DIR/emulators so the demo survives a restart.
 */
export interface StartEmulatorsOptions {
  /** Holds the local CA (tls/) and the emulators' state (emulators/). */
  dataDir: string;
  /** 0 picks a free port. */
  m365Port: number;
  googlePort: number;
  /** Address to listen on. Default 127.0.0.1; 0.0.0.0 in a container. */
  host?: string;
  /** Extra names for the certificate besides localhost, 127.0.0.1 and ::1 (EMULATOR_TLS_HOSTNAMES). */
  tlsHostnames?: readonly string[];
  /** Host name the URLs in demo-connections.json name (EMULATOR_PUBLIC_HOST); default localhost. */
  publicHost?: string;
  /** Receives copies of ca.pem and demo-connections.json for processes in other containers (EMULATOR_SHARE_DIR). */
  shareDir?: string;
  log?: Logger;
  /** Tests: observers that see every response (the test helpers' contract checks); none by default. */
  observeResponses?: { m365?: ResponseObserver; google?: ResponseObserver };
}

export interface RunningEmulators {
  m365: { emulator: Microsoft365Emulator; url: string };
  google: { emulator: GoogleEmulator; url: string };
  /** What DATA_DIR/emulators/demo-connections.json holds. */
  demo: DemoConnections;
  /** True on the start that set the demo up. */
  firstStart: boolean;
  /** Saves both emulators' state and stops serving. */
  close(): Promise<void>;
}

export function emulatorsDirOf(dataDir: string): string {
  return path.join(dataDir, 'emulators');
}

export async function startEmulators(options: StartEmulatorsOptions): Promise<RunningEmulators> {
  const log = options.log ?? createLogger('emulators');
  const tls = ensureLocalTls(options.dataDir, { hostnames: certificateHostnames(options.tlsHostnames ?? [], options.publicHost) });
  const emulatorsDir = emulatorsDirOf(options.dataDir);
  const hostname = options.host ?? '127.0.0.1';

  const m365 = createMicrosoft365Emulator({ persistDir: path.join(emulatorsDir, 'microsoft365'), seed: demoMicrosoft365Seed, observeResponse: options.observeResponses?.m365 });
  const google = createGoogleEmulator({ persistDir: path.join(emulatorsDir, 'google'), ...demoGoogleOptions, observeResponse: options.observeResponses?.google });
  const servers: RunningEmulator[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.close()));
    m365.close();
    await google.close();
  };

  try {
    const m365Server = await serveHttps(m365.app, { port: options.m365Port, hostname, tls });
    servers.push(m365Server);
    const googleServer = await serveHttps(google.app, { port: options.googlePort, hostname, tls });
    servers.push(googleServer);

    const served = {
      m365: { emulator: m365, url: advertisedUrl(m365Server.url, options.publicHost) },
      google: { emulator: google, url: advertisedUrl(googleServer.url, options.publicHost) },
    };
    const { connections, firstStart } = await prepareDemo(emulatorsDir, served);
    const shared = options.shareDir ? shareWithOtherProcesses(options.shareDir, tls.caCertPath, connections) : undefined;
    log.info(
      {
        microsoft365: served.m365.url,
        google: served.google.url,
        tenantId: m365.tenantId,
        users: m365.tenant.directory.userCount,
        googleDomain: google.primaryDomain,
        demoConnections: demoConnectionsPath(emulatorsDir),
        shared,
        firstStart,
      },
      'emulators listening',
    );
    if (firstStart) {
      for (const person of demoPeople) log.info({ role: person.role, source: demoSourceAddress(person), target: demoTargetAddress(person), messages: person.messages }, 'demo user');
    }
    return { ...served, demo: connections, firstStart, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function runFromCommandLine(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('emulators', config.logLevel);
  const running = await startEmulators({
    dataDir: ensureDataDir(config),
    m365Port: config.m365EmulatorPort,
    googlePort: config.googleEmulatorPort,
    ...emulatorNetworkOptionsFromEnv(process.env),
    log,
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: saving the emulators' state");
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'the emulators did not stop cleanly; their last saved state stays on disk');
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: a second signal (Ctrl-C, then SIGTERM from `npm start`) must not kill the process mid-save.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runFromCommandLine().catch((error: unknown) => {
    createLogger('emulators').fatal({ err: error }, 'the emulators could not start');
    process.exit(1);
  });
}
