import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDataDir, loadConfig } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { ensureLocalTls } from '../../shared/tls.js';
import { serveHttps } from '../https.js';
import { createMicrosoft365Emulator, type Microsoft365Emulator, type Microsoft365EmulatorOptions } from './index.js';

export interface Microsoft365ServerOptions extends Microsoft365EmulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** Holds the local CA (tls/) and, unless persistDir is given, the saved tenant (microsoft365/). */
  dataDir: string;
}

export interface RunningMicrosoft365Server {
  emulator: Microsoft365Emulator;
  url: string;
  close(): Promise<void>;
}

/** The seed used when a data directory has no saved tenant yet: enough to show a sync at work. */
export const demoSeed = { seed: 1, users: 5, messagesPerUser: 200, failingItemsPerUser: 4, contactsPerUser: 12, calendars: true };

/** The emulator served over HTTPS with the local CA, its tenant saved under the data directory. */
export async function startMicrosoft365Server(options: Microsoft365ServerOptions): Promise<RunningMicrosoft365Server> {
  const { port, dataDir, ...emulatorOptions } = options;
  const emulator = createMicrosoft365Emulator({ persistDir: path.join(dataDir, 'microsoft365'), seed: demoSeed, ...emulatorOptions });
  const server = await serveHttps(emulator.app, { port, tls: ensureLocalTls(dataDir) });
  return {
    emulator,
    url: server.url,
    close: async () => {
      emulator.close();
      await server.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = loadConfig();
  const log = createLogger('microsoft365-emulator', config.logLevel);
  const running = await startMicrosoft365Server({ port: config.m365EmulatorPort, dataDir: ensureDataDir(config) });
  // The tenant and client ids are not secret; the client secret is read from GET /_control/app.
  log.info({ url: running.url, tenantId: running.emulator.tenantId, clientId: running.emulator.clientId, users: running.emulator.tenant.directory.userCount }, 'Microsoft 365 emulator listening');
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
