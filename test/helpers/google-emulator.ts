import type { GoogleConnectionSettings } from '../../connectors/google/google-clients.js';
import { serveHttps } from '../../emulators/https.js';
import { createGoogleEmulator, type GoogleEmulator, type GoogleEmulatorOptions, type UserSeed } from '../../emulators/google/index.js';
import { ensureLocalTls } from '../../shared/tls.js';
import { googleContractObserver } from './contract/recorder.js';

export interface StartedGoogleEmulator {
  emulator: GoogleEmulator;
  /** https://localhost:PORT */
  url: string;
  /** Settings for createGoogleClients: the emulator's generated key, its admin, apiBaseUrl = url. */
  googleSettings: GoogleConnectionSettings;
  close(): Promise<void>;
}

/**
 * An in-process Google emulator over HTTPS on a free port, trusted through the
 * suite's local CA (NODE_EXTRA_CA_CERTS, set by scripts/test.ts). Its responses
 * are validated against Gmail's and the Directory API's discovery documents.
 */
export async function startGoogleEmulator(options: GoogleEmulatorOptions = {}): Promise<StartedGoogleEmulator> {
  const primaryDomain = (options.domains?.[0] ?? 'example.com').toLowerCase();
  const users: UserSeed[] = options.users ? [...options.users] : [];
  let admin = users.find((user) => user.isAdmin && !user.suspended);
  if (!admin) {
    admin = { primaryEmail: `admin@${primaryDomain}`, givenName: 'Workspace', familyName: 'Admin', isAdmin: true };
    users.unshift(admin);
  }

  // Every response is checked against Google's discovery documents (test/helpers/contract).
  // A new account is refused at the token endpoint for a while, as with Google; one second keeps the
  // behaviour in every test that provisions without making each wait the demo's 20 s.
  const emulator = createGoogleEmulator({ observeResponse: googleContractObserver(), newAccountTokenDelaySeconds: 1, ...options, users });
  const serviceAccountKey = emulator.serviceAccountKey();
  if (!serviceAccountKey) {
    throw new Error('startGoogleEmulator needs a service account whose key the emulator generated (omit publicKeyPem in the first one).');
  }
  const server = await serveHttps(emulator.app, { port: 0, tls: ensureLocalTls(process.env.DATA_DIR!) });
  return {
    emulator,
    url: server.url,
    googleSettings: { serviceAccountKey, adminSubject: admin.primaryEmail, apiBaseUrl: server.url },
    async close() {
      await server.close();
      await emulator.close();
    },
  };
}
