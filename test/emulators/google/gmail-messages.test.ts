import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleClients } from '../../../connectors/google/google-clients.js';
import { importMessage } from '../../../activities/google/gmail-import.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { buildMessage, failureOf } from './fixtures.js';

let google: StartedGoogleEmulator;
let gmail: gmail_v1.Gmail;
let ids: Record<'inboxUnread' | 'inboxRead' | 'sent' | 'trashed' | 'spam' | 'project', string>;
let projectLabel: string;

beforeAll(async () => {
  google = await startGoogleEmulator({
    users: [
      { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
      { primaryEmail: 'ann@example.com', givenName: 'Ann', familyName: 'Lee' },
    ],
  });
});
afterAll(() => google.close());

/** Six messages one day apart, newest last: inboxUnread is the oldest. */
beforeEach(async () => {
  google.emulator.reset();
  gmail = createGoogleClients(google.googleSettings).gmailFor('ann@example.com');
  projectLabel = (await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Projects/2024 Plans' } })).data.id!;
  const plan: Array<[keyof typeof ids, string[]]> = [
    ['inboxUnread', ['INBOX', 'UNREAD']],
    ['inboxRead', ['INBOX']],
    ['sent', ['SENT']],
    ['trashed', ['TRASH']],
    ['spam', ['SPAM']],
    ['project', [projectLabel]],
  ];
  const imported: Partial<typeof ids> = {};
  for (const [index, [name, labelIds]] of plan.entries()) {
    const raw = await buildMessage({ messageId: `<${name}@contoso.example>`, subject: `Message ${name}`, date: new Date(Date.UTC(2024, 0, 1 + index)) });
    imported[name] = (await importMessage(gmail, { userId: 'me', raw, labelIds })).id;
  }
  ids = imported as typeof ids;
});

async function listIds(params: gmail_v1.Params$Resource$Users$Messages$List): Promise<string[]> {
  const { data } = await gmail.users.messages.list({ userId: 'me', ...params });
  return (data.messages ?? []).map((message) => message.id!);
}

describe('messages.list', () => {
  it('finds a message by rfc822msgid:, with or without angle brackets', async () => {
    expect(await listIds({ q: 'rfc822msgid:<inboxRead@contoso.example>' })).toEqual([ids.inboxRead]);
    expect(await listIds({ q: 'rfc822msgid:inboxRead@contoso.example' })).toEqual([ids.inboxRead]);
    expect(await listIds({ q: 'rfc822msgid:nothing@contoso.example' })).toEqual([]);
  });

  it('filters with label:, in: and is:unread, newest first', async () => {
    expect(await listIds({ q: 'label:projects-2024-plans' })).toEqual([ids.project]);
    expect(await listIds({ q: 'label:"Projects/2024 Plans"' })).toEqual([ids.project]);
    expect(await listIds({ q: 'in:inbox' })).toEqual([ids.inboxRead, ids.inboxUnread]);
    expect(await listIds({ q: 'in:sent' })).toEqual([ids.sent]);
    expect(await listIds({ q: 'is:unread' })).toEqual([ids.inboxUnread]);
    expect(await listIds({ q: 'in:inbox -is:unread' })).toEqual([ids.inboxRead]);
  });

  it('leaves spam and trash out unless includeSpamTrash or the query asks for them', async () => {
    const everyday = await listIds({});
    expect(everyday).toEqual([ids.project, ids.sent, ids.inboxRead, ids.inboxUnread]);
    expect(await listIds({ includeSpamTrash: true })).toHaveLength(6);
    expect(await listIds({ q: 'in:trash' })).toEqual([ids.trashed]);
    expect(await listIds({ q: 'rfc822msgid:spam@contoso.example' })).toEqual([]);
    expect(await listIds({ q: 'rfc822msgid:spam@contoso.example', includeSpamTrash: true })).toEqual([ids.spam]);
  });

  it('filters by labelIds and pages with maxResults and pageToken', async () => {
    expect(await listIds({ labelIds: ['INBOX', 'UNREAD'] })).toEqual([ids.inboxUnread]);

    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await gmail.users.messages.list({ userId: 'me', maxResults: 3, includeSpamTrash: true, pageToken });
      seen.push(...(data.messages ?? []).map((message) => message.id!));
      expect(data.resultSizeEstimate).toBe(6);
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(seen).toEqual([ids.project, ids.spam, ids.trashed, ids.sent, ids.inboxRead, ids.inboxUnread]);
  });

  it('refuses a search operator it does not implement rather than ignoring it', async () => {
    expect(await failureOf(gmail.users.messages.list({ userId: 'me', q: 'has:attachment' }))).toMatchObject({ kind: 'invalid', status: 400 });
  });
});

describe('messages.get, modify, batchModify, trash, untrash, delete', () => {
  it('gets a message as minimal, metadata (selected headers) and full', async () => {
    const { data: minimal } = await gmail.users.messages.get({ userId: 'me', id: ids.inboxUnread, format: 'minimal' });
    expect(minimal).toMatchObject({ id: ids.inboxUnread, threadId: ids.inboxUnread, labelIds: ['INBOX', 'UNREAD'], internalDate: String(Date.UTC(2024, 0, 1)) });
    expect(minimal.payload).toBeUndefined();

    const { data: metadata } = await gmail.users.messages.get({ userId: 'me', id: ids.inboxUnread, format: 'metadata', metadataHeaders: ['Message-ID', 'Subject'] });
    expect(metadata.payload?.headers).toEqual([
      { name: 'Subject', value: 'Message inboxUnread' },
      { name: 'Message-ID', value: '<inboxUnread@contoso.example>' },
    ]);

    const { data: full } = await gmail.users.messages.get({ userId: 'me', id: ids.inboxUnread });
    expect(full.payload?.headers?.map((header) => header.name)).toEqual(expect.arrayContaining(['From', 'To', 'Subject', 'Date', 'Message-ID']));
    expect(full.sizeEstimate).toBeGreaterThan(0);
  });

  it('answers 404 for a message that does not exist', async () => {
    expect(await failureOf(gmail.users.messages.get({ userId: 'me', id: 'ffffffffffffffff' }))).toMatchObject({ kind: 'notFound', status: 404, reason: 'notFound' });
  });

  it('modifies labels, refusing labels the mailbox does not have', async () => {
    const { data } = await gmail.users.messages.modify({ userId: 'me', id: ids.inboxUnread, requestBody: { addLabelIds: [projectLabel, 'STARRED'], removeLabelIds: ['UNREAD'] } });
    expect(data.labelIds).toEqual(['INBOX', projectLabel, 'STARRED']);
    expect(await listIds({ q: 'is:unread' })).toEqual([]);

    const failure = await failureOf(gmail.users.messages.modify({ userId: 'me', id: ids.inboxRead, requestBody: { addLabelIds: ['Label_404'] } }));
    expect(failure).toMatchObject({ status: 400, message: 'Invalid label: Label_404' });
  });

  it('refuses to add or remove SENT or DRAFT with 400 "Invalid label", as Gmail does, and changes nothing', async () => {
    for (const requestBody of [{ removeLabelIds: ['SENT'] }, { addLabelIds: ['SENT'] }, { addLabelIds: ['DRAFT'] }, { removeLabelIds: ['DRAFT'], addLabelIds: ['STARRED'] }]) {
      const failure = await failureOf(gmail.users.messages.modify({ userId: 'me', id: ids.sent, requestBody }));
      const label = [...(requestBody.addLabelIds ?? []), ...(requestBody.removeLabelIds ?? [])].find((id) => id === 'SENT' || id === 'DRAFT');
      expect(failure).toMatchObject({ kind: 'invalid', status: 400, reason: 'invalidArgument', message: `Invalid label: ${label}` });
    }
    const batch = await failureOf(gmail.users.messages.batchModify({ userId: 'me', requestBody: { ids: [ids.inboxRead], addLabelIds: ['SENT'] } }));
    expect(batch).toMatchObject({ status: 400, message: 'Invalid label: SENT' });
    expect((await gmail.users.messages.get({ userId: 'me', id: ids.sent, format: 'minimal' })).data.labelIds).toEqual(['SENT']);
    // Other labels on a sent message are fine, and import may set SENT.
    expect((await gmail.users.messages.modify({ userId: 'me', id: ids.sent, requestBody: { addLabelIds: ['INBOX'] } })).data.labelIds).toEqual(['SENT', 'INBOX']);
  });

  it('refuses what the control API armed for one message, and only that message', async () => {
    const arm = async (body: Record<string, unknown>) => {
      const response = await fetch(`${google.url}/_control/message-failures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ann@example.com', ...body }),
      });
      expect(response.status).toBe(201);
    };
    await arm({ rfc822MessageId: '<inboxRead@contoso.example>', methods: ['messages.modify'], status: 400, reason: 'invalidArgument', message: 'Precondition check failed.' });
    await arm({ rfc822MessageId: 'project@contoso.example', methods: ['messages.trash'], status: 409, message: 'unused', rawBody: 'Conflict: try again later', count: 1 });
    await arm({ rfc822MessageId: '<poison@contoso.example>', methods: ['messages.import'], status: 400, reason: 'failedValidation', message: 'Message rejected.' });

    expect(await failureOf(gmail.users.messages.modify({ userId: 'me', id: ids.inboxRead, requestBody: { addLabelIds: ['STARRED'] } }))).toMatchObject({
      kind: 'invalid',
      status: 400,
      reason: 'invalidArgument',
      message: 'Precondition check failed.',
    });
    await gmail.users.messages.modify({ userId: 'me', id: ids.inboxUnread, requestBody: { addLabelIds: ['STARRED'] } });
    expect(await failureOf(gmail.users.messages.trash({ userId: 'me', id: ids.project }))).toMatchObject({ kind: 'conflict', status: 409, message: 'Conflict: try again later' });
    await gmail.users.messages.trash({ userId: 'me', id: ids.project }); // count: 1, so the second call goes through
    const poison = await buildMessage({ messageId: '<poison@contoso.example>' });
    expect(await failureOf(importMessage(gmail, { userId: 'me', raw: poison, labelIds: ['INBOX'] }))).toMatchObject({ status: 400, reason: 'failedValidation' });
    expect(google.emulator.messagesOf('ann@example.com').some((message) => message.messageId === '<poison@contoso.example>')).toBe(false);
    google.emulator.reset();
    expect(((await (await fetch(`${google.url}/_control/message-failures`)).json()) as { failures: unknown[] }).failures).toEqual([]);
  });

  it('batch-modifies several messages at once', async () => {
    await gmail.users.messages.batchModify({ userId: 'me', requestBody: { ids: [ids.inboxRead, ids.sent], addLabelIds: ['IMPORTANT'] } });
    expect(await listIds({ q: 'is:important' })).toEqual([ids.sent, ids.inboxRead]);
  });

  it('trashes and untrashes', async () => {
    await gmail.users.messages.trash({ userId: 'me', id: ids.inboxRead });
    expect(await listIds({ q: 'in:trash' })).toEqual([ids.trashed, ids.inboxRead]);
    const { data } = await gmail.users.messages.untrash({ userId: 'me', id: ids.inboxRead });
    expect(data.labelIds).toEqual(['INBOX']);
  });

  it('refuses a permanent delete to a gmail.modify token (it needs https://mail.google.com/)', async () => {
    const failure = await failureOf(gmail.users.messages.delete({ userId: 'me', id: ids.inboxRead }));
    expect(failure).toMatchObject({ kind: 'auth', status: 403, reason: 'insufficientPermissions', message: 'Request had insufficient authentication scopes.' });
  });
});
