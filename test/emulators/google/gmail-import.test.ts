import { createHash } from 'node:crypto';
import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configuredRootUrl, createGoogleClients } from '../../../connectors/google/google-clients.js';
import { importMessage } from '../../../activities/google/gmail-import.js';
import type { ControlMessageView } from '../../../emulators/google/index.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { buildMessage, failureOf, rawTransport } from './fixtures.js';

const maxImportBytes = 64 * 1024;
let clock = Date.now();
let google: StartedGoogleEmulator;
let gmail: gmail_v1.Gmail;

beforeAll(async () => {
  google = await startGoogleEmulator({
    now: () => clock,
    maxImportBytes,
    users: [
      { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
      { primaryEmail: 'ann@example.com', givenName: 'Ann', familyName: 'Lee' },
      { primaryEmail: 'nomail@example.com', givenName: 'No', familyName: 'Licence', gmailEnabled: false },
    ],
  });
});
afterAll(() => google.close());
beforeEach(() => {
  // The emulator's clock must stay near real time: the JWT client signs with the real one.
  clock = Math.floor(Date.now() / 1000) * 1000 - 5000;
  google.emulator.reset();
  gmail = createGoogleClients(google.googleSettings).gmailFor('ann@example.com');
});

async function arrived(email = 'ann@example.com'): Promise<ControlMessageView[]> {
  const response = await rawTransport().request<{ email: string; messages: ControlMessageView[] }>({ url: `${google.url}/_control/users/${email}/messages` });
  expect(response.status).toBe(200);
  return response.data.messages;
}

describe('messages.import by media upload', () => {
  it('imports a multipart upload with labels, dating it from the Date header by default', async () => {
    const { data: label } = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Projects/2024' } });
    const raw = await buildMessage({ messageId: '<q3-figures@contoso.example>', subject: 'Q3 figures', date: new Date('2023-10-02T09:30:00Z') });

    const imported = await importMessage(gmail, { userId: 'me', raw, labelIds: ['INBOX', 'UNREAD', label.id!], neverMarkSpam: true });
    expect(imported.id).toMatch(/^[0-9a-f]{16}$/);

    expect(await arrived()).toEqual([
      {
        id: imported.id,
        threadId: imported.threadId,
        messageId: '<q3-figures@contoso.example>',
        subject: 'Q3 figures',
        labelIds: ['INBOX', 'UNREAD', label.id],
        labels: [
          { id: 'INBOX', name: 'INBOX' },
          { id: 'UNREAD', name: 'UNREAD' },
          { id: label.id, name: 'Projects/2024' },
        ],
        internalDate: '2023-10-02T09:30:00.000Z',
        internalDateMs: Date.parse('2023-10-02T09:30:00Z'),
        sizeEstimate: raw.length,
        sha256: createHash('sha256').update(raw).digest('hex'),
      },
    ]);
  });

  it('dates the message at its arrival with internalDateSource=receivedTime', async () => {
    await importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: [], internalDateSource: 'receivedTime' });
    expect((await arrived())[0]?.internalDateMs).toBe(clock);
  });

  it('imports a plain media upload (uploadType=media) when no metadata is sent', async () => {
    const raw = await buildMessage({ messageId: '<media@contoso.example>' });
    const { data } = await gmail.users.messages.import({ userId: 'me', media: { mimeType: 'message/rfc822', body: raw.toString('latin1') } }, { rootUrl: configuredRootUrl(gmail) });
    expect(data.id).toBeTruthy();
    expect(await arrived()).toMatchObject([{ id: data.id, messageId: '<media@contoso.example>', labelIds: [] }]);
  });

  it('imports raw base64url JSON on the non-upload URL', async () => {
    const raw = await buildMessage({ messageId: '<json@contoso.example>' });
    const { data } = await gmail.users.messages.import({ userId: 'me', requestBody: { raw: raw.toString('base64url'), labelIds: ['INBOX'] } });
    expect(await arrived()).toMatchObject([{ id: data.id, messageId: '<json@contoso.example>', labelIds: ['INBOX'] }]);
  });

  it('threads a reply with the message it answers', async () => {
    const first = await importMessage(gmail, { userId: 'me', raw: await buildMessage({ messageId: '<start@contoso.example>' }), labelIds: [] });
    const reply = await importMessage(gmail, { userId: 'me', raw: await buildMessage({ inReplyTo: '<start@contoso.example>', subject: 'Re: Quarterly figures' }), labelIds: [] });
    expect(reply.threadId).toBe(first.threadId);
    expect(reply.id).not.toBe(first.id);
  });

  it('goes through after the emulator expired its token (one retry with a fresh token and stream)', async () => {
    await importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: [] });
    await rawTransport().request({ url: `${google.url}/_control/credentials/expire-tokens`, method: 'POST' });
    await importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: [] });
    expect(await arrived()).toHaveLength(2);
    expect(google.emulator.stats().requests['POST /upload/gmail/v1/users/:userId/messages/import']).toEqual({ '200': 2, '401': 1 });
  });
});

