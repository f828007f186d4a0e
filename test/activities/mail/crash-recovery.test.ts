import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleClients } from '../../../connectors/google/google-clients.js';
import { GmailLabels } from '../../../activities/google/gmail-labels.js';
import { findOwnPendingCopy, importPendingLabelId, type CopyOwnership } from '../../../activities/mail/crash-recovery.js';
import type { Mailbox } from '../../../activities/mail/mailbox.js';
import { holdsSameMessage } from '../../../activities/mail/raw-headers.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';

// Crash recovery for messages without a Message-ID, against the Google emulator through googleapis.
let google: StartedGoogleEmulator;
let gmail: gmail_v1.Gmail;
let mailbox: Mailbox;
const targetEmail = 'ann@example.com';
const unpaced = <T>(_cost: number, task: () => Promise<T>) => task();

beforeAll(async () => {
  google = await startGoogleEmulator({ users: [{ primaryEmail: targetEmail, givenName: 'Ann', familyName: 'Lee' }] });
});
afterAll(() => google.close());
beforeEach(() => {
  google.emulator.reset();
  gmail = createGoogleClients(google.googleSettings).gmailFor(targetEmail);
  // Recovery only talks to Gmail; the Graph side and the download budget are not part of it.
  mailbox = {
    input: { targetEmail } as Mailbox['input'],
    gmail,
    labels: new GmailLabels(gmail, targetEmail, unpaced),
    gmailPace: unpaced,
    graph: undefined as never,
    graphPace: undefined as never,
    downloads: undefined as never,
  };
});

const sameDate = 'Tue, 01 Dec 2026 09:30:00 +0000';
const withoutMessageId = (subject: string, body: string, date: string | null = sameDate) =>
  Buffer.from([...(date ? [`Date: ${date}`] : []), 'From: Bo Chan <bo@example.net>', `To: ${targetEmail}`, `Subject: ${subject}`, 'Content-Type: text/plain', '', body, ''].join('\r\n'));

async function importPending(raw: Buffer): Promise<string> {
  const pending = await importPendingLabelId(mailbox);
  const { data } = await gmail.users.messages.import({ userId: targetEmail, internalDateSource: 'dateHeader', requestBody: { raw: raw.toString('base64url'), labelIds: ['INBOX', pending] } });
  return data.id!;
}

const nobodyElse = (): CopyOwnership => ({ isMappedByAnother: () => Promise.resolve(false), claimed: new Set() });

describe('findOwnPendingCopy: the copy a crashed attempt imported of a message without a Message-ID', () => {
  it('adopts only the copy that holds this very message when another pending copy has the same Date', async () => {
    const first = withoutMessageId('Quarterly figures', 'The figures are attached.');
    const second = withoutMessageId('Lunch on Friday', 'Shall we meet at noon?');
    const firstCopy = await importPending(first);
    const secondCopy = await importPending(second);

    // Each message is resolved on a page of its own, so neither can win by the other having claimed first.
    expect(await findOwnPendingCopy(mailbox, nobodyElse(), { sourceItemId: 'first', raw: first, labelIds: ['INBOX'] })).toBe(firstCopy);
    expect(await findOwnPendingCopy(mailbox, nobodyElse(), { sourceItemId: 'second', raw: second, labelIds: ['INBOX'] })).toBe(secondCopy);
  });

  it('finds nothing when only another message with the same Date (or, both without one, no Date) was imported', async () => {
    await importPending(withoutMessageId('Quarterly figures', 'The figures are attached.'));
    await importPending(withoutMessageId('Undated one', 'No date at all.', null));

    // This message was never imported, although an unrecorded copy with its Date header is pending: it must be imported now.
    expect(await findOwnPendingCopy(mailbox, nobodyElse(), { sourceItemId: 'lunch', raw: withoutMessageId('Lunch on Friday', 'Shall we meet at noon?'), labelIds: ['INBOX'] })).toBeNull();
    expect(await findOwnPendingCopy(mailbox, nobodyElse(), { sourceItemId: 'undated', raw: withoutMessageId('Another undated', 'Nor here.', null), labelIds: ['INBOX'] })).toBeNull();
  });

  it('adopts one copy once: of two identical messages with one copy, the second is imported again', async () => {
    const raw = withoutMessageId('Out of office', 'I am away until Monday.');
    const copy = await importPending(raw);
    const ownership = nobodyElse();
    expect(await findOwnPendingCopy(mailbox, ownership, { sourceItemId: 'one', raw, labelIds: ['INBOX'] })).toBe(copy);
    expect(await findOwnPendingCopy(mailbox, ownership, { sourceItemId: 'two', raw, labelIds: ['INBOX'] })).toBeNull();
  });

  it('does not adopt a copy another source message maps to, even with the same bytes', async () => {
    const raw = withoutMessageId('Out of office', 'I am away until Monday.');
    const copy = await importPending(raw);
    const mappedToOther: CopyOwnership = { isMappedByAnother: (id) => Promise.resolve(id === copy), claimed: new Set() };
    expect(await findOwnPendingCopy(mailbox, mappedToOther, { sourceItemId: 'two', raw, labelIds: ['INBOX'] })).toBeNull();
  });
});

describe('holdsSameMessage', () => {
  const source = withoutMessageId('Quarterly figures', 'The figures are attached.');

  it('accepts the copy with header fields Gmail added, other line endings and refolded fields', () => {
    const stored = Buffer.from(
      `Received: by 2002:a05:6a10 with HTTP; Tue, 1 Dec 2026 01:30:00 -0800\n${source.toString('latin1').replace('Subject: Quarterly figures', 'Subject: Quarterly\r\n figures').replace(/\r\n/g, '\n')}`,
      'latin1',
    );
    expect(holdsSameMessage(source, stored)).toBe(true);
  });

  it('refuses a copy whose body or any header field differs, or lacks a field', () => {
    expect(holdsSameMessage(source, withoutMessageId('Quarterly figures', 'The figures are attached!'))).toBe(false);
    expect(holdsSameMessage(source, withoutMessageId('Quarterly Figures', 'The figures are attached.'))).toBe(false);
    expect(holdsSameMessage(source, withoutMessageId('Quarterly figures', 'The figures are attached.', null))).toBe(false);
  });
});
