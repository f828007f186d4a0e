import { serveHttps } from '../../emulators/https.js';
import { createMicrosoft365Emulator, type Microsoft365Emulator, type Microsoft365EmulatorOptions } from '../../emulators/microsoft365/index.js';
import type { GraphConnectionSettings } from '../../connectors/microsoft365/graph-client.js';
import { ensureLocalTls } from '../../shared/tls.js';
import { graphContractObserver } from './contract/recorder.js';

export interface RunningMicrosoft365Emulator {
  emulator: Microsoft365Emulator;
  /** https://localhost:PORT */
  url: string;
  /** Ready for createGraphClient: authority and Graph both at the emulator, with the current secret. */
  graphSettings: GraphConnectionSettings;
  close(): Promise<void>;
}

/** An in-process emulator on a free port, served with the test run's local CA (see scripts/test.ts); its responses are validated against Graph's description. */
export async function startMicrosoft365Emulator(options: Microsoft365EmulatorOptions = {}): Promise<RunningMicrosoft365Emulator> {
  const dataDir = process.env.DATA_DIR;
  if (!dataDir) throw new Error('DATA_DIR is not set: run the tests with `npm test`, which creates it and trusts its CA.');
  // Every response is checked against Graph's description (test/helpers/contract).
  const emulator = createMicrosoft365Emulator({ observeResponse: graphContractObserver(), ...options });
  const server = await serveHttps(emulator.app, { port: 0, tls: ensureLocalTls(dataDir) });
  return {
    emulator,
    url: server.url,
    graphSettings: {
      tenantId: emulator.tenantId,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret ?? '',
      authorityHost: server.url,
      graphBaseUrl: server.url,
    },
    close: async () => {
      emulator.close();
      await server.close();
    },
  };
}
