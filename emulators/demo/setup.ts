import type { GoogleEmulator } from '../google/index.js';
import type { Microsoft365Emulator } from '../microsoft365/index.js';
import { readDemoConnections, writeDemoConnections, type DemoConnections } from '../../shared/demo-connections.js';
import { demoGoogleAdmin, demoGoogleDomain, demoPeopleWithRole, demoTargetAddress } from './tenant.js';

export interface ServedEmulators {
  m365: { emulator: Microsoft365Emulator; url: string };
  google: { emulator: GoogleEmulator; url: string };
}

export interface PreparedDemo {
  connections: DemoConnections;
  /** True on the start that set the demo up (no demo-connections.json was found). */
  firstStart: boolean;
}

/** Google's answer when a tenant has no licence left for a new account (users.insert). */
export const noLicenceLeft = { status: 412, reason: 'conditionNotMet', message: 'Not enough licenses to create the user.' } as const;

export class DemoSetupError extends Error {
  constructor(
    readonly code: 'DEMO_NO_M365_SECRET' | 'DEMO_NO_GOOGLE_KEY' | 'DEMO_FAULT_REFUSED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Arms the demo's account-creation failures through the Google emulator's own
 * control API, so they are saved with its state and listed by
 * GET /_control/provisioning-failures like any other.
 */
export async function armDemoProvisioningFailures(google: GoogleEmulator): Promise<string[]> {
  const addresses = demoPeopleWithRole('google-creation-fails').map(demoTargetAddress);
  for (const email of addresses) {
    const response = await google.app.request('/_control/provisioning-failures', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, ...noLicenceLeft }),
    });
    if (!response.ok) {
      throw new DemoSetupError('DEMO_FAULT_REFUSED', `The Google emulator refused the demo's provisioning failure for ${email} (HTTP ${response.status}: ${await response.text()}).`);
    }
  }
  return addresses;
}

/** The connection settings for the emulators as they are now. */
export function currentDemoConnections({ m365, google }: ServedEmulators): DemoConnections {
  const clientSecret = m365.emulator.clientSecret;
  if (clientSecret === null) {
    throw new DemoSetupError('DEMO_NO_M365_SECRET', 'The Microsoft 365 emulator has no working client secret (it was revoked); rotate one with POST /_control/credentials/rotate.');
  }
  const serviceAccountKey = google.emulator.serviceAccountKey();
  if (!serviceAccountKey) {
    throw new DemoSetupError('DEMO_NO_GOOGLE_KEY', 'The Google emulator holds no generated service-account key; rotate one with POST /_control/credentials/rotate.');
  }
  return {
    microsoft365: { tenantId: m365.emulator.tenantId, clientId: m365.emulator.clientId, clientSecret, authorityHost: m365.url, graphBaseUrl: m365.url },
    googleWorkspace: { serviceAccountKey, adminSubject: demoGoogleAdmin, domain: demoGoogleDomain, apiBaseUrl: google.url },
  };
}

function withUrls(connections: DemoConnections, { m365, google }: ServedEmulators): DemoConnections {
  return {
    microsoft365: { ...connections.microsoft365, authorityHost: m365.url, graphBaseUrl: m365.url },
    googleWorkspace: { ...connections.googleWorkspace, apiBaseUrl: google.url },
  };
}

/**
 * Sets the demo up once: the start that finds no demo-connections.json arms
 * the Google faults and writes the file. Later starts keep the credentials
 * written then (the sync created its connections from them; rotating is the
 * administrator's business) and only follow the emulators to new URLs.
 */
export async function prepareDemo(emulatorsDir: string, served: ServedEmulators): Promise<PreparedDemo> {
  const existing = readDemoConnections(emulatorsDir);
  if (existing) {
    const connections = withUrls(existing, served);
    if (JSON.stringify(connections) !== JSON.stringify(existing)) writeDemoConnections(emulatorsDir, connections);
    return { connections, firstStart: false };
  }
  await armDemoProvisioningFailures(served.google.emulator);
  // Saved now rather than on the writer's next tick, so the fault is on disk before the file that marks the demo as set up.
  await served.google.emulator.flush();
  const connections = currentDemoConnections(served);
  writeDemoConnections(emulatorsDir, connections);
  return { connections, firstStart: true };
}
