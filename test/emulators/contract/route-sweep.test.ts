import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleClients } from '../../../connectors/google/google-clients.js';
import { messageProperties } from '../../../emulators/microsoft365/serialize/message-json.js';
import { folderProperties } from '../../../emulators/microsoft365/serialize/folder-json.js';
import { groupProperties, userProperties } from '../../../emulators/microsoft365/serialize/directory-json.js';
import { contactFolderProperties, contactProperties } from '../../../emulators/microsoft365/serialize/contact-json.js';
import { checkedResponseCount } from '../../helpers/contract/recorder.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';

/**
 * Every route of both emulators, with the query options that change what
 * they answer. The tests assert little themselves: the helpers check each
 * response against the published description, and the shared setup fails
 * a test whose responses diverged (test/setup/contract-violations.ts).
 */

const sizeExpand = "singleValueExtendedProperties($filter=id eq 'Integer 0x0E08')";

describe('Microsoft 365 emulator: every Graph route answers as Graph describes it', () => {
  let running: RunningMicrosoft365Emulator;
  let headers: Record<string, string>;
  const graph = async (path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${running.url}/v1.0${path}`, { headers, ...init });
    const text = await response.text();
    return { status: response.status, body: /json/.test(response.headers.get('content-type') ?? '') ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const firstId = async (path: string): Promise<string> => ((await graph(path)).body.value as { id: string }[])[0]!.id;

  beforeAll(async () => {
    running = await startMicrosoft365Emulator({ seed: { seed: 12, users: 2, messagesPerUser: 6, contactsPerUser: 6 } });
    const token = await fetch(`${running.url}/${running.emulator.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: running.emulator.clientId,
        client_secret: running.emulator.clientSecret ?? '',
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    headers = { authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}` };
  });
  afterAll(async () => running?.close());

  it('users and groups, with every selectable property', async () => {
    const before = checkedResponseCount('Microsoft 365');
    const userId = await firstId('/users');
    expect((await graph(`/users?$select=${[...userProperties].join(',')}&$top=1`)).status).toBe(200);
    expect((await graph(`/users/${userId}`)).status).toBe(200);
    expect((await graph(`/users/${userId}?$select=${[...userProperties].join(',')}`)).status).toBe(200);
    const groupId = await firstId('/groups?$top=1');
    expect((await graph(`/groups?$select=${[...groupProperties].join(',')}`)).status).toBe(200);
    expect((await graph(`/groups/${groupId}`)).status).toBe(200);
    for (const relation of ['members', 'transitiveMembers']) expect((await graph(`/groups/${groupId}/${relation}?$top=1`)).status).toBe(200);
    expect((await graph('/users/nobody@contoso.example')).status).toBe(404);
    expect((await graph('/users?$top=0')).status).toBe(400);
    expect(checkedResponseCount('Microsoft 365') - before).toBe(11);
  });

  it('mail folders and messages, with every selectable property, the size expansion, MIME and delta', async () => {
    const userId = await firstId('/users');
    const folderId = await firstId(`/users/${userId}/mailFolders?$top=1`);
    expect((await graph(`/users/${userId}/mailFolders?$select=${[...folderProperties].join(',')}&includeHiddenFolders=true`)).status).toBe(200);
    expect((await graph(`/users/${userId}/mailFolders/inbox`)).status).toBe(200);
    expect((await graph(`/users/${userId}/mailFolders/${folderId}/childFolders`)).status).toBe(200);
    const list = await graph(`/users/${userId}/mailFolders/inbox/messages?$top=2&$expand=${encodeURIComponent(sizeExpand)}`);
    const messageId = (list.body.value as { id: string }[])[0]!.id;
    const everything = [...messageProperties].join(',');
    expect((await graph(`/users/${userId}/messages?$select=${everything}&$top=2`)).status).toBe(200);
    expect((await graph(`/users/${userId}/messages/${messageId}?$expand=${encodeURIComponent(sizeExpand)}`)).status).toBe(200);
    expect((await graph(`/users/${userId}/messages/${messageId}/$value`)).status).toBe(200);

    let next: string | undefined = `${running.url}/v1.0/users/${userId}/mailFolders/inbox/messages/delta?$select=subject,isRead,parentFolderId`;
    let deltaLink: string | undefined;
    while (next) {
      const page = (await (await fetch(next, { headers: { ...headers, prefer: 'odata.maxpagesize=2' } })).json()) as Record<string, string | undefined>;
      next = page['@odata.nextLink'];
      deltaLink = page['@odata.deltaLink'];
    }
    // A deleted message comes back as an @removed entry in the next round.
    await fetch(`${running.url}/_control/users/${userId}/messages/${encodeURIComponent(messageId)}/delete`, { method: 'POST' });
    const changes = (await (await fetch(deltaLink!, { headers })).json()) as { value: Record<string, unknown>[] };
    expect(changes.value.some((item) => '@removed' in item)).toBe(true);
    expect((await graph(`/users/${userId}/messages/${messageId}`)).status).toBe(404);
  });

  it('contact folders, contacts with every selectable property, photos and contact delta', async () => {
    const userId = await firstId('/users');
    const folders = await graph(`/users/${userId}/contactFolders?$select=${[...contactFolderProperties].join(',')}`);
    const folder = (folders.body.value as { id: string; parentFolderId: string }[])[0]!;
    expect((await graph(`/users/${userId}/contactFolders/${folder.parentFolderId}`)).status).toBe(200);
    expect((await graph(`/users/${userId}/contactFolders/${folder.id}/childFolders`)).status).toBe(200);
    const everything = [...contactProperties].join(',');
    expect((await graph(`/users/${userId}/contacts?$select=${everything}&$top=2`)).status).toBe(200);
    const listed = await graph(`/users/${userId}/contactFolders/${folder.parentFolderId}/contacts`);
    const contactId = (listed.body.value as { id: string }[])[0]!.id;
    expect((await graph(`/users/${userId}/contacts/${contactId}`)).status).toBe(200);
    expect((await graph(`/users/${userId}/contactFolders/${folder.parentFolderId}/contacts/${contactId}?$select=${everything}`)).status).toBe(200);
    // The seed gives every third contact a photo; the first one has one.
    for (const base of [`/users/${userId}/contacts/${contactId}`, `/users/${userId}/contactFolders/${folder.parentFolderId}/contacts/${contactId}`]) {
      expect((await graph(`${base}/photo`)).status).toBe(200);
      expect((await graph(`${base}/photo/$value`)).status).toBe(200);
    }

    let next: string | undefined = `${running.url}/v1.0/users/${userId}/contactFolders/${folder.parentFolderId}/contacts/delta?$select=displayName,emailAddresses`;
    let deltaLink: string | undefined;
    while (next) {
      const page = (await (await fetch(next, { headers: { ...headers, prefer: 'odata.maxpagesize=2' } })).json()) as Record<string, string | undefined>;
      next = page['@odata.nextLink'];
      deltaLink = page['@odata.deltaLink'];
    }
    await fetch(`${running.url}/_control/users/${userId}/contacts/${encodeURIComponent(contactId)}/delete`, { method: 'POST' });
    const changes = (await (await fetch(deltaLink!, { headers })).json()) as { value: Record<string, unknown>[] };
    expect(changes.value).toEqual([{ id: contactId, '@removed': { reason: 'deleted' } }]);
    expect((await graph(`/users/${userId}/contacts/${contactId}/photo`)).status).toBe(404);
  });

  it('calendars, events (master, occurrence), instances and calendarView delta of the default and another calendar', async () => {
    const userId = await firstId('/users');
    const control = (path: string, body: unknown): Promise<Response> =>
      fetch(`${running.url}/_control/users/${userId}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const series = (await (
      await control('/events', {
        subject: 'Weekly',
        isOnlineMeeting: true,
        attendees: [{ emailAddress: { name: 'Bo', address: 'bo@example.com' }, type: 'optional', status: { response: 'accepted' } }],
        location: { displayName: 'Room 1' },
        start: { dateTime: '2026-03-02T09:00:00', timeZone: 'W. Europe Standard Time' },
        end: { dateTime: '2026-03-02T10:00:00', timeZone: 'W. Europe Standard Time' },
        recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 3 } },
        exceptions: [
          {
            originalStart: '2026-03-09',
            subject: 'Weekly (moved)',
            start: { dateTime: '2026-03-10T09:00:00', timeZone: 'W. Europe Standard Time' },
            end: { dateTime: '2026-03-10T10:00:00', timeZone: 'W. Europe Standard Time' },
          },
        ],
        cancelledOccurrences: ['2026-03-16'],
      })
    ).json()) as { id: string };
    await control('/events', {
      subject: 'Elsewhere',
      calendar: 'Projects',
      isAllDay: true,
      start: { dateTime: '2026-03-05T00:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-03-06T00:00:00', timeZone: 'UTC' },
    });
    const calendars = (await graph(`/users/${userId}/calendars`)).body.value as { id: string; name: string }[];
    const projects = calendars.find((calendar) => calendar.name === 'Projects')!;
    expect((await graph(`/users/${userId}/calendars/${projects.id}`)).status).toBe(200);
    expect((await graph(`/users/${userId}/events/${series.id}?$select=cancelledOccurrences`)).status).toBe(200);
    const window = 'startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z';
    const instances = (await graph(`/users/${userId}/events/${series.id}/instances?${window}`)).body.value as { id: string }[];
    for (const instance of instances) expect((await graph(`/users/${userId}/events/${instance.id}`)).status).toBe(200);
    for (const path of [`/users/${userId}/calendarView/delta?${window}`, `/users/${userId}/calendars/${projects.id}/calendarView/delta?${window}`]) {
      const page = await fetch(`${running.url}/v1.0${path}`, { headers: { ...headers, prefer: 'odata.maxpagesize=1, outlook.timezone="Pacific Standard Time"' } });
      expect(page.status).toBe(200);
    }
    expect((await graph(`/users/${userId}/events/${series.id}x/instances?${window}`)).status).toBe(400);
  });

  it('$batch, with a failing part and a part that depends on it', async () => {
    const userId = await firstId('/users');
    const requests = [
      { id: '1', method: 'GET', url: `/users/${userId}/mailFolders/inbox` },
      { id: '2', method: 'GET', url: '/users/nobody@contoso.example' },
      { id: '3', method: 'GET', url: `/users/${userId}`, dependsOn: ['2'] },
    ];
    const batch = await graph('/$batch', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ requests }) });
    expect((batch.body.responses as { status: number }[]).map((part) => part.status).sort()).toEqual([200, 404, 424]);
  });
});

