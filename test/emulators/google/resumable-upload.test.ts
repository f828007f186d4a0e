import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleClients, DelegatedJwt } from '../../../connectors/google/google-clients.js';
import { importMessage, resumableThresholdBytes } from '../../../activities/google/gmail-import.js';
import type { ControlMessageView } from '../../../emulators/google/index.js';
import { corpusDir } from '../../helpers/mail-corpus.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { buildMessage, failureOf, rawTransport } from './fixtures.js';

let google: StartedGoogleEmulator;
let gmail: gmail_v1.Gmail;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const uploadUrl = () => `${google.url}/upload/gmail/v1/users/me/messages/import`;

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

async function arrived(): Promise<ControlMessageView[]> {
  const response = await rawTransport().request<{ messages: ControlMessageView[] }>({ url: `${google.url}/_control/users/ann@example.com/messages` });
  return response.data.messages;
}

async function bearer(): Promise<Record<string, string>> {
  const { token } = await (gmail.context._options.auth as DelegatedJwt).getAccessToken();
  return { authorization: `Bearer ${token}` };
}

async function openSession(length: number): Promise<string> {
  const response = await rawTransport().request({
    url: `${uploadUrl()}?uploadType=resumable&internalDateSource=dateHeader`,
    method: 'POST',
    headers: { ...(await bearer()), 'content-type': 'application/json; charset=UTF-8', 'x-upload-content-type': 'message/rfc822', 'x-upload-content-length': String(length) },
    data: JSON.stringify({ labelIds: ['INBOX'] }),
  });
  expect(response.status).toBe(200);
  const location = response.headers.get('location');
  expect(location).toMatch(/[?&]upload_id=/);
  return location!;
}

describe('messages.import as a resumable upload', () => {
  it('sends messages above 1 MB as a resumable upload, stored byte for byte', async () => {
    const raw = await buildMessage({ text: 'Line of a long report.\r\n'.repeat(Math.ceil((resumableThresholdBytes + 200_000) / 24)) });
    expect(raw.length).toBeGreaterThan(resumableThresholdBytes);
    const imported = await importMessage(gmail, { userId: 'me', raw, labelIds: ['INBOX'] });
    const [stored] = await arrived();
    expect(stored).toMatchObject({ id: imported.id, sha256: sha256(raw), sizeEstimate: raw.length, labelIds: ['INBOX'] });
    const requests = google.emulator.stats().requests;
    expect(requests['POST /upload/gmail/v1/users/:userId/messages/import']).toEqual({ '200': 1 });
    expect(requests['PUT /upload/gmail/v1/users/:userId/messages/import']).toEqual({ '200': 1 });
  });

  it('keeps small messages on one multipart request', async () => {
    await importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: [] });
    expect(google.emulator.stats().requests['PUT /upload/gmail/v1/users/:userId/messages/import']).toBeUndefined();
  });

  it('takes chunks of 256 KiB, answering 308 with the Range received, a status query, and 200 with the message at the end', async () => {
    const raw = await buildMessage({ text: 'x'.repeat(300 * 1024) });
    const session = await openSession(raw.length);
    const chunk = 256 * 1024;
    const first = await rawTransport().request({ url: session, method: 'PUT', headers: { 'content-range': `bytes 0-${chunk - 1}/${raw.length}` }, data: raw.subarray(0, chunk) });
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe(`bytes=0-${chunk - 1}`);
    const status = await rawTransport().request({ url: session, method: 'PUT', headers: { 'content-range': `bytes */${raw.length}` } });
    expect(status.status).toBe(308);
    expect(status.headers.get('range')).toBe(`bytes=0-${chunk - 1}`);
    const last = await rawTransport().request<{ id: string; threadId: string }>({
      url: session,
      method: 'PUT',
      headers: { 'content-range': `bytes ${chunk}-${raw.length - 1}/${raw.length}` },
      data: raw.subarray(chunk),
    });
    expect(last.status).toBe(200);
    expect(last.data.id).toMatch(/^[0-9a-f]{16}$/);
    expect((await arrived()).map((message) => message.sha256)).toEqual([sha256(raw)]);
    // The session is spent: Google answers 404 for a session it does not know.
    const again = await rawTransport().request({ url: session, method: 'PUT', headers: { 'content-range': `bytes */${raw.length}` } });
    expect(again.status).toBe(404);
  });

  it('refuses a chunk that is not a multiple of 256 KiB, an unknown session, and a media type that is not message/*', async () => {
    const raw = await buildMessage({ text: 'y'.repeat(300 * 1024) });
    const session = await openSession(raw.length);
    const odd = await rawTransport().request({ url: session, method: 'PUT', headers: { 'content-range': `bytes 0-99999/${raw.length}` }, data: raw.subarray(0, 100_000) });
    expect(odd.status).toBe(400);
    const unknown = await rawTransport().request({ url: `${uploadUrl()}?uploadType=resumable&upload_id=nope`, method: 'PUT', data: raw });
    expect(unknown.status).toBe(404);
    const wrongType = await rawTransport().request<{ error: { message: string } }>({
      url: `${uploadUrl()}?uploadType=resumable`,
      method: 'POST',
      headers: { ...(await bearer()), 'x-upload-content-type': 'application/pdf' },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.data.error.message).toMatch(/Valid media types: \[message\/\*\]/);
  });
});

describe('what Gmail import refuses and what it stores as given', () => {
  const corpus = (file: string) => readFileSync(path.join(corpusDir, file));

  it('refuses a message without a From field, or with two: 400 "Expected a single \'From\' header"', async () => {
    const none = await failureOf(importMessage(gmail, { userId: 'me', raw: Buffer.from('Subject: no sender\r\nTo: ann@example.com\r\n\r\nbody\r\n'), labelIds: [] }));
    expect(none).toMatchObject({ kind: 'invalid', status: 400, message: "Expected a single 'From' header" });
    const two = await failureOf(importMessage(gmail, { userId: 'me', raw: Buffer.from('From: a@contoso.example\r\nFrom: b@contoso.example\r\nSubject: x\r\n\r\nbody\r\n'), labelIds: [] }));
    expect(two).toMatchObject({ kind: 'invalid', status: 400, message: "Expected a single 'From' header" });
    const noAddress = await failureOf(importMessage(gmail, { userId: 'me', raw: Buffer.from('From: Nobody\r\nSubject: x\r\n\r\nbody\r\n'), labelIds: [] }));
    expect(noAddress).toMatchObject({ kind: 'invalid', status: 400, message: 'Invalid From header' });
    expect(await arrived()).toEqual([]);
  });

  it('refuses a message that starts with an mbox "From " line: it is not a header field', async () => {
    const failure = await failureOf(importMessage(gmail, { userId: 'me', raw: corpus('mikel-mail/plain_emails/raw_email.eml'), labelIds: [] }));
    expect(failure).toMatchObject({ kind: 'invalid', status: 400, reason: 'invalidArgument' });
  });

  it('accepts the obsolete syntax RFC 5322 4.5 allows ("From  : x") and LF-only, 8-bit messages, stored byte for byte', async () => {
    for (const file of ['mikel-mail/rfc2822/example13.eml', 'mikel-mail/plain_emails/basic_email_lf.eml', 'mikel-mail/multi_charset/ks_c_5601-1987.eml']) {
      const raw = corpus(file);
      await importMessage(gmail, { userId: 'me', raw, labelIds: [] });
      expect(
        (await arrived()).map((message) => message.sha256),
        file,
      ).toContain(sha256(raw));
    }
  });
});
