import { createHash } from 'node:crypto';
import PostalMime from 'postal-mime';
import { invalidArgument } from './errors.js';
import type { MessageHeader } from './mailbox.js';

export interface ParsedMessage {
  headers: MessageHeader[];
  subject: string;
  messageIdHeader: string | null;
  /** Epoch milliseconds of the Date header, when it parses. */
  date: number | null;
  /** Message-IDs this message answers (In-Reply-To, References), for threading. */
  references: string[];
  mimeType: string;
  sha256: string;
}

/**
 * A field name (RFC 5322 3.6.8: printable ASCII except colon) and its colon.
 * RFC 5322 4.5 (obsolete syntax, which readers must accept) allows white
 * space between the name and the colon: "Subject : x" is a header field.
 */
const headerLinePattern = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
/** "From " and no colon after the name: the mbox separator line, not a header field. */
const fromFieldPattern = /^from[ \t]*:/i;
const crlfcrlf = Buffer.from('\r\n\r\n');
const lflf = Buffer.from('\n\n');

function headerSection(raw: Buffer): Buffer {
  const candidates = [raw.indexOf(crlfcrlf), raw.indexOf(lflf)].filter((index) => index >= 0);
  return candidates.length === 0 ? raw : raw.subarray(0, Math.min(...candidates));
}

/** How many top-level From fields the header section has (folded lines excluded). */
function countFromFields(section: Buffer): number {
  return section
    .toString('latin1')
    .split(/\r?\n/)
    .filter((line) => fromFieldPattern.test(line)).length;
}

/**
 * Reads what the emulator keeps of a message from its header section only, so
 * a 100 MB attachment costs no parsing, and refuses what Gmail's import
 * refuses:
 * - a message that does not start with a header field is not RFC 822
 *   (400 invalidArgument; the wording is the emulator's choice). An mbox
 *   "From " separator line is refused this way too: it is not a header field.
 * - no From field, or more than one: 400 "Expected a single 'From' header"
 *   (google/import-mailbox-to-gmail#23, where a Google maintainer explains it);
 * - a From field without an address: 400 "Invalid From header"
 *   (GAM-team/got-your-back#61).
 * Everything else is accepted and stored byte for byte (the sha256 is of the
 * bytes as received, whatever their line endings or 8-bit content).
 */
export async function parseMessage(raw: Buffer): Promise<ParsedMessage> {
  const section = headerSection(raw);
  const firstLine = section.subarray(0, Math.min(section.length, 1000)).toString('latin1').split(/\r?\n/, 1)[0] ?? '';
  if (!headerLinePattern.test(firstLine)) {
    throw invalidArgument('Invalid raw message: it does not start with an RFC 822 header section.');
  }
  if (countFromFields(section) !== 1) throw invalidArgument("Expected a single 'From' header");
  const email = await PostalMime.parse(Buffer.concat([section, crlfcrlf]));
  if (!email.from?.address?.includes('@') && !email.from?.group?.some((member) => member.address?.includes('@'))) {
    throw invalidArgument('Invalid From header');
  }
  const headers = email.headers.map((header) => ({ name: header.originalKey || header.key, value: header.value }));
  const valueOf = (name: string) => email.headers.find((header) => header.key === name)?.value;
  const references = [valueOf('in-reply-to'), valueOf('references')].flatMap((value) => value?.match(/<[^<>\s]+>/g) ?? []);
  const date = email.date ? Date.parse(email.date) : NaN;
  const contentType = valueOf('content-type')?.split(';', 1)[0]?.trim().toLowerCase();
  return {
    headers,
    subject: email.subject ?? '',
    messageIdHeader: valueOf('message-id')?.trim() || null,
    date: Number.isNaN(date) ? null : date,
    references,
    mimeType: contentType || 'text/plain',
    sha256: createHash('sha256').update(raw).digest('hex'),
  };
}
