import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleClients } from '../../../connectors/google/google-clients.js';
import { importMessage } from '../../../activities/google/gmail-import.js';
import type { ControlMessageView } from '../../../emulators/google/index.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { buildMessage, controlHeaders, rawTransport } from './fixtures.js';

const day = 24 * 60 * 60 * 1000;
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

const arrived = (): ControlMessageView[] => google.emulator.messagesOf('ann@example.com');

async function advanceClock(body: Record<string, unknown>): Promise<{ status: number; data: { mailClock?: string; error?: unknown } }> {
  const response = await rawTransport().request<{ mailClock?: string }>({ url: `${google.url}/_control/clock`, method: 'POST', headers: controlHeaders, data: JSON.stringify(body) });
  return { status: response.status, data: response.data };
}

/** A message without a Message-ID header (MailComposer always writes one). */
function withoutMessageId(subject: string): Buffer {
  return Buffer.from(['From: Dana Reyes <dana@contoso.example>', 'To: ann@example.com', `Subject: ${subject}`, 'Date: Mon, 02 Oct 2023 09:30:00 +0000', '', 'Body.', ''].join('\r\n'));
}

describe('an import whose Message-ID the mailbox already holds', () => {
  it('merges into the existing message: same id, labels united, first copy kept (google/import-mailbox-to-gmail#56)', async () => {
    const { data: label } = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Sent copies' } });
    const first = await importMessage(gmail, { userId: 'me', raw: await buildMessage({ messageId: '<same@contoso.example>', subject: 'First' }), labelIds: ['INBOX', 'UNREAD'] });
    const second = await importMessage(gmail, { userId: 'me', raw: await buildMessage({ messageId: '<same@contoso.example>', subject: 'Second' }), labelIds: [label.id!] });
    expect(second.id).toBe(first.id);
    const messages = arrived();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.subject).toBe('First');
    expect(messages[0]!.labelIds.sort()).toEqual(['INBOX', 'UNREAD', label.id!].sort());
  });

  it('takes a trashed copy out of Trash (rgladwell/imap-upload#22)', async () => {
    const first = await importMessage(gmail, { userId: 'me', raw: await buildMessage({ messageId: '<binned@contoso.example>' }), labelIds: ['INBOX'] });
    await gmail.users.messages.trash({ userId: 'me', id: first.id });
    const again = await importMessage(gmail, { userId: 'me', raw: await buildMessage({ messageId: '<binned@contoso.example>' }), labelIds: ['STARRED'] });
    expect(again.id).toBe(first.id);
    expect(arrived()[0]!.labelIds.sort()).toEqual(['INBOX', 'STARRED']);
  });

  it('keeps messages without a Message-ID apart: nothing to merge them by', async () => {
    await importMessage(gmail, { userId: 'me', raw: withoutMessageId('Same'), labelIds: [] });
    await importMessage(gmail, { userId: 'me', raw: withoutMessageId('Same'), labelIds: [] });
    expect(arrived()).toHaveLength(2);
  });
});

describe('Trash and Spam retention', () => {
  it('purges what spent 30 days of the mailbox clock in Trash or Spam, and nothing else', async () => {
    const trashed = await importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: ['INBOX'] });
    const spam = await importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: ['SPAM'] });
    const kept = await importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: ['INBOX'] });
    const rescued = await importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: ['INBOX'] });
    await gmail.users.messages.trash({ userId: 'me', id: trashed.id });
    await gmail.users.messages.trash({ userId: 'me', id: rescued.id });

    expect((await advanceClock({ advanceDays: 29 })).status).toBe(200);
    await gmail.users.messages.untrash({ userId: 'me', id: rescued.id });
    expect(
      arrived()
        .map((m) => m.id)
        .sort(),
    ).toEqual([trashed.id, spam.id, kept.id, rescued.id].sort());

    const { data } = await advanceClock({ advanceDays: 1 });
    expect(Date.parse(data.mailClock!)).toBeGreaterThanOrEqual(Date.now() + 30 * day - 60_000);
    expect(
      arrived()
        .map((m) => m.id)
        .sort(),
    ).toEqual([kept.id, rescued.id].sort());
    // Gone for good: the API answers 404 for it, and a search does not find it either.
    await expect(gmail.users.messages.get({ userId: 'me', id: trashed.id })).rejects.toMatchObject({ status: 404 });
    const { data: all } = await gmail.users.messages.list({ userId: 'me', includeSpamTrash: true });
    expect(all.messages?.map((m) => m.id).sort()).toEqual([kept.id, rescued.id].sort());
  });

  it('starts the 30 days when the message entered Trash; the token clock is not moved', async () => {
    await advanceClock({ advanceDays: 20 });
    const message = await importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: ['INBOX'] });
    await gmail.users.messages.trash({ userId: 'me', id: message.id });
    await advanceClock({ advanceDays: 29, advanceSeconds: 3600 });
    // The access token issued before the advance still works: only the mailbox clock moved.
    expect((await gmail.users.messages.get({ userId: 'me', id: message.id })).data.labelIds).toContain('TRASH');
    await advanceClock({ advanceSeconds: 23 * 3600 });
    expect(arrived()).toEqual([]);
  });

  it('refuses a clock body without an amount, and reset puts the clock back', async () => {
    expect((await advanceClock({})).status).toBe(400);
    expect((await advanceClock({ advanceDays: -1 })).status).toBe(400);
    await advanceClock({ advanceDays: 40 });
    google.emulator.reset();
    const { data } = await rawTransport().request<{ offsetMs: number }>({ url: `${google.url}/_control/clock` });
    expect(data.offsetMs).toBe(0);
  });
});
