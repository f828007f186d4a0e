import PostalMime from 'postal-mime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient, withPreferences, type GraphConnection } from '../../../connectors/microsoft365/graph-client.js';
import { classifyGraphError } from '../../../connectors/microsoft365/graph-errors.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';
import { failureOf } from './fixtures.js';

interface GraphFolder {
  id: string;
  displayName: string;
  parentFolderId: string;
  childFolderCount: number;
  totalItemCount: number;
  unreadItemCount: number;
}

interface GraphMessage {
  id: string;
  internetMessageId?: string;
  subject?: string;
  parentFolderId?: string;
  hasAttachments?: boolean;
  isRead?: boolean;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

const sizeExpand = "singleValueExtendedProperties($filter=id eq 'Integer 0x0E08')";
const messagesPerUser = 40;

async function control(running: RunningMicrosoft365Emulator, path: string, body?: unknown): Promise<Response> {
  return fetch(`${running.url}/_control${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** Every folder, walking /mailFolders then /childFolders recursively, following next links. */
async function walkFolders(connection: GraphConnection, user: string): Promise<(GraphFolder & { path: string })[]> {
  const found: (GraphFolder & { path: string })[] = [];
  const visit = async (url: string, parentPath: string): Promise<void> => {
    let next: string | undefined = url;
    while (next) {
      const page = (await connection.client.api(next).top(4).get()) as Page<GraphFolder>;
      for (const folder of page.value) {
        const path = parentPath ? `${parentPath}/${folder.displayName}` : folder.displayName;
        found.push({ ...folder, path });
        if (folder.childFolderCount > 0) await visit(`/users/${user}/mailFolders/${folder.id}/childFolders`, path);
      }
      next = page['@odata.nextLink'];
    }
  };
  await visit(`/users/${user}/mailFolders`, '');
  return found;
}

describe('Microsoft 365 emulator: mail folders, messages and MIME through the Graph SDK', () => {
  let running: RunningMicrosoft365Emulator;
  let connection: GraphConnection;
  let user: string;

  beforeAll(async () => {
    running = await startMicrosoft365Emulator({ seed: { seed: 31, users: 1, messagesPerUser } });
    connection = createGraphClient(running.graphSettings);
  });
  afterAll(async () => running?.close());
  beforeEach(async () => {
    await control(running, '/reset');
    user = running.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
  });

  it('lists the root folders page by page and nested folders through childFolders; counts add up', async () => {
    const folders = await walkFolders(connection, user);
    const paths = folders.map((folder) => folder.path);
    expect(paths).toEqual(expect.arrayContaining(['Inbox', 'Sent Items', 'Deleted Items', 'Archive', 'Inbox/Projects', 'Inbox/Projects/Apollo', 'Archive/2023', 'Newsletters']));
    expect(new Set(folders.map((folder) => folder.id)).size).toBe(folders.length);
    expect(folders.reduce((sum, folder) => sum + folder.totalItemCount, 0)).toBe(messagesPerUser);
    const apollo = folders.find((folder) => folder.path === 'Inbox/Projects/Apollo');
    const projects = folders.find((folder) => folder.path === 'Inbox/Projects');
    expect(apollo?.parentFolderId).toBe(projects?.id);
  });

  it('accepts well-known names in place of folder ids, and tells a missing folder (404) from a malformed id (400)', async () => {
    const byName = (await connection.client.api(`/users/${user}/mailFolders/Inbox`).get()) as GraphFolder;
    const byId = (await connection.client.api(`/users/${user}/mailFolders/${byName.id}`).get()) as GraphFolder;
    expect(byId).toEqual(byName);
    expect(byName.displayName).toBe('Inbox');
    expect((await failureOf(connection.client.api(`/users/${user}/mailFolders/not-an-id`).get())).code).toBe('ErrorInvalidIdMalformed');
    const missing = await failureOf(connection.client.api(`/users/${user}/mailFolders/scheduled`).get());
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('ErrorItemNotFound');
  });

  it('returns message metadata with the size through PidTagMessageSize; oversized items report their size', async () => {
    const [added] = ((await (await control(running, `/users/${user}/messages`, { count: 1, kind: 'oversized', folder: 'Inbox/Receipts' })).json()) as { ids: string[] }).ids;
    const message = (await connection.client
      .api(`/users/${user}/messages/${added}`)
      .select(['id', 'internetMessageId', 'receivedDateTime', 'isRead', 'flag', 'categories', 'parentFolderId', 'hasAttachments'])
      .expand(sizeExpand)
      .get()) as GraphMessage;
    expect(message).toMatchObject({ id: added, isRead: false, hasAttachments: true, internetMessageId: expect.stringMatching(/^<.+@.+>$/) });
    expect(message.singleValueExtendedProperties).toEqual([{ id: 'Integer 0xe08', value: String(160 * 1024 * 1024) }]);
    expect(message).not.toHaveProperty('subject');
    const receipts = (await connection.client.api(`/users/${user}/mailFolders/inbox/childFolders`).get()) as Page<GraphFolder>;
    expect(message.parentFolderId).toBe(receipts.value.find((folder) => folder.displayName === 'Receipts')?.id);
  });

  it('serves the MIME content as raw bytes, identical on every fetch, matching the metadata', async () => {
    const page = (await connection.client.api(`/users/${user}/mailFolders/sentitems/messages`).select('id,internetMessageId,subject').top(3).get()) as Page<GraphMessage>;
    for (const message of page.value) {
      const first = await connection.getMimeContent(user, message.id);
      const second = await connection.getMimeContent(user, message.id);
      expect(Buffer.isBuffer(first)).toBe(true);
      expect(first.equals(second)).toBe(true);
      const parsed = await PostalMime.parse(first);
      expect(parsed.messageId).toBe(message.internetMessageId);
      expect(parsed.subject).toBe(message.subject);
    }
    const underFolder = await failureOf(connection.client.api(`/users/${user}/mailFolders/inbox/messages/${page.value[0]?.id}/$value`).get());
    expect(underFolder.statusCode).toBe(405);
  });

  it('changes the ordinary id when a message moves (the old id answers 404); the immutable id stays', async () => {
    const [id] = ((await (await control(running, `/users/${user}/messages`, { count: 1 })).json()) as { ids: string[] }).ids as [string];
    const immutable = (await withPreferences(connection.client.api(`/users/${user}/messages/${id}`).select('id'), { immutableIds: true }).get()) as GraphMessage;
    expect(immutable.id).not.toBe(id);

    const moved = (await (await control(running, `/users/${user}/messages/${id}/update`, { folder: 'archive' })).json()) as { id: string; immutableId: string };
    expect(moved.id).not.toBe(id);
    expect(moved.immutableId).toBe(immutable.id);

    const stale = await failureOf(connection.client.api(`/users/${user}/messages/${id}`).get());
    expect(stale.statusCode).toBe(404);
    expect(stale.code).toBe('ErrorItemNotFound');
    expect(classifyGraphError(stale)).toMatchObject({ kind: 'notFound', code: 'ErrorItemNotFound' });
    await expect(connection.getMimeContent(user, id)).rejects.toMatchObject({ statusCode: 404, code: 'ErrorItemNotFound' });

    const current = (await connection.client.api(`/users/${user}/messages/${moved.id}`).select('id,parentFolderId').get()) as GraphMessage;
    const archive = (await connection.client.api(`/users/${user}/mailFolders/archive`).get()) as GraphFolder;
    expect(current.parentFolderId).toBe(archive.id);
    const viaImmutable = (await withPreferences(connection.client.api(`/users/${user}/messages/${immutable.id}`).select('id,parentFolderId'), { immutableIds: true }).get()) as GraphMessage;
    expect(viaImmutable).toMatchObject({ id: immutable.id, parentFolderId: archive.id });
    expect(await connection.getMimeContent(user, moved.id)).toEqual(await connection.getMimeContent(user, immutable.id));
  });

  it('builds the items a sync must refuse: S/MIME, IRM and TNEF messages', async () => {
    const added = (await (await control(running, `/users/${user}/messages`, { count: 2, kind: 'encrypted' })).json()) as { ids: string[] };
    const [unsupported] = ((await (await control(running, `/users/${user}/messages`, { count: 1, kind: 'unsupported' })).json()) as { ids: string[] }).ids;
    const parsedEncrypted = await Promise.all(added.ids.map(async (id) => PostalMime.parse(await connection.getMimeContent(user, id))));
    const encryptedNames = parsedEncrypted.flatMap((email) => email.attachments.map((attachment) => `${attachment.filename}|${attachment.mimeType}`)).sort();
    expect(encryptedNames).toEqual(['message.rpmsg|application/x-microsoft-rpmsg-message', 'smime.p7m|application/pkcs7-mime']);

    const tnef = await connection.getMimeContent(user, unsupported as string);
    expect(tnef.toString('latin1')).toMatch(/^Content-Type: application\/ms-tnef; name=winmail\.dat$/m);
    const parsedTnef = await PostalMime.parse(tnef);
    expect(parsedTnef.attachments.map((attachment) => attachment.filename)).toEqual(['winmail.dat']);
    expect(parsedTnef.text ?? '').toBe('');
  });

  it('answers an unknown mailbox owner with 404 and a malformed message id with 400', async () => {
    const noUser = await failureOf(connection.client.api('/users/ghost@contoso.example/mailFolders').get());
    expect(noUser.statusCode).toBe(404);
    expect(classifyGraphError(noUser).kind).toBe('notFound');
    const malformed = await failureOf(connection.client.api(`/users/${user}/messages/AAMk-nonsense`).get());
    expect(malformed.statusCode).toBe(400);
    expect(malformed.code).toBe('ErrorInvalidIdMalformed');
  });
});
