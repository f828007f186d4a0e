import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleClients } from '../../../connectors/google/google-clients.js';
import { importMessage } from '../../../activities/google/gmail-import.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { buildMessage, failureOf } from './fixtures.js';

let google: StartedGoogleEmulator;
let gmail: gmail_v1.Gmail;

beforeAll(async () => {
  google = await startGoogleEmulator({
    users: [
      { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
      { primaryEmail: 'ann@example.com', givenName: 'Ann', familyName: 'Lee' },
    ],
  });
});
afterAll(() => google.close());
beforeEach(() => {
  google.emulator.reset();
  gmail = createGoogleClients(google.googleSettings).gmailFor('ann@example.com');
});

describe('Gmail labels', () => {
  it('lists the system labels of a new mailbox', async () => {
    const { data } = await gmail.users.labels.list({ userId: 'me' });
    const ids = data.labels?.map((label) => label.id);
    for (const id of [
      'INBOX',
      'SENT',
      'DRAFT',
      'TRASH',
      'SPAM',
      'UNREAD',
      'STARRED',
      'IMPORTANT',
      'CATEGORY_PERSONAL',
      'CATEGORY_SOCIAL',
      'CATEGORY_PROMOTIONS',
      'CATEGORY_UPDATES',
      'CATEGORY_FORUMS',
    ]) {
      expect(ids).toContain(id);
    }
    expect(data.labels?.every((label) => label.type === 'system')).toBe(true);
  });

  it('creates user labels with Label_ ids, nested with "/"', async () => {
    const parent = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Projects' } });
    const child = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Projects/2024', labelListVisibility: 'labelShowIfUnread' } });
    expect(parent.data).toMatchObject({ id: expect.stringMatching(/^Label_\d+$/), name: 'Projects', type: 'user', messageListVisibility: 'show', labelListVisibility: 'labelShow' });
    expect(child.data).toMatchObject({ name: 'Projects/2024', type: 'user', labelListVisibility: 'labelShowIfUnread' });
    expect(child.data.id).not.toBe(parent.data.id);
    const { data } = await gmail.users.labels.list({ userId: 'me' });
    expect(data.labels?.filter((label) => label.type === 'user').map((label) => label.name)).toEqual(['Projects', 'Projects/2024']);
  });

  it('answers 409 "Label name exists or conflicts" for a duplicate name in any case', async () => {
    await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Receipts' } });
    const failure = await failureOf(gmail.users.labels.create({ userId: 'me', requestBody: { name: 'receipts' } }));
    expect(failure).toMatchObject({ kind: 'conflict', status: 409, message: 'Label name exists or conflicts' });
  });

  it('answers 400 "Invalid label name" for reserved and malformed names', async () => {
    for (const name of ['INBOX', 'Trash', 'Drafts', 'Muted', '', 'a//b', '/leading']) {
      const failure = await failureOf(gmail.users.labels.create({ userId: 'me', requestBody: { name } }));
      expect(failure, name).toMatchObject({ kind: 'invalid', status: 400, reason: 'invalidArgument', message: 'Invalid label name' });
    }
  });

  it('refuses the names reported refused: Archive and its kin, localised system names, a reserved top level, over 225 characters', async () => {
    const refused = [
      'Archive',
      'archived',
      'ARCHIVE',
      'muted',
      'Migrated',
      'todo',
      'voicemail',
      'arxiv',
      'Posteingang',
      'Gesendet',
      'Nepřečtené',
      'Messages envoyés',
      'No leídos',
      'Gearchiveerd',
      'Archive/2023',
      'CATEGORY_Old',
      'x'.repeat(226),
    ];
    for (const name of refused) {
      const failure = await failureOf(gmail.users.labels.create({ userId: 'me', requestBody: { name } }));
      expect(failure.status, name).toBe(400);
      expect(failure.body, name).toEqual({
        error: { code: 400, message: 'Invalid label name', errors: [{ message: 'Invalid label name', domain: 'global', reason: 'invalidArgument' }], status: 'INVALID_ARGUMENT' },
      });
    }
    // Accepted: the same words not at the top level, a longest name, and the names the sync picks instead.
    for (const name of ['Projects', 'Projects/Archive', 'y'.repeat(225), 'Archive (Outlook)', 'Archive (Outlook)/2023', 'Muted (Outlook)', 'Inbox folders']) {
      await gmail.users.labels.create({ userId: 'me', requestBody: { name } });
    }
  });

  it('answers 409 for the hidden [Gmail] namespace, and for a name an existing label has in another case', async () => {
    for (const name of ['[Gmail]', '[Gmail]/Sent Mail']) {
      expect(await failureOf(gmail.users.labels.create({ userId: 'me', requestBody: { name } })), name).toMatchObject({ kind: 'conflict', status: 409, message: 'Label name exists or conflicts' });
    }
    await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Clients' } });
    expect(await failureOf(gmail.users.labels.create({ userId: 'me', requestBody: { name: 'CLIENTS' } }))).toMatchObject({ kind: 'conflict', status: 409 });
  });

  it('gets a label with its message counts, renames it and deletes it', async () => {
    const { data: label } = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Old mail' } });
    await importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: [label.id!, 'UNREAD'] });
    await importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: [label.id!] });

    const { data: counted } = await gmail.users.labels.get({ userId: 'me', id: label.id! });
    expect(counted).toMatchObject({ messagesTotal: 2, messagesUnread: 1, threadsTotal: 2, threadsUnread: 1 });

    const { data: renamed } = await gmail.users.labels.patch({ userId: 'me', id: label.id!, requestBody: { name: 'Old mail/2023' } });
    expect(renamed.name).toBe('Old mail/2023');

    await gmail.users.labels.delete({ userId: 'me', id: label.id! });
    expect(await failureOf(gmail.users.labels.get({ userId: 'me', id: label.id! }))).toMatchObject({ kind: 'notFound', status: 404 });
    expect(google.emulator.messagesOf('ann@example.com').every((message) => !message.labelIds.includes(label.id!))).toBe(true);
  });
});
