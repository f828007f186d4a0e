import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ResponseType } from '@microsoft/microsoft-graph-client';
import type { Contact, ContactFolder, ProfilePhoto } from '@microsoft/microsoft-graph-types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient, withPreferences, type GraphConnection } from '../../../connectors/microsoft365/graph-client.js';
import { solidPng } from '../../../emulators/microsoft365/seed/contact-photo.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';
import { controlJson, failureOf } from './fixtures.js';

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

/** Every data property of Graph's contact, set. */
const everyField = {
  givenName: 'Margarethe',
  surname: 'Østergaard',
  middleName: 'Ilse',
  nickName: 'Grete',
  title: 'Dr.',
  generation: 'Jr.',
  initials: 'M.I.Ø.',
  fileAs: 'Østergaard, Margarethe',
  displayName: 'Dr. Margarethe Østergaard',
  yomiGivenName: 'マルガレーテ',
  yomiSurname: 'エスターゴー',
  yomiCompanyName: 'ノースウィンド',
  emailAddresses: [
    { name: 'Grete (work)', address: 'grete@northwind.example' },
    { name: 'Grete (home)', address: 'grete@home.example' },
    { name: 'Grete', address: 'g.ostergaard@mail.example' },
  ],
  businessPhones: ['+45 33 12 34 56', '+45 33 12 34 57'],
  homePhones: ['+45 70 11 22 33', '+45 70 11 22 34'],
  mobilePhone: '+45 20 30 40 50',
  imAddresses: ['sip:grete@northwind.example'],
  homeAddress: { street: 'Nyhavn 17', city: 'København', state: 'Hovedstaden', countryOrRegion: 'Denmark', postalCode: '1051' },
  businessAddress: { street: 'Amagertorv 1', city: 'København', state: 'Hovedstaden', countryOrRegion: 'Denmark', postalCode: '1160' },
  otherAddress: { street: 'Strandvejen 100', city: 'Hellerup', state: 'Hovedstaden', countryOrRegion: 'Denmark', postalCode: '2900' },
  companyName: 'Northwind Traders',
  department: 'Procurement',
  jobTitle: 'Head of Buying',
  officeLocation: 'Building 4',
  profession: 'Economist',
  manager: 'Ole Madsen',
  assistantName: 'Karen Holm',
  businessHomePage: 'https://www.northwind.example/',
  birthday: '1604-03-14T00:00:00Z',
  spouseName: 'Jens Østergaard',
  children: ['Freja', 'Anton'],
  personalNotes: 'Prefers phone calls.\nAllergic to nuts.',
  categories: ['Clients', 'Important'],
};

