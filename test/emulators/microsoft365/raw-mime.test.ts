import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphClient, type GraphConnection } from '../../../connectors/microsoft365/graph-client.js';
import { createMicrosoft365Emulator } from '../../../emulators/microsoft365/index.js';
import { corpusDir } from '../../helpers/mail-corpus.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';

const fixture = (file: string): Buffer => readFileSync(path.join(corpusDir, file));

interface GraphMessage {
  id: string;
  internetMessageId: string | null;
  subject: string;
  isRead: boolean;
  from: { emailAddress: { name: string; address: string } };
  parentFolderId: string;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

describe('Microsoft 365 emulator: messages held as raw MIME (control API)', () => {
  let running: RunningMicrosoft365Emulator;
  let connection: GraphConnection;
  let upn: string;

  const addRaw = async (body: Record<string, unknown>) => {
    const response = await fetch(`${running.url}/_control/users/${encodeURIComponent(upn)}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as { id: string; immutableId: string; size: number; error?: { code: string; message: string } } };
  };
  const get = async (id: string) => (await connection.client.api(`/users/${upn}/messages/${id}`).expand("singleValueExtendedProperties($filter=id eq 'Integer 0x0E08')").get()) as GraphMessage;

  beforeAll(async () => {
    running = await startMicrosoft365Emulator({ seed: { seed: 7, users: 1, messagesPerUser: 0, failingItemsPerUser: 0, groups: false } });
    connection = createGraphClient(running.graphSettings);
    upn = running.emulator.tenant.directory.listUsers()[0]!.userPrincipalName;
  });
  afterAll(async () => running?.close());

  it('answers the new message id and serves $value byte for byte: LF-only lines, 8-bit bodies and headers', async () => {
    for (const file of ['mikel-mail/plain_emails/basic_email_lf.eml', 'mikel-mail/multi_charset/japanese_shift_jis.eml', 'mikel-mail/error_emails/content_transfer_encoding_with_8bits.eml']) {
      const bytes = fixture(file);
      const { status, json } = await addRaw({ folder: 'inbox', mime: bytes.toString('base64'), isRead: true });
      expect(status, file).toBe(201);
      expect(json.size).toBe(bytes.length);
      const served = await connection.getMimeContent(upn, json.id);
      expect(served.equals(bytes), file).toBe(true);
      const message = await get(json.id);
      expect(message.isRead).toBe(true);
      expect(message.singleValueExtendedProperties).toEqual([{ id: 'Integer 0xe08', value: String(bytes.length) }]);
    }
  });

  it('shows Graph properties from the message headers; a message without Message-ID has no internetMessageId', async () => {
    const lf = fixture('mikel-mail/plain_emails/basic_email_lf.eml');
    const withId = await get((await addRaw({ mime: lf.toString('base64') })).json.id);
    expect(withId.internetMessageId).toBe('<6B7EC235-5B17-4CA8-B2B8-39290DEB43A3@test.lindsaar.net>');
    expect(withId.subject).toBe('Testing 123');
    expect(withId.from.emailAddress.address).toBe('test@lindsaar.net');

    const noId = fixture('mikel-mail/multi_charset/japanese.eml');
    const added = await addRaw({ folder: 'archive', mime: noId.toString('base64') });
    const message = await get(added.json.id);
    expect(message.internetMessageId).toBeNull();
    const archive = (await connection.client.api(`/users/${upn}/mailFolders/archive`).get()) as { id: string };
    expect(message.parentFolderId).toBe(archive.id);
  });

  it('refuses an mbox "From " separator line (Exchange never stores one) but takes the obsolete "From :" field syntax', async () => {
    const mbox = fixture('mikel-mail/plain_emails/raw_email.eml');
    const refused = await addRaw({ mime: mbox.toString('base64') });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: 'InvalidMimeContent', message: expect.stringMatching(/mbox "From " separator line/) });

    const obsolete = fixture('mikel-mail/rfc2822/example13.eml');
    expect(obsolete.subarray(0, 6).toString()).toBe('From  ');
    const accepted = await addRaw({ mime: obsolete.toString('base64') });
    expect(accepted.status).toBe(201);
    expect((await connection.getMimeContent(upn, accepted.json.id)).equals(obsolete)).toBe(true);
  });

  it('validates the body: mime must be base64, no other fields', async () => {
    expect((await addRaw({ mime: 'not base64!' })).status).toBe(400);
    expect((await addRaw({ mime: 'U3ViamVjdDogeA0KDQp4', count: 2 })).status).toBe(400);
  });

  it('keeps raw messages across a restart (persistDir)', () => {
    const persistDir = mkdtempSync(path.join(process.env.DATA_DIR!, 'm365-raw-'));
    const first = createMicrosoft365Emulator({ persistDir, seed: { seed: 3, users: 1, messagesPerUser: 0, failingItemsPerUser: 0, groups: false } });
    const user = first.tenant.directory.listUsers()[0]!;
    const bytes = fixture('mikel-mail/plain_emails/basic_email_lf.eml');
    const record = first.tenant.addRawMessage(user, {
      bytes,
      summary: { messageId: '<a@b>', subject: 's', from: { name: '', address: 'a@b' }, to: [], cc: [], sentAt: null, inReplyTo: null, references: [], text: '', hasAttachments: false },
    });
    first.persist();
    first.close();
    const second = createMicrosoft365Emulator({ persistDir });
    const mailbox = second.tenant.mailboxOf(second.tenant.directory.listUsers()[0]!);
    const restored = mailbox.message(record.number)!;
    expect(mailbox.rawMime(restored)?.bytes.equals(bytes)).toBe(true);
    expect(mailbox.plan(restored).messageId).toBe('<a@b>');
    second.close();
  });
});
