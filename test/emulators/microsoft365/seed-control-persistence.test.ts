import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphClient, withPreferences, type GraphConnection } from '../../../connectors/microsoft365/graph-client.js';
import { createMicrosoft365Emulator } from '../../../emulators/microsoft365/index.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';

interface GraphMessage {
  id: string;
  internetMessageId?: string;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

const sizeExpand = "singleValueExtendedProperties($filter=id eq 'Integer 0x0E08')";

async function control(running: RunningMicrosoft365Emulator, path: string, body?: unknown): Promise<Response> {
  return fetch(`${running.url}/_control${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

async function allMessages(connection: GraphConnection, user: string): Promise<GraphMessage[]> {
  const page = (await connection.client.api(`/users/${user}/messages`).select('id,internetMessageId').expand(sizeExpand).top(1000).get()) as Page<GraphMessage>;
  return page.value;
}

const sizeOf = (message: GraphMessage): number => Number(message.singleValueExtendedProperties?.[0]?.value);

describe('Microsoft 365 emulator: deterministic seeding, control API and persistence', () => {
  const seed = { seed: 61, users: 2, messagesPerUser: [300, 20], failingItemsPerUser: 4 };
  let first: RunningMicrosoft365Emulator;
  let second: RunningMicrosoft365Emulator;
  let persistDir: string;

  beforeAll(async () => {
    first = await startMicrosoft365Emulator({ seed });
    second = await startMicrosoft365Emulator({ seed, oversizedBytes: 200 * 1024 * 1024 });
    persistDir = mkdtempSync(path.join(process.env.DATA_DIR ?? os.tmpdir(), 'm365-persist-'));
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    rmSync(persistDir, { recursive: true, force: true });
  });

  it('seeds the same tenant from the same seed: ids, messages and MIME bytes', async () => {
    const users = (running: RunningMicrosoft365Emulator) => running.emulator.tenant.directory.listUsers().map((user) => [user.id, user.userPrincipalName]);
    expect(users(second)).toEqual(users(first));
    const upn = first.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
    const a = createGraphClient(first.graphSettings);
    const b = createGraphClient(second.graphSettings);
    const fromFirst = await allMessages(a, upn);
    const fromSecond = await allMessages(b, upn);
    expect(fromFirst).toHaveLength(300);
    expect(fromSecond.map((message) => [message.id, message.internetMessageId])).toEqual(fromFirst.map((message) => [message.id, message.internetMessageId]));
    for (const message of fromFirst.slice(0, 5)) {
      expect((await a.getMimeContent(upn, message.id)).equals(await b.getMimeContent(upn, message.id))).toBe(true);
    }
    const other = createMicrosoft365Emulator({ seed: { ...seed, seed: 62 } });
    expect(other.tenant.directory.listUsers().map((user) => user.id)).not.toEqual(users(first).map(([id]) => id));
  });

  it('gives sizes a long tail and plants the failing items, the oversized size being configurable', async () => {
    const upn = first.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
    const sizes = (await allMessages(createGraphClient(first.graphSettings), upn)).map(sizeOf);
    const normal = sizes.filter((size) => size < 100 * 1024 * 1024).sort((x, y) => x - y);
    expect(normal[Math.floor(normal.length / 2)]).toBeLessThan(64 * 1024);
    expect(normal.filter((size) => size > 500 * 1024).length).toBeGreaterThan(3);
    expect(sizes.filter((size) => size === 160 * 1024 * 1024)).toHaveLength(1);
    const kinds = [...first.emulator.tenant.mailboxOf(first.emulator.tenant.directory.listUsers()[1]!).allMessages()].map((record) => record.kind).filter((kind) => kind !== 'normal');
    expect(kinds.sort()).toEqual(['irm', 'oversized', 'smime', 'tnef']);

    const secondSizes = (await allMessages(createGraphClient(second.graphSettings), upn)).map(sizeOf);
    expect(secondSizes.filter((size) => size === 200 * 1024 * 1024)).toHaveLength(1);
  });

  it('reports requests by route and status, and refuses bad control requests clearly', async () => {
    const connection = createGraphClient(first.graphSettings);
    const upn = first.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
    await control(first, '/reset');
    await connection.client.api(`/users/${upn}`).get();
    await connection.client
      .api('/users/nobody@contoso.example')
      .get()
      .catch(() => undefined);
    const stats = (await (await fetch(`${first.url}/_control/stats`)).json()) as { byRoute: Record<string, Record<string, number>>; quotaRefusals: { total: number } };
    expect(stats.byRoute['GET /v1.0/users/:userId']).toEqual({ '200': 1, '404': 1 });
    expect(stats.byRoute['POST /:tenant/oauth2/v2.0/token']?.['200']).toBeGreaterThanOrEqual(1);
    expect(stats.quotaRefusals.total).toBe(0);

    const badCount = await control(first, `/users/${upn}/messages`, { count: 0 });
    expect(badCount.status).toBe(400);
    expect(((await badCount.json()) as { error: { message: string } }).error.message).toMatch(/count/);
    const badKind = await control(first, `/users/${upn}/messages`, { count: 1, kind: 'weird' });
    expect(badKind.status).toBe(400);
    const badFolder = await control(first, `/users/${upn}/messages`, { count: 1, folder: 'Nowhere/Else' });
    expect(badFolder.status).toBe(400);
    expect(((await badFolder.json()) as { error: { code: string } }).error.code).toBe('FolderNotFound');
    expect((await control(first, '/users/ghost@contoso.example/disable')).status).toBe(404);
    expect((await control(first, `/users/${upn}/rename`, { userPrincipalName: 'not an address' })).status).toBe(400);
    expect((await control(first, `/users/${upn}/messages/AAMk-bogus/update`, { isRead: true })).status).toBe(404);
  });

  it('reset brings back the seeded tenant and the initial secret', async () => {
    const upn = first.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
    await control(first, `/users/${upn}/delete`);
    await control(first, '/credentials/rotate');
    expect(first.emulator.tenant.findUser(upn)).toBeUndefined();
    expect((await control(first, '/reset')).status).toBe(200);
    expect(first.emulator.tenant.findUser(upn)).toBeDefined();
    expect(first.emulator.clientSecret).toBe(first.graphSettings.clientSecret);
    await expect(createGraphClient(first.graphSettings).client.api(`/users/${upn}`).get()).resolves.toHaveProperty('userPrincipalName', upn);
  });

  it('persists the tenant to a directory and picks it up after a restart: secret, users, ids and delta tokens', async () => {
    const before = await startMicrosoft365Emulator({ seed: { seed: 63, users: 2, messagesPerUser: 15 }, persistDir });
    let deltaLink: string;
    let movedId: string;
    let upn: string;
    let rotated: string;
    try {
      upn = before.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
      rotated = ((await (await control(before, '/credentials/rotate')).json()) as { clientSecret: string }).clientSecret;
      const connection = createGraphClient({ ...before.graphSettings, clientSecret: rotated });
      const round = (await withPreferences(connection.client.api(`/users/${upn}/mailFolders/inbox/messages/delta`), { maxPageSize: 100 }).get()) as Page<GraphMessage>;
      deltaLink = round['@odata.deltaLink'] as string;
      const firstInInbox = round.value[0]?.id as string;
      movedId = ((await (await control(before, `/users/${upn}/messages/${firstInInbox}/update`, { folder: 'archive', isRead: true })).json()) as { id: string }).id;
      await control(before, `/users/${upn}/disable`);
      before.emulator.persist();
    } finally {
      await before.close();
    }

    const after = await startMicrosoft365Emulator({ persistDir });
    try {
      expect(after.emulator.clientSecret).toBe(rotated);
      const connection = createGraphClient(after.graphSettings);
      const user = (await connection.client.api(`/users/${upn}`).select('id,accountEnabled').get()) as { accountEnabled: boolean };
      expect(user.accountEnabled).toBe(false);
      await expect(connection.client.api(`/users/${upn}/messages/${movedId}`).select('id,isRead').get()).resolves.toMatchObject({ id: movedId, isRead: true });
      const port = new URL(after.url).port;
      const changes = (await connection.client.api(deltaLink.replace(/localhost:\d+/, `localhost:${port}`)).get()) as Page<GraphMessage & { '@removed'?: unknown }>;
      // Two changes (read, then moved out): two entries, as Graph may list a message changed twice; both say it left the inbox.
      expect(changes.value).toHaveLength(2);
      for (const entry of changes.value) expect(entry).toMatchObject({ id: changes.value[0]!.id, '@removed': { reason: 'deleted' } });
    } finally {
      await after.close();
    }
  });
});