describe('Microsoft 365 emulator: Outlook contacts and contact folders', () => {
  let running: RunningMicrosoft365Emulator;
  let connection: GraphConnection;
  let upn: string;

  beforeAll(async () => {
    running = await startMicrosoft365Emulator({ seed: { seed: 71, users: 2, messagesPerUser: 3, contactsPerUser: [10, 0] } });
    connection = createGraphClient(running.graphSettings);
  });
  afterAll(async () => running?.close());
  beforeEach(async () => {
    await controlJson(running, '/reset');
    upn = running.emulator.tenant.directory.listUsers()[1]?.userPrincipalName ?? '';
  });

  const api = (route: string) => connection.client.api(route);

  it('lists the folders below the default Contacts folder, not the default folder itself; childFolders walks the nesting', async () => {
    const empty = (await api(`/users/${upn}/contactFolders`).get()) as Page<ContactFolder>;
    expect(empty.value).toEqual([]);
    const nested = await controlJson<{ id: string; path: string }>(running, `/users/${upn}/contact-folders`, { path: 'Clients/Key accounts' });
    expect(nested.path).toBe('Clients/Key accounts');
    await controlJson(running, `/users/${upn}/contact-folders`, { path: 'Family' });

    const top = (await api(`/users/${upn}/contactFolders`).get()) as Page<ContactFolder>;
    expect(top.value.map((folder) => folder.displayName)).toEqual(['Clients', 'Family']);
    // Their parent is the default Contacts folder, which answers by that id.
    const defaultId = top.value[0]?.parentFolderId as string;
    expect(top.value.every((folder) => folder.parentFolderId === defaultId)).toBe(true);
    const contactsFolder = (await api(`/users/${upn}/contactFolders/${defaultId}`).get()) as ContactFolder;
    expect(contactsFolder).toMatchObject({ id: defaultId, displayName: 'Contacts' });
    expect(contactsFolder.parentFolderId).not.toBe(defaultId);

    const clients = top.value[0] as ContactFolder;
    const children = (await api(`/users/${upn}/contactFolders/${clients.id}/childFolders`).get()) as Page<ContactFolder>;
    expect(children.value).toEqual([{ id: nested.id, displayName: 'Key accounts', parentFolderId: clients.id }]);
    expect(((await api(`/users/${upn}/contactFolders/${nested.id}/childFolders`).get()) as Page<ContactFolder>).value).toEqual([]);

    // $select and $top with a next link, as for mail folders.
    const firstPage = (await api(`/users/${upn}/contactFolders`).select('displayName').top(1).get()) as Page<ContactFolder>;
    expect(firstPage.value).toEqual([{ id: clients.id, displayName: 'Clients' }]);
    const secondPage = (await api(firstPage['@odata.nextLink'] as string).get()) as Page<ContactFolder>;
    expect(secondPage.value.map((folder) => folder.displayName)).toEqual(['Family']);
    expect(secondPage['@odata.nextLink']).toBeUndefined();

    // A rename shows in the next read.
    await controlJson(running, `/users/${upn}/contact-folders/${encodeURIComponent(nested.id)}/rename`, { displayName: 'Strategic' });
    expect(((await api(`/users/${upn}/contactFolders/${nested.id}`).get()) as ContactFolder).displayName).toBe('Strategic');
  });

  it('answers unknown folders and contacts 404 ErrorItemNotFound, mangled ids and well-known names 400 ErrorInvalidIdMalformed', async () => {
    const folder = await controlJson<{ id: string }>(running, `/users/${upn}/contact-folders`, { path: 'Clients' });
    const added = await controlJson<{ id: string }>(running, `/users/${upn}/contacts`, { givenName: 'Ann', folder: 'Clients' });
    await controlJson(running, `/users/${upn}/contacts/${encodeURIComponent(added.id)}/delete`);
    for (const route of [`/users/${upn}/contacts/${added.id}`, `/users/${upn}/contactFolders/${folder.id}/contacts/${added.id}`]) {
      const missing = await failureOf(api(route).get());
      expect([missing.statusCode, missing.code]).toEqual([404, 'ErrorItemNotFound']);
    }
    const otherUser = running.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
    const foreignFolder = await failureOf(api(`/users/${otherUser}/contactFolders/${folder.id}`).get());
    expect([foreignFolder.statusCode, foreignFolder.code]).toEqual([404, 'ErrorItemNotFound']);
    for (const route of [`/users/${upn}/contactFolders/contacts`, `/users/${upn}/contacts/AAMkAGnotanid`]) {
      const malformed = await failureOf(api(route).get());
      expect([malformed.statusCode, malformed.code]).toEqual([400, 'ErrorInvalidIdMalformed']);
    }
  });

  it('returns every field of a contact added through the control API, by id and in its folder; /contacts is the default folder only', async () => {
    const added = await controlJson<{ id: string; immutableId: string; parentFolderId: string }>(running, `/users/${upn}/contacts`, { ...everyField, folder: 'Clients/Key accounts' });
    const atRoot = await controlJson<{ id: string; parentFolderId: string }>(running, `/users/${upn}/contacts`, { givenName: 'Root' });

    const contact = (await api(`/users/${upn}/contacts/${added.id}`).get()) as Contact;
    expect(contact).toMatchObject({ ...everyField, id: added.id, parentFolderId: added.parentFolderId });
    expect(contact.changeKey).toEqual(expect.any(String));
    expect(Date.parse(contact.createdDateTime as string)).not.toBeNaN();
    expect(contact.lastModifiedDateTime).toBe(contact.createdDateTime);
    expect((await api(`/users/${upn}/contactFolders/${added.parentFolderId}/contacts/${added.id}`).get()) as Contact).toEqual(contact);
    // Not in that folder: not found there.
    const elsewhere = await failureOf(api(`/users/${upn}/contactFolders/${atRoot.parentFolderId}/contacts/${added.id}`).get());
    expect(elsewhere.statusCode).toBe(404);

    const inDefault = (await api(`/users/${upn}/contacts`).get()) as Page<Contact>;
    expect(inDefault.value.map((item) => item.id)).toEqual([atRoot.id]);
    // Unset properties come back empty, as in Graph's JSON representation.
    expect(inDefault.value[0]).toMatchObject({ givenName: 'Root', surname: null, birthday: null, emailAddresses: [], businessPhones: [], homeAddress: {}, categories: [] });

    // The control listing names each contact's folder path.
    const listed = (await (await fetch(`${running.url}/_control/users/${upn}/contacts`)).json()) as { contacts: (Contact & { folder: string })[] };
    expect(listed.contacts.map((item) => [item.id, item.folder])).toEqual([
      [added.id, 'Clients/Key accounts'],
      [atRoot.id, ''],
    ]);
    expect(listed.contacts[0]).toMatchObject(everyField);

    // $select keeps the id and the chosen properties only.
    const selected = (await api(`/users/${upn}/contacts/${added.id}`).select('emailAddresses,birthday').get()) as Contact;
    expect(selected).toEqual({ '@odata.context': expect.any(String), id: added.id, emailAddresses: everyField.emailAddresses, birthday: everyField.birthday });
    // With ImmutableId the immutable id is returned and accepted.
    const immutable = (await withPreferences(api(`/users/${upn}/contacts/${added.immutableId}`), { immutableIds: true }).get()) as Contact;
    expect(immutable.id).toBe(added.immutableId);
  });

  it('pages contact listings by $top or Prefer: odata.maxpagesize with next links; seeded contacts spread over nested folders', async () => {
    await controlJson(running, `/users/${upn}/contacts`, { count: 7 });
    const ids: string[] = [];
    let next: string | undefined = `/users/${upn}/contacts?$top=3`;
    let pages = 0;
    while (next) {
      const page = (await api(next).get()) as Page<Contact>;
      expect(page.value.length).toBeLessThanOrEqual(3);
      ids.push(...page.value.map((item) => item.id as string));
      next = page['@odata.nextLink'];
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(7);
    const preferred = (await withPreferences(api(`/users/${upn}/contacts`), { maxPageSize: 5 }).get()) as Page<Contact>;
    expect(preferred.value).toHaveLength(5);
    expect(preferred['@odata.nextLink']).toMatch(/^https:\/\/localhost:\d+\/v1\.0\/users\//);

    // The seeded user: folders nested below the default one, photos, a year-less birthday, three addresses.
    const seeded = running.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
    const folders = (await api(`/users/${seeded}/contactFolders`).get()) as Page<ContactFolder>;
    expect(folders.value.map((folder) => folder.displayName).sort()).toEqual(['Clients', 'Family']);
    const clients = folders.value.find((folder) => folder.displayName === 'Clients') as ContactFolder;
    expect(((await api(`/users/${seeded}/contactFolders/${clients.id}/childFolders`).get()) as Page<ContactFolder>).value.map((folder) => folder.displayName)).toEqual(['Key accounts']);
    const all = (await (await fetch(`${running.url}/_control/users/${seeded}/contacts`)).json()) as { contacts: (Contact & { folder: string; photo: unknown })[] };
    expect(all.contacts).toHaveLength(10);
    expect(all.contacts.some((item) => item.photo !== null)).toBe(true);
    expect(all.contacts.some((item) => item.birthday?.startsWith('1604-'))).toBe(true);
    expect(all.contacts.some((item) => item.emailAddresses?.length === 3 && (item.businessPhones?.length ?? 0) + (item.homePhones?.length ?? 0) >= 4)).toBe(true);
    expect(new Set(all.contacts.map((item) => item.folder))).toEqual(new Set(['', 'Clients', 'Clients/Key accounts', 'Family']));
  });

  it('serves a contact photo: metadata, then the bytes with their Content-Type; 404 ErrorItemNotFound without one', async () => {
    const png = solidPng(12, 9, [200, 30, 60]);
    const added = await controlJson<{ id: string; parentFolderId: string }>(running, `/users/${upn}/contacts`, {
      givenName: 'Pic',
      photo: { contentType: 'image/png', base64: png.bytes.toString('base64') },
    });
    const metadata = (await api(`/users/${upn}/contacts/${added.id}/photo`).get()) as ProfilePhoto & { '@odata.mediaContentType': string };
    expect(metadata).toMatchObject({ id: '12X9', width: 12, height: 9, '@odata.mediaContentType': 'image/png' });
    const response = await connection.client.api(`/users/${upn}/contactFolders/${added.parentFolderId}/contacts/${added.id}/photo/$value`).responseType(ResponseType.RAW).get();
    const raw = response as Response;
    expect(raw.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await raw.arrayBuffer()).equals(png.bytes)).toBe(true);

    const plain = await controlJson<{ id: string }>(running, `/users/${upn}/contacts`, { givenName: 'NoPic' });
    for (const route of [`/users/${upn}/contacts/${plain.id}/photo`, `/users/${upn}/contacts/${plain.id}/photo/$value`]) {
      const missing = await failureOf(api(route).get());
      expect([missing.statusCode, missing.code, missing.message]).toEqual([404, 'ErrorItemNotFound', "The photo wasn't found."]);
    }
    // A photo set later is served; a JPEG's size is read from its header.
    // SOI, a JFIF APP0 segment, then a baseline start-of-frame: 32 high, 48 wide.
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xc0, 0x00, 0x0b, 8, 0x00, 0x20, 0x00, 0x30, 1, 1, 0x11, 0, 0xff, 0xd9]);
    await controlJson(running, `/users/${upn}/contacts/${encodeURIComponent(plain.id)}/photo`, { contentType: 'image/jpeg', base64: jpeg.toString('base64') });
    expect((await api(`/users/${upn}/contacts/${plain.id}/photo`).get()) as ProfilePhoto).toMatchObject({ width: 48, height: 32 });
  });

  it('refuses bad control requests with a code and a sentence: unknown user or contact, unknown property, empty update, undecodable photo', async () => {
    const post = async (route: string, body: unknown): Promise<[number, string]> => {
      const response = await fetch(`${running.url}/_control${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return [response.status, ((await response.json()) as { error: { code: string } }).error.code];
    };
    const added = await controlJson<{ id: string }>(running, `/users/${upn}/contacts`, { givenName: 'Ann' });
    expect(await post('/users/nobody@contoso.example/contacts', { givenName: 'X' })).toEqual([404, 'UserNotFound']);
    expect(await post(`/users/${upn}/contacts/AAMhAGnothing/update`, { givenName: 'X' })).toEqual([404, 'ContactNotFound']);
    expect(await post(`/users/${upn}/contacts`, { givenName: 'X', phones: [] })).toEqual([400, 'InvalidControlRequest']);
    expect(await post(`/users/${upn}/contacts/${encodeURIComponent(added.id)}/update`, {})).toEqual([400, 'InvalidControlRequest']);
    expect(await post(`/users/${upn}/contacts/${encodeURIComponent(added.id)}/photo`, { contentType: 'image/gif', base64: 'R0lGODlh' })).toEqual([400, 'InvalidControlRequest']);
    expect(await post(`/users/${upn}/contact-folders/AQMhAGnothing/rename`, { displayName: 'X' })).toEqual([404, 'ContactFolderNotFound']);
  });

  it('counts contacts routes against the mailbox request budget shared with mail', async () => {
    await controlJson(running, '/throttle', { quotaScale: 0.0003 });
    await api(`/users/${upn}/mailFolders/inbox`).get();
    await api(`/users/${upn}/contactFolders`).get();
    await api(`/users/${upn}/contacts`).get();
    const refused = await failureOf(api(`/users/${upn}/contacts`).get());
    expect([refused.statusCode, refused.code, refused.message]).toEqual([429, 'ApplicationThrottled', 'Application is over its MailboxRequests limit for this mailbox.']);
    const mail = await failureOf(api(`/users/${upn}/mailFolders/inbox`).get());
    expect(mail.statusCode).toBe(429);
    // Another mailbox keeps its own budget.
    const other = running.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
    expect(((await api(`/users/${other}/contactFolders`).get()) as Page<ContactFolder>).value.length).toBeGreaterThan(0);
  });
});

describe('Microsoft 365 emulator: contacts survive a restart', () => {
  let persistDir: string;
  beforeAll(() => {
    persistDir = mkdtempSync(path.join(process.env.DATA_DIR ?? os.tmpdir(), 'm365-contacts-persist-'));
  });
  afterAll(() => rmSync(persistDir, { recursive: true, force: true }));

  it('keeps folders, contacts, photos, changeKeys and delta links across a restart', async () => {
    const before = await startMicrosoft365Emulator({ seed: { seed: 73, users: 1, messagesPerUser: 1, contactsPerUser: 6 }, persistDir });
    const upn = before.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
    let saved: { contacts: Contact[]; deltaLink: string; folders: ContactFolder[]; photo: Buffer };
    try {
      const client = createGraphClient(before.graphSettings).client;
      const added = await controlJson<{ id: string; parentFolderId: string }>(before, `/users/${upn}/contacts`, {
        ...everyField,
        folder: 'Clients/Key accounts',
        photo: { contentType: 'image/png', base64: solidPng(4, 4, [1, 2, 3]).bytes.toString('base64') },
      });
      let next: string | undefined = `/users/${upn}/contactFolders/${added.parentFolderId}/contacts/delta`;
      let deltaLink = '';
      while (next) {
        const page = (await client.api(next).get()) as Page<Contact> & { '@odata.deltaLink'?: string };
        next = page['@odata.nextLink'];
        deltaLink = page['@odata.deltaLink'] ?? deltaLink;
      }
      const listed = (await (await fetch(`${before.url}/_control/users/${upn}/contacts`)).json()) as { contacts: Contact[] };
      const folders = ((await client.api(`/users/${upn}/contactFolders`).get()) as Page<ContactFolder>).value;
      const photo = Buffer.from(await ((await client.api(`/users/${upn}/contacts/${added.id}/photo/$value`).responseType(ResponseType.RAW).get()) as Response).arrayBuffer());
      saved = { contacts: listed.contacts, deltaLink, folders, photo };
      before.emulator.persist();
    } finally {
      await before.close();
    }

    const after = await startMicrosoft365Emulator({ persistDir });
    try {
      const client = createGraphClient(after.graphSettings).client;
      const listed = (await (await fetch(`${after.url}/_control/users/${upn}/contacts`)).json()) as { contacts: Contact[] };
      expect(listed.contacts).toEqual(saved.contacts);
      expect(((await client.api(`/users/${upn}/contactFolders`).get()) as Page<ContactFolder>).value).toEqual(saved.folders);
      const withPhoto = saved.contacts.find((item) => item.givenName === everyField.givenName) as Contact;
      const photo = Buffer.from(await ((await client.api(`/users/${upn}/contacts/${withPhoto.id}/photo/$value`).responseType(ResponseType.RAW).get()) as Response).arrayBuffer());
      expect(photo.equals(saved.photo)).toBe(true);
      // The delta link from before the restart still works (on the new port): no changes since.
      const port = new URL(after.url).port;
      const replay = (await client.api(saved.deltaLink.replace(/localhost:\d+/, `localhost:${port}`)).get()) as Page<Contact> & { '@odata.deltaLink'?: string };
      expect(replay.value).toEqual([]);
      expect(replay['@odata.deltaLink']).toEqual(expect.any(String));
    } finally {
      await after.close();
    }
  });
});
