import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleClients } from '../../../connectors/google/google-clients.js';
import { classifyGoogleError } from '../../../connectors/google/google-errors.js';
import { createGraphClient } from '../../../connectors/microsoft365/graph-client.js';
import type { SourceUser } from '../../../activities/microsoft365/mail-export.js';
import { targetEmailFor } from '../../../activities/provisioning/username.js';
import type { DemoConnections } from '../../../shared/demo-connections.js';
import { emulatorsDirOf, startEmulators, type RunningEmulators } from '../../../emulators/main.js';
import { contractObservers } from '../../helpers/contract/recorder.js';
import { controlUsers, freshDataDir, postJson } from './fixtures.js';

async function sourceUsers(demo: DemoConnections): Promise<SourceUser[]> {
  const graph = createGraphClient(demo.microsoft365);
  const page = (await graph.client.api('/users').select('id,userPrincipalName,mail,displayName,givenName,surname,accountEnabled').top(999).get()) as { value: SourceUser[] };
  return page.value;
}

function readConnectionsFile(dataDir: string): DemoConnections {
  return JSON.parse(readFileSync(path.join(emulatorsDirOf(dataDir), 'demo-connections.json'), 'utf8')) as DemoConnections;
}

describe('emulators/main: both emulators with the demo tenant', () => {
  let dataDir: string;
  let running: RunningEmulators;

  beforeAll(async () => {
    dataDir = freshDataDir();
    running = await startEmulators({ dataDir, m365Port: 0, googlePort: 0, observeResponses: contractObservers() });
  });
  afterAll(async () => {
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves both emulators over HTTPS and writes working demo connection settings, readable by its owner only', async () => {
    expect(running.firstStart).toBe(true);
    const file = path.join(emulatorsDirOf(dataDir), 'demo-connections.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const demo = readConnectionsFile(dataDir);
    expect(demo).toEqual(running.demo);
    expect(demo.microsoft365).toMatchObject({ authorityHost: running.m365.url, graphBaseUrl: running.m365.url });
    expect(demo.googleWorkspace).toMatchObject({ adminSubject: 'admin@example.com', domain: 'example.com', apiBaseUrl: running.google.url });

    expect(await createGraphClient(demo.microsoft365).acquireToken()).toMatch(/\S{20,}/);
    expect(await createGoogleClients(demo.googleWorkspace).testAccess()).toMatchObject({ adminSubject: 'admin@example.com' });
  });

  it('holds small mailboxes, one large mailbox, failing items and groups to select by', async () => {
    const users = await controlUsers(running.m365.url);
    const counts = users.map((user) => user.messages).sort((a, b) => a - b);
    expect(counts).toHaveLength(10);
    expect(counts.at(-1)).toBeGreaterThanOrEqual(10_000);
    for (const count of counts.slice(0, -1)) {
      expect(count).toBeGreaterThanOrEqual(50);
      expect(count).toBeLessThanOrEqual(300);
    }

    const kinds = running.m365.emulator.tenant.allMailboxes().flatMap((mailbox) => [...mailbox.allMessages()].map((message) => message.kind));
    const failing = kinds.filter((kind) => kind !== 'normal');
    expect(new Set(failing)).toEqual(new Set(['oversized', 'smime', 'irm', 'tnef']));
    expect(failing.length).toBeLessThan(10);

    const groups = (await createGraphClient(running.demo.microsoft365).client.api('/groups').select('displayName').get()) as { value: { displayName: string }[] };
    expect(groups.value.map((group) => group.displayName)).toEqual(expect.arrayContaining(['All Staff', 'Migration Pilot']));
  });

  it('refuses to create one demo user in Google for want of a licence, at the address the sync maps them to', async () => {
    const demo = running.demo;
    const google = createGoogleClients(demo.googleWorkspace);
    const refused: string[] = [];
    for (const user of await sourceUsers(demo)) {
      const primaryEmail = targetEmailFor(user, 'same-local-part', demo.googleWorkspace.domain);
      try {
        await google.directory.users.insert({
          requestBody: { primaryEmail, name: { givenName: user.givenName ?? 'Demo', familyName: user.surname ?? 'User' }, password: 'correct-horse-battery' },
        });
      } catch (error) {
        expect(classifyGoogleError(error)).toMatchObject({ status: 412, reason: 'conditionNotMet', message: 'Not enough licenses to create the user.' });
        refused.push(primaryEmail);
      }
    }
    expect(refused).toEqual(['tomasz.nowak@example.com']);
  });
});

describe('emulators/main: a restart', () => {
  let dataDir: string;
  let restarted: RunningEmulators | undefined;

  beforeAll(() => {
    dataDir = freshDataDir();
  });
  afterAll(async () => {
    await restarted?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps both tenants, the demo credentials and the armed failure, and follows the emulators to their new ports', async () => {
    const first = await startEmulators({ dataDir, m365Port: 0, googlePort: 0, observeResponses: contractObservers() });
    const upn = (await controlUsers(first.m365.url))[0]?.userPrincipalName ?? '';
    const before = (await controlUsers(first.m365.url))[0]?.messages ?? 0;
    expect((await postJson(`${first.m365.url}/_control/users/${upn}/messages`, { count: 3 })).status).toBe(200);
    expect((await postJson(`${first.google.url}/_control/users`, { primaryEmail: 'kept@example.com', givenName: 'Kept', familyName: 'User' })).status).toBe(201);
    const firstDemo = first.demo;
    await first.close();

    restarted = await startEmulators({ dataDir, m365Port: 0, googlePort: 0, observeResponses: contractObservers() });
    expect(restarted.firstStart).toBe(false);
    expect(restarted.demo).toEqual({
      microsoft365: { ...firstDemo.microsoft365, authorityHost: restarted.m365.url, graphBaseUrl: restarted.m365.url },
      googleWorkspace: { ...firstDemo.googleWorkspace, apiBaseUrl: restarted.google.url },
    });
    expect(readConnectionsFile(dataDir)).toEqual(restarted.demo);

    const users = await controlUsers(restarted.m365.url);
    expect(users).toHaveLength(10);
    expect(users.find((user) => user.userPrincipalName === upn)?.messages).toBe(before + 3);
    expect(restarted.google.emulator.getUser('kept@example.com')).toBeDefined();
    const failures = (await (await fetch(`${restarted.google.url}/_control/provisioning-failures`)).json()) as { failures: { email: string }[] };
    expect(failures.failures.map((failure) => failure.email)).toEqual(['tomasz.nowak@example.com']);

    expect(await createGraphClient(restarted.demo.microsoft365).acquireToken()).toMatch(/\S{20,}/);
    expect(await createGoogleClients(restarted.demo.googleWorkspace).testAccess()).toMatchObject({ adminSubject: 'admin@example.com' });
  });
});