describe('messages.import refusals', () => {
  it('answers 400 "Invalid label" for a label the mailbox does not have', async () => {
    const failure = await failureOf(importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: ['Label_999'] }));
    expect(failure).toMatchObject({ kind: 'invalid', status: 400, reason: 'invalidArgument', message: 'Invalid label: Label_999' });
  });

  it('answers 400 invalidArgument for bytes that are not an RFC 822 message', async () => {
    const failure = await failureOf(importMessage(gmail, { userId: 'me', raw: Buffer.from('just some text\r\nwithout any header\r\n'), labelIds: [] }));
    expect(failure).toMatchObject({ kind: 'invalid', status: 400, reason: 'invalidArgument' });
  });

  it('answers messages over maxImportBytes with "Request payload size exceeds the limit"', async () => {
    const raw = await buildMessage({ text: 'x'.repeat(maxImportBytes) });
    const upload = await failureOf(importMessage(gmail, { userId: 'me', raw, labelIds: [] }));
    expect(upload).toMatchObject({ kind: 'tooLarge', status: 400, message: `Request payload size exceeds the limit: ${maxImportBytes} bytes.` });
    const json = await failureOf(gmail.users.messages.import({ userId: 'me', requestBody: { raw: raw.toString('base64url') } }));
    expect(json).toMatchObject({ kind: 'tooLarge', status: 400 });
    expect(await arrived()).toEqual([]);
  });

  it("answers 400 when neither 'raw' nor an upload is given, and for a media type that is not message/*", async () => {
    const noRaw = await failureOf(gmail.users.messages.import({ userId: 'me', requestBody: { labelIds: ['INBOX'] } }));
    expect(noRaw).toMatchObject({ status: 400, reason: 'badRequest', message: "'raw' RFC822 payload message string or uploading message via /upload/* URL required" });

    const wrongType = await failureOf(
      gmail.users.messages.import({ userId: 'me', media: { mimeType: 'application/octet-stream', body: 'Subject: x\r\n\r\nbody' } }, { rootUrl: configuredRootUrl(gmail) }),
    );
    expect(wrongType).toMatchObject({ status: 400, reason: 'badContent', message: "Media type 'application/octet-stream' is not supported. Valid media types: [message/*]" });
  });

  it('answers 400 failedPrecondition "Mail service not enabled" for a user without Gmail', async () => {
    const unlicensed = createGoogleClients(google.googleSettings).gmailFor('nomail@example.com');
    const failure = await failureOf(importMessage(unlicensed, { userId: 'me', raw: await buildMessage(), labelIds: [] }));
    expect(failure).toMatchObject({ kind: 'precondition', status: 400, reason: 'failedPrecondition', googleStatus: 'FAILED_PRECONDITION', message: 'Mail service not enabled' });
  });
});