describe('Google emulator: every Gmail and Directory route answers as the discovery documents describe it', () => {
  let google: StartedGoogleEmulator;
  const raw = (): Promise<Buffer> =>
    new MailComposer({ from: 'Dana <dana@contoso.example>', to: 'ann@example.com', subject: 'Figures', text: 'See attached.', date: new Date('2024-01-02T09:30:00Z') }).compile().build();

  beforeAll(async () => {
    google = await startGoogleEmulator({
      keepRawMessages: true,
      users: [
        { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
        { primaryEmail: 'ann@example.com', givenName: 'Ann', familyName: 'Lee', aliases: ['ann.lee@example.com'] },
      ],
    });
  });
  afterAll(async () => google?.close());

  it('Directory users: list, get, insert', async () => {
    const { directory } = createGoogleClients(google.googleSettings);
    await directory.users.list({ customer: 'my_customer', maxResults: 1, orderBy: 'email' });
    await directory.users.get({ userKey: 'ann.lee@example.com' });
    await directory.users.insert({ requestBody: { primaryEmail: 'bob@example.com', name: { givenName: 'Bob', familyName: 'Marsh' }, password: 'a long enough password' } });
    await expect(directory.users.get({ userKey: 'nobody@example.com' })).rejects.toThrow();
  });

  it('Gmail: profile, labels, import, insert, list, get in every format, modify, trash, untrash', async () => {
    const gmail = createGoogleClients(google.googleSettings).gmailFor('ann@example.com');
    await gmail.users.getProfile({ userId: 'me' });
    await gmail.users.labels.list({ userId: 'me' });
    await gmail.users.labels.get({ userId: 'me', id: 'INBOX' });
    const label = (await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Projects', color: { backgroundColor: '#16a766', textColor: '#ffffff' } } })).data;
    await gmail.users.labels.get({ userId: 'me', id: label.id! });
    await gmail.users.labels.update({ userId: 'me', id: label.id!, requestBody: { name: 'Projects 2024' } });
    await gmail.users.labels.patch({ userId: 'me', id: label.id!, requestBody: { labelListVisibility: 'labelHide' } });
    const imported = (
      await gmail.users.messages.import({
        userId: 'me',
        internalDateSource: 'dateHeader',
        requestBody: { labelIds: ['INBOX', label.id!] },
        media: { mimeType: 'message/rfc822', body: (await raw()).toString('latin1') },
      })
    ).data;
    await gmail.users.messages.insert({ userId: 'me', requestBody: { raw: (await raw()).toString('base64url'), labelIds: ['INBOX'] } });
    await gmail.users.messages.list({ userId: 'me', q: 'in:inbox', maxResults: 1 });
    for (const format of ['minimal', 'metadata', 'full', 'raw']) await gmail.users.messages.get({ userId: 'me', id: imported.id!, format, metadataHeaders: ['Subject'] });
    await gmail.users.messages.modify({ userId: 'me', id: imported.id!, requestBody: { addLabelIds: ['STARRED'], removeLabelIds: ['UNREAD'] } });
    await gmail.users.messages.batchModify({ userId: 'me', requestBody: { ids: [imported.id!], addLabelIds: ['IMPORTANT'] } });
    await gmail.users.messages.trash({ userId: 'me', id: imported.id! });
    await gmail.users.messages.untrash({ userId: 'me', id: imported.id! });
    await gmail.users.labels.delete({ userId: 'me', id: label.id! });
    await expect(gmail.users.messages.get({ userId: 'me', id: 'ffffffffffffffff' })).rejects.toThrow();
  });
});
