import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient, withPreferences, type GraphConnection, type GraphPreferences } from '../../../connectors/microsoft365/graph-client.js';
import { classifyGraphError } from '../../../connectors/microsoft365/graph-errors.js';
import { downloadMime } from '../../../activities/microsoft365/mail-export.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';
import { failureOf } from './fixtures.js';

interface DeltaItem {
  id: string;
  isRead?: boolean;
  flag?: { flagStatus: string };
  categories?: string[];
  parentFolderId?: string;
  subject?: string;
  '@removed'?: { reason: string };
  singleValueExtendedProperties?: { id: string; value: string }[];
}

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

const selected = ['id', 'isRead', 'flag', 'categories', 'parentFolderId'];

async function control(running: RunningMicrosoft365Emulator, path: string, body?: unknown): Promise<Response> {
  return fetch(`${running.url}/_control${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** Follows next links until a delta link, as the sync does. `start` is a path (first round) or a delta link. */
async function deltaRound(connection: GraphConnection, start: string, preferences: GraphPreferences, firstRequest?: (url: string) => string): Promise<Round> {
  const items: DeltaItem[] = [];
  let pages = 0;
  let url = firstRequest ? firstRequest(start) : start;
  for (;;) {
    const page = (await withPreferences(connection.client.api(url), preferences).get()) as DeltaPage;
    pages++;
    expect(page.value.length).toBeLessThanOrEqual(preferences.maxPageSize ?? 10);
    items.push(...page.value);
    if (page['@odata.deltaLink']) return { items, pages, deltaLink: page['@odata.deltaLink'] };
    expect(page['@odata.nextLink']).toMatch(/^https:\/\/localhost:\d+\/v1\.0\/users\/.+\/messages\/delta\?\$skiptoken=/);
    url = page['@odata.nextLink'] as string;
  }
}

const firstRound = (connection: GraphConnection, user: string, folder: string, preferences: GraphPreferences): Promise<Round> =>
  deltaRound(connection, `/users/${user}/mailFolders/${folder}/messages/delta?$select=${selected.join(',')}`, preferences);

describe('Microsoft 365 emulator: per-folder message delta', () => {
  let running: RunningMicrosoft365Emulator;
  let connection: GraphConnection;
  let user: string;

  beforeAll(async () => {
    running = await startMicrosoft365Emulator({ seed: { seed: 41, users: 1, messagesPerUser: 60 } });
    connection = createGraphClient(running.graphSettings);
  });
  afterAll(async () => running?.close());
  beforeEach(async () => {
    await control(running, '/reset');
    user = running.emulator.tenant.directory.listUsers()[0]?.id ?? '';
  });

  it('pages the first round by Prefer: odata.maxpagesize and ends with a delta link; $select travels in the tokens', async () => {
    const inbox = (await connection.client.api(`/users/${user}/mailFolders/inbox`).get()) as { id: string; totalItemCount: number };
    const round = await firstRound(connection, user, 'inbox', { maxPageSize: 4 });
    expect(round.items).toHaveLength(inbox.totalItemCount);
    expect(round.pages).toBe(Math.ceil(inbox.totalItemCount / 4) + (inbox.totalItemCount % 4 === 0 ? 1 : 0));
    expect(round.deltaLink).toMatch(/\/messages\/delta\?\$deltatoken=/);
    for (const item of round.items) {
      expect(
        Object.keys(item)
          .filter((key) => !key.startsWith('@odata'))
          .sort(),
      ).toEqual([...selected].sort());
      expect(item.parentFolderId).toBe(inbox.id);
    }

    const quiet = await deltaRound(connection, round.deltaLink, { maxPageSize: 4 });
    expect(quiet.items).toEqual([]);
    expect(quiet.pages).toBe(1);
  });

  it('echoes the page size it applied in Preference-Applied', async () => {
    const response = await fetch(`${running.url}/v1.0/users/${user}/mailFolders/inbox/messages/delta`, {
      headers: { authorization: `Bearer ${await connection.acquireToken()}`, prefer: 'odata.maxpagesize=3' },
    });
    expect(response.headers.get('preference-applied')).toBe('odata.maxpagesize=3');
    expect(((await response.json()) as DeltaPage).value).toHaveLength(3);
  });

  it('reports new mail, read/flag/category changes, deletes and moves as Graph does', async () => {
    const inboxRound = await firstRound(connection, user, 'inbox', { maxPageSize: 50 });
    const archiveRound = await firstRound(connection, user, 'archive', { maxPageSize: 50 });
    const [read, flagged, categorised, moved, deleted] = inboxRound.items.map((item) => item.id) as [string, string, string, string, string];

    const added = ((await (await control(running, `/users/${user}/messages`, { count: 3 })).json()) as { ids: string[] }).ids;
    await control(running, `/users/${user}/messages/${read}/update`, { isRead: true });
    await control(running, `/users/${user}/messages/${flagged}/update`, { flag: { flagStatus: 'flagged' } });
    await control(running, `/users/${user}/messages/${categorised}/update`, { categories: ['Red category'] });
    const movedTo = ((await (await control(running, `/users/${user}/messages/${moved}/update`, { folder: 'archive' })).json()) as { id: string }).id;
    await control(running, `/users/${user}/messages/${deleted}/delete`);

    const inboxChanges = await deltaRound(connection, inboxRound.deltaLink, { maxPageSize: 3 });
    const byId = new Map(inboxChanges.items.map((item) => [item.id, item]));
    for (const id of added) expect(byId.get(id)).toMatchObject({ isRead: false, flag: { flagStatus: 'notFlagged' } });
    expect(byId.get(read)).toMatchObject({ isRead: true });
    expect(byId.get(flagged)).toMatchObject({ flag: { flagStatus: 'flagged' } });
    expect(byId.get(categorised)).toMatchObject({ categories: ['Red category'] });
    expect(byId.get(moved)).toEqual({ '@odata.type': '#microsoft.graph.message', id: moved, '@removed': { reason: 'deleted' } });
    expect(byId.get(deleted)).toMatchObject({ id: deleted, '@removed': { reason: 'deleted' } });
    expect(inboxChanges.items).toHaveLength(8);
    expect(inboxChanges.pages).toBe(3);

    const archiveChanges = await deltaRound(connection, archiveRound.deltaLink, { maxPageSize: 3 });
    expect(archiveChanges.items).toHaveLength(1);
    expect(archiveChanges.items[0]).toMatchObject({ id: movedTo });
    expect(archiveChanges.items[0]?.['@removed']).toBeUndefined();
  });

  it('returns a message changed in place partial: its id, what changed and parentFolderId, whatever $select asked for', async () => {
    const preferences = { maxPageSize: 50, immutableIds: true };
    const full = `/users/${user}/mailFolders/inbox/messages/delta?$select=id,internetMessageId,subject,receivedDateTime,isRead,flag,categories,parentFolderId&$expand=singleValueExtendedProperties($filter=id eq 'Integer 0x0E08')`;
    const round = await deltaRound(connection, full, preferences);
    const inboxId = round.items[0]?.parentFolderId;
    const [read, flaggedAndCategorised] = round.items.map((item) => item.id) as [string, string];
    await control(running, `/users/${user}/messages/${read}/update`, { isRead: true });
    await control(running, `/users/${user}/messages/${flaggedAndCategorised}/update`, { flag: 'flagged' });
    await control(running, `/users/${user}/messages/${flaggedAndCategorised}/update`, { categories: ['Blue category'] });
    const added = ((await (await control(running, `/users/${user}/messages`, { count: 1 })).json()) as { immutableIds: string[] }).immutableIds[0]!;
    await control(running, `/users/${user}/messages/${added}/update`, { isRead: true });

    const changes = await deltaRound(connection, round.deltaLink, preferences);
    // One entry per change (see the replay test below), each carrying only what that change touched.
    const entriesOf = (id: string) => changes.items.filter((item) => item.id === id);
    const fields = (item: object | undefined) =>
      Object.keys(item ?? {})
        .filter((key) => !key.startsWith('@odata'))
        .sort();
    expect(entriesOf(read).map(fields)).toEqual([['id', 'isRead', 'parentFolderId']]);
    expect(entriesOf(read)[0]).toMatchObject({ isRead: true, parentFolderId: inboxId });
    expect(entriesOf(flaggedAndCategorised).map(fields)).toEqual([
      ['flag', 'id', 'parentFolderId'],
      ['categories', 'id', 'parentFolderId'],
    ]);
    expect(entriesOf(flaggedAndCategorised)[0]).toMatchObject({ flag: { flagStatus: 'flagged' } });
    expect(entriesOf(flaggedAndCategorised)[1]).toMatchObject({ categories: ['Blue category'] });
    // Created within the round: its arrival is whole; the change after it is partial.
    expect(fields(entriesOf(added)[0])).toEqual(['id', 'internetMessageId', 'isRead', 'flag', 'categories', 'parentFolderId', 'receivedDateTime', 'singleValueExtendedProperties', 'subject'].sort());
    expect(entriesOf(added).slice(1).map(fields)).toEqual([['id', 'isRead', 'parentFolderId']]);
  });

  it('with Prefer: IdType="ImmutableId", a moved message keeps its id: removed from one folder, new in the other', async () => {
    const preferences = { maxPageSize: 50, immutableIds: true };
    const inboxRound = await firstRound(connection, user, 'inbox', preferences);
    const junkRound = await firstRound(connection, user, 'junkemail', preferences);
    const target = inboxRound.items[0]?.id as string;
    await control(running, `/users/${user}/messages/${target}/update`, { folder: 'junkemail' });

    const inboxChanges = await deltaRound(connection, inboxRound.deltaLink, preferences);
    expect(inboxChanges.items).toEqual([{ '@odata.type': '#microsoft.graph.message', id: target, '@removed': { reason: 'deleted' } }]);
    const junkChanges = await deltaRound(connection, junkRound.deltaLink, preferences);
    expect(junkChanges.items.map((item) => item.id)).toEqual([target]);
  });

  it('reports a message changed twice since the last round twice, each time in its current state', async () => {
    // Graph: "It's possible that a single entity will be contained multiple times in the response, if that entity was changed multiple times".
    const preferences = { maxPageSize: 50, immutableIds: true };
    const round = await firstRound(connection, user, 'inbox', preferences);
    const existing = round.items[0]!.id;
    await control(running, `/users/${user}/messages/${existing}/update`, { isRead: true });
    await control(running, `/users/${user}/messages/${existing}/update`, { flag: { flagStatus: 'flagged' } });
    const added = ((await (await control(running, `/users/${user}/messages`, { count: 1 })).json()) as { immutableIds: string[] }).immutableIds[0]!;
    await control(running, `/users/${user}/messages/${added}/update`, { isRead: true });

    const changes = await deltaRound(connection, round.deltaLink, preferences);
    expect(changes.pages).toBe(1);
    expect(changes.items.map((item) => item.id)).toEqual([existing, existing, added, added]);
    // Each in-place change is reported partial, in the message's current state.
    const [readEntry, flagEntry] = changes.items.filter((i) => i.id === existing);
    expect(readEntry).toMatchObject({ isRead: true });
    expect(flagEntry).toMatchObject({ flag: { flagStatus: 'flagged' } });
    for (const item of changes.items.filter((i) => i.id === added)) expect(item).toMatchObject({ isRead: true });

    // Spread over pages the same way: one entry per change, in the order of the changes.
    const next = await deltaRound(connection, changes.deltaLink, { maxPageSize: 2, immutableIds: true });
    expect(next.items).toEqual([]);
    for (const isRead of [false, true, false]) await control(running, `/users/${user}/messages/${added}/update`, { isRead });
    const paged = await deltaRound(connection, next.deltaLink, { maxPageSize: 2, immutableIds: true });
    expect(paged.items.map((item) => [item.id, item.isRead])).toEqual([
      [added, false],
      [added, false],
      [added, false],
    ]);
    expect(paged.pages).toBe(2);
  });

  it('lists a message again on a later page of the first round when it changed after it was listed', async () => {
    // Graph: "Assume that the same item can show up anywhere in the @odata.nextLink sequence and handle that in your merge logic."
    const inbox = (await connection.client.api(`/users/${user}/mailFolders/inbox`).get()) as { totalItemCount: number };
    const preferences = { maxPageSize: 3, immutableIds: true };
    const first = (await withPreferences(connection.client.api(`/users/${user}/mailFolders/inbox/messages/delta?$select=${selected.join(',')}`), preferences).get()) as DeltaPage;
    const listed = first.value[1]!;
    await control(running, `/users/${user}/messages/${listed.id}/update`, { isRead: !listed.isRead });
    const second = (await withPreferences(connection.client.api(first['@odata.nextLink']!), preferences).get()) as DeltaPage;
    expect(second.value[0]).toMatchObject({ id: listed.id, isRead: !listed.isRead });
    expect(second.value).toHaveLength(3);

    const rest = await deltaRound(connection, second['@odata.nextLink']!, preferences);
    const all = [...first.value, ...second.value, ...rest.items];
    expect(all).toHaveLength(inbox.totalItemCount + 1);
    expect(all.filter((item) => item.id === listed.id)).toHaveLength(2);
    expect(new Set(all.map((item) => item.id)).size).toBe(inbox.totalItemCount);
    // The next round starts where the first began, so the change is in it too.
    const next = await deltaRound(connection, rest.deltaLink, preferences);
    expect(next.items.map((item) => item.id)).toEqual([listed.id]);
  });

  it('a copy keeps the Message-ID; a message moved to the archive mailbox leaves like a deleted one; a message may lack a Message-ID', async () => {
    const preferences = { maxPageSize: 50, immutableIds: true };
    const inboxRound = await firstRound(connection, user, 'inbox', preferences);
    const [original, archived] = inboxRound.items as [DeltaItem, DeltaItem];
    const copy = (await (await control(running, `/users/${user}/messages/${original.id}/copy`, { folder: 'sentitems' })).json()) as { immutableId: string };
    const plain = ((await (await control(running, `/users/${user}/messages`, { count: 1, withoutMessageId: true })).json()) as { immutableIds: string[] }).immutableIds[0]!;
    expect((await control(running, `/users/${user}/messages/${archived.id}/move-to-archive-mailbox`)).status).toBe(200);

    const read = async (id: string) =>
      (await connection.client.api(`/users/${user}/messages/${id}?$select=internetMessageId`).header('Prefer', 'IdType="ImmutableId"').get()) as { internetMessageId: string | null };
    expect(copy.immutableId).not.toBe(original.id);
    expect((await read(copy.immutableId)).internetMessageId).toBe((await read(original.id)).internetMessageId);
    expect((await read(original.id)).internetMessageId).toMatch(/^<.+@.+>$/);
    expect((await read(plain)).internetMessageId).toBeNull();
    const headerSection = (id: string) => downloadMime(connection, user, id).then((mime) => mime.toString('latin1').split('\r\n\r\n')[0]!);
    expect(await headerSection(plain)).not.toMatch(/^message-id:/im);
    expect(await headerSection(copy.immutableId)).toMatch(/^message-id:/im);

    const inboxChanges = await deltaRound(connection, inboxRound.deltaLink, preferences);
    expect(inboxChanges.items).toContainEqual({ '@odata.type': '#microsoft.graph.message', id: archived.id, '@removed': { reason: 'deleted' } });
    expect((await failureOf(connection.client.api(`/users/${user}/messages/${archived.id}`).header('Prefer', 'IdType="ImmutableId"').get())).statusCode).toBe(404);
  });

  it('answers a delta link of a mailbox whose tokens expired with 410 SyncStateNotFound; a new round without token works', async () => {
    const round = await firstRound(connection, user, 'inbox', { maxPageSize: 5 });
    const midRound = (await withPreferences(connection.client.api(`/users/${user}/mailFolders/sentitems/messages/delta`), { maxPageSize: 2 }).get()) as DeltaPage;
    expect((await control(running, `/users/${user}/expire-delta-tokens`)).status).toBe(200);

    for (const staleLink of [round.deltaLink, midRound['@odata.nextLink'] as string]) {
      const error = await failureOf(connection.client.api(staleLink).get());
      expect(error.statusCode).toBe(410);
      expect(error.code).toBe('SyncStateNotFound');
      expect(error.message).toMatch(/^The sync state generation is not found; generation=1;\[highest=2\]/);
      expect(classifyGraphError(error)).toMatchObject({ kind: 'syncStateNotFound', status: 410, code: 'SyncStateNotFound' });
    }
    const restart = await firstRound(connection, user, 'inbox', { maxPageSize: 50 });
    expect(restart.items).toHaveLength(round.items.length);
  });

  it('answers a garbage or foreign token with 410, and a token older than the retained change log too', async () => {
    const garbage = await failureOf(connection.client.api(`/users/${user}/mailFolders/inbox/messages/delta?$deltatoken=bm90LWEtdG9rZW4`).get());
    expect(garbage.statusCode).toBe(410);
    expect(garbage.code).toBe('SyncStateNotFound');
    const archiveRound = await firstRound(connection, user, 'archive', { maxPageSize: 50 });
    const foreign = await failureOf(connection.client.api(archiveRound.deltaLink.replace('/mailFolders/archive/', '/mailFolders/inbox/')).get());
    expect(foreign.code).toBe('SyncStateNotFound');

    const small = await startMicrosoft365Emulator({ seed: { seed: 41, users: 1, messagesPerUser: 10 }, deltaChangeLogRetention: 4 });
    try {
      const smallConnection = createGraphClient(small.graphSettings);
      const smallUser = small.emulator.tenant.directory.listUsers()[0]?.id ?? '';
      const round = await firstRound(smallConnection, smallUser, 'inbox', { maxPageSize: 50 });
      await control(small, `/users/${smallUser}/messages`, { count: 6 });
      const expired = await failureOf(smallConnection.client.api(round.deltaLink).get());
      expect(expired.statusCode).toBe(410);
      expect(expired.code).toBe('SyncStateNotFound');
    } finally {
      await small.close();
    }
  });

  it('carries $expand of the size property into later pages', async () => {
    const round = await deltaRound(connection, `/users/${user}/mailFolders/sentitems/messages/delta?$select=id&$expand=singleValueExtendedProperties($filter=id eq 'Long 0x0E08')`, { maxPageSize: 2 });
    expect(round.pages).toBeGreaterThan(1);
    for (const item of round.items) expect(item.singleValueExtendedProperties).toEqual([{ id: 'Long 0xe08', value: expect.stringMatching(/^\d+$/) }]);
  });
});
