import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorNetworkOptionsFromEnv } from '../../../emulators/container.js';
import type { DemoConnections } from '../../../shared/demo-connections.js';
import { emulatorsDirOf, startEmulators, type RunningEmulators } from '../../../emulators/main.js';
import { getByName } from '../../helpers/tls-by-name.js';

/**
 * The emulators as the Docker Compose demo profile runs them: reached by a
 * service name, handing the CA and the demo connections to other containers
 * through a shared directory. The names are mapped to 127.0.0.1 by the test's
 * own lookup, so no DNS is needed.
 */
describe('emulators/main with EMULATOR_PUBLIC_HOST, EMULATOR_TLS_HOSTNAMES and EMULATOR_SHARE_DIR', () => {
  let root: string;
  let shareDir: string;
  let running: RunningEmulators;

  beforeAll(async () => {
    // A data directory without the test run's CA: the emulators make their own, which nothing trusts yet.
    root = mkdtempSync(path.join(os.tmpdir(), 'emulator-share-'));
    shareDir = path.join(root, 'share');
    const network = emulatorNetworkOptionsFromEnv({ EMULATOR_PUBLIC_HOST: 'graph-emulator', EMULATOR_TLS_HOSTNAMES: 'graph-emulator,google-emulator', EMULATOR_SHARE_DIR: shareDir });
    running = await startEmulators({ dataDir: path.join(root, 'data'), m365Port: 0, googlePort: 0, ...network });
  });
  afterAll(async () => {
    await running?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const sharedConnections = (): DemoConnections => JSON.parse(readFileSync(path.join(shareDir, 'demo-connections.json'), 'utf8')) as DemoConnections;

  it('shares the CA certificate and the demo connections, and nothing else', () => {
    expect(readdirSync(shareDir).sort()).toEqual(['ca.pem', 'demo-connections.json']);
    expect(readFileSync(path.join(shareDir, 'ca.pem'), 'utf8')).toBe(readFileSync(path.join(root, 'data', 'tls', 'ca.pem'), 'utf8'));
    expect(statSync(path.join(shareDir, 'demo-connections.json')).mode & 0o777).toBe(0o600);
    const own = JSON.parse(readFileSync(path.join(emulatorsDirOf(path.join(root, 'data')), 'demo-connections.json'), 'utf8')) as DemoConnections;
    expect(sharedConnections()).toEqual(own);
    expect(sharedConnections()).toEqual(running.demo);
  });

  it('hands out URLs that name the public host', () => {
    const m365Port = new URL(running.m365.url).port;
    const googlePort = new URL(running.google.url).port;
    expect(sharedConnections().microsoft365).toMatchObject({ authorityHost: `https://graph-emulator:${m365Port}`, graphBaseUrl: `https://graph-emulator:${m365Port}` });
    expect(sharedConnections().googleWorkspace.apiBaseUrl).toBe(`https://graph-emulator:${googlePort}`);
  });

  it('answers a client that trusts only the shared CA at those URLs, and refuses names it was not given', async () => {
    const ca = readFileSync(path.join(shareDir, 'ca.pem'), 'utf8');
    const { tenantId, authorityHost } = sharedConnections().microsoft365;
    const authority = new URL(authorityHost);
    const metadata = await getByName({ name: authority.hostname, port: Number(authority.port), path: `/${tenantId}/v2.0/.well-known/openid-configuration`, ca, lookupNames: ['graph-emulator'] });
    expect(metadata.status).toBe(200);
    // The identity platform's metadata names the host it was asked by, so MSAL follows it to the same name.
    expect((JSON.parse(metadata.body) as { token_endpoint: string }).token_endpoint).toBe(`${authorityHost}/${tenantId}/oauth2/v2.0/token`);

    const google = new URL(sharedConnections().googleWorkspace.apiBaseUrl);
    await expect(getByName({ name: 'google-emulator', port: Number(google.port), path: '/', ca, lookupNames: ['google-emulator'] })).resolves.toMatchObject({ status: expect.any(Number) });
    await expect(getByName({ name: 'sync-worker', port: Number(google.port), ca, lookupNames: ['sync-worker'] })).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });
});
