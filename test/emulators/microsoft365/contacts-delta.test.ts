import type { Contact } from '@microsoft/microsoft-graph-types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient, withPreferences, type GraphConnection, type GraphPreferences } from '../../../connectors/microsoft365/graph-client.js';
import { solidPng } from '../../../emulators/microsoft365/seed/contact-photo.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';
import { controlJson, failureOf } from './fixtures.js';

type DeltaItem = Contact & { '@removed'?: { reason: string } };

interface DeltaPage {
  value: DeltaItem[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

interface Round {
  items: DeltaItem[];
  pages: number;
  deltaLink: string;
}

/** Follows next links until a delta link, as a sync does. `start` is a path (first round) or a delta link. */
async function deltaRound(connection: GraphConnection, start: string, preferences: GraphPreferences = {}): Promise<Round> {
  const items: DeltaItem[] = [];
  let pages = 0;
  let url = start;
  for (;;) {
    const page = (await withPreferences(connection.client.api(url), preferences).get()) as DeltaPage;
    pages++;
    expect(page.value.length).toBeLessThanOrEqual(preferences.maxPageSize ?? 10);
    items.push(...page.value);
    if (page['@odata.deltaLink']) {
      expect(page['@odata.nextLink']).toBeUndefined();
      return { items, pages, deltaLink: page['@odata.deltaLink'] };
    }
    expect(page['@odata.nextLink']).toMatch(/^https:\/\/localhost:\d+\/v1\.0\/users\/.+\/contactFolders\/.+\/contacts\/delta\?\$skiptoken=/);
    url = page['@odata.nextLink'] as string;
  }
}

describe('Microsoft 365 emulator: per-folder contact delta', () => {
  let running: RunningMicrosoft365Emulator;
  let connection: GraphConnection;
  let upn: string;
  let clients: string;
  let family: string;
  let contacts: string[];
  let immutable: string[];

  beforeAll(async () => {
    running = await startMicrosoft365Emulator({ seed: { seed: 81, users: 1, messagesPerUser: 2 } });
    connection = createGraphClient(running.graphSettings);
  });
  afterAll(async () => running?.close());
  beforeEach(async () => {
    await controlJson(running, '/reset');
    upn = running.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
    clients = (await controlJson<{ id: string }>(running, `/users/${upn}/contact-folders`, { path: 'Clients' })).id;
    family = (await controlJson<{ id: string }>(running, `/users/${upn}/contact-folders`, { path: 'Family' })).id;
    const added = await controlJson<{ ids: string[]; immutableIds: string[] }>(running, `/users/${upn}/contacts`, { count: 5, folder: 'Clients' });
    contacts = added.ids;
    immutable = added.immutableIds;
  });

  const deltaPath = (folder: string, query = ''): string => `/users/${upn}/contactFolders/${folder}/contacts/delta${query}`;

  it('pages the first round by Prefer: odata.maxpagesize, returns the id with the $select-ed properties, and ends with a delta link', async () => {
    const round = await deltaRound(connection, deltaPath(clients, '?$select=displayName,emailAddresses'), { maxPageSize: 2 });
    expect(round.pages).toBe(3);
    expect(round.items.map((item) => item.id)).toEqual(contacts);
    for (const item of round.items) expect(Object.keys(item).sort()).toEqual(['displayName', 'emailAddresses', 'id']);
    // The $select travelled in the tokens: the next round's items have the same shape.
    await controlJson(running, `/users/${upn}/contacts/${encodeURIComponent(contacts[0]!)}/update`, { jobTitle: 'Buyer' });
    const next = await deltaRound(connection, round.deltaLink);
    expect(next.items).toHaveLength(1);
    expect(Object.keys(next.items[0]!).sort()).toEqual(['displayName', 'emailAddresses', 'id']);
  });

  it('replays an idle delta link as an empty page with a new delta link', async () => {
    const round = await deltaRound(connection, deltaPath(clients));
    const idle = (await connection.client.api(round.deltaLink).get()) as DeltaPage;
    expect(idle.value).toEqual([]);
    expect(idle['@odata.deltaLink']).toMatch(/\$deltatoken=/);
    expect(idle['@odata.nextLink']).toBeUndefined();
    // Another folder's changes do not show here.
    await controlJson(running, `/users/${upn}/contacts`, { givenName: 'Elsewhere', folder: 'Family' });
    expect(((await connection.client.api(idle['@odata.deltaLink'] as string).get()) as DeltaPage).value).toEqual([]);
  });

  it('reports new and changed contacts whole, deleted ones as @removed "deleted", moved ones removed here and new in the destination', async () => {
    const preferences: GraphPreferences = { immutableIds: true };
    const first = await deltaRound(connection, deltaPath(clients), preferences);
    const familyRound = await deltaRound(connection, deltaPath(family), preferences);
    const before = first.items.find((item) => item.id === immutable[1]) as Contact;

    const added = await controlJson<{ immutableId: string }>(running, `/users/${upn}/contacts`, {
      givenName: 'Newcomer',
      folder: 'Clients',
      emailAddresses: [{ name: 'N', address: 'n@example.com' }],
    });
    await controlJson(running, `/users/${upn}/contacts/${encodeURIComponent(immutable[1]!)}/update`, { jobTitle: 'Chief Buyer', mobilePhone: null });
    await controlJson(running, `/users/${upn}/contacts/${encodeURIComponent(immutable[2]!)}/delete`);
    const moved = await controlJson<{ id: string; immutableId: string }>(running, `/users/${upn}/contacts/${encodeURIComponent(immutable[3]!)}/move`, { folder: 'Family' });
    expect(moved.immutableId).toBe(immutable[3]);
    expect(moved.id).not.toBe(contacts[3]);

    const changes = await deltaRound(connection, first.deltaLink, preferences);
    expect(changes.items.map((item) => [item.id, item['@removed'] ?? item.givenName])).toEqual([
      [added.immutableId, 'Newcomer'],
      [immutable[1], before.givenName],
      [immutable[2], { reason: 'deleted' }],
      [immutable[3], { reason: 'deleted' }],
    ]);
    const changed = changes.items[1] as Contact;
    expect(changed).toMatchObject({ ...before, jobTitle: 'Chief Buyer', mobilePhone: null, changeKey: expect.any(String), lastModifiedDateTime: expect.any(String) });
    expect(changed.changeKey).not.toBe(before.changeKey);
    // A removed entry is only the id and the reason.
    expect(Object.keys(changes.items[2]!).sort()).toEqual(['@removed', 'id']);

    const arrivals = await deltaRound(connection, familyRound.deltaLink, preferences);
    expect(arrivals.items.map((item) => [item.id, item.parentFolderId])).toEqual([[immutable[3], family]]);
  });

  it('without ImmutableId a moved contact is removed under its old id and arrives under a new one; the old id answers 404', async () => {
    const first = await deltaRound(connection, deltaPath(clients));
    const familyRound = await deltaRound(connection, deltaPath(family));
    const moved = await controlJson<{ id: string }>(running, `/users/${upn}/contacts/${encodeURIComponent(contacts[0]!)}/move`, { folder: 'Family' });
    expect((await deltaRound(connection, first.deltaLink)).items).toEqual([{ id: contacts[0], '@removed': { reason: 'deleted' } }]);
    expect((await deltaRound(connection, familyRound.deltaLink)).items.map((item) => item.id)).toEqual([moved.id]);
    expect((await failureOf(connection.client.api(`/users/${upn}/contacts/${contacts[0]}`).get())).statusCode).toBe(404);
  });

  it('does not report a photo-only change (navigation properties are not tracked), nor change the changeKey', async () => {
    const first = await deltaRound(connection, deltaPath(clients));
    const before = first.items.find((item) => item.id === contacts[4]) as Contact;
    await controlJson(running, `/users/${upn}/contacts/${encodeURIComponent(contacts[4]!)}/photo`, { contentType: 'image/png', base64: solidPng(5, 5, [9, 9, 9]).bytes.toString('base64') });
    expect((await deltaRound(connection, first.deltaLink)).items).toEqual([]);
    const after = (await connection.client.api(`/users/${upn}/contacts/${contacts[4]}`).get()) as Contact;
    expect([after.changeKey, after.lastModifiedDateTime]).toEqual([before.changeKey, before.lastModifiedDateTime]);
    expect(await connection.client.api(`/users/${upn}/contacts/${contacts[4]}/photo`).get()).toMatchObject({ width: 5, height: 5 });
  });

  it('serves the default Contacts folder by its id', async () => {
    const root = await controlJson<{ id: string; parentFolderId: string }>(running, `/users/${upn}/contacts`, { givenName: 'At the root' });
    const round = await deltaRound(connection, deltaPath(root.parentFolderId));
    expect(round.items.map((item) => item.id)).toEqual([root.id]);
  });

  it('answers 410 SyncStateNotFound for an expired, tampered or foreign token', async () => {
    const first = await deltaRound(connection, deltaPath(clients), { maxPageSize: 2 });
    const nextLink = ((await withPreferences(connection.client.api(deltaPath(clients)), { maxPageSize: 2 }).get()) as DeltaPage)['@odata.nextLink'] as string;

    const tampered = await failureOf(connection.client.api(first.deltaLink.replace(/\$deltatoken=./, '$deltatoken=x')).get());
    expect([tampered.statusCode, tampered.code]).toEqual([410, 'SyncStateNotFound']);
    // A link of one folder does not serve another.
    const foreign = await failureOf(connection.client.api(first.deltaLink.replace(encodeURIComponent(clients), encodeURIComponent(family)).replace(clients, family)).get());
    expect([foreign.statusCode, foreign.code]).toEqual([410, 'SyncStateNotFound']);

    await controlJson(running, `/users/${upn}/expire-delta-tokens`);
    for (const link of [first.deltaLink, nextLink]) {
      const expired = await failureOf(connection.client.api(link).get());
      expect([expired.statusCode, expired.code]).toEqual([410, 'SyncStateNotFound']);
      expect(expired.message).toMatch(/^The sync state generation is not found/);
    }
    // Starting over without a token works.
    expect((await deltaRound(connection, deltaPath(clients))).items).toHaveLength(5);
  });
});
