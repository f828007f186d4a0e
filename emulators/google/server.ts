import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDataDir, loadConfig } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { ensureLocalTls } from '../../shared/tls.js';
import { serveHttps } from '../https.js';
import { createGoogleEmulator, type GoogleEmulator, type GoogleEmulatorOptions } from './index.js';

export interface GoogleServerOptions extends GoogleEmulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** Holds the local CA (tls/) and, unless persistDir is given, the saved state (google/). */
  dataDir: string;
}

export interface RunningGoogleServer {
  emulator: GoogleEmulator;
  url: string;
  close(): Promise<void>;
}

/** The emulator served over HTTPS with the local CA, its state saved under the data directory. */
export async function startGoogleServer(options: GoogleServerOptions): Promise<RunningGoogleServer> {
  const { port, dataDir, ...emulatorOptions } = options;
  const emulator = createGoogleEmulator({ persistDir: path.join(dataDir, 'google'), ...emulatorOptions });
  const server = await serveHttps(emulator.app, { port, tls: ensureLocalTls(dataDir) });
  return {
    emulator,
    url: server.url,
    close: async () => {
      await server.close();
      await emulator.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = loadConfig();
  const log = createLogger('google-emulator', config.logLevel);
  const running = await startGoogleServer({ port: config.googleEmulatorPort, dataDir: ensureDataDir(config) });
  const [account] = running.emulator.serviceAccounts();
  // The key itself is secret-shaped; it is read from GET /_control/credentials, never logged.
  log.info({ url: running.url, domains: running.emulator.domains, serviceAccount: account?.clientEmail, clientId: account?.clientId }, 'Google Workspace emulator listening');
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
