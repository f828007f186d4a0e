import PostalMime from 'postal-mime';
import type { MailAddress, MessagePlan } from '../../mime/message-plan.js';

/**
 * A message given to the emulator as raw MIME (POST /_control/users/{upn}/messages
 * with "mime"). Exchange keeps a message's MIME as it was received, with its
 * Received chain, Thread-Index, X-MS-Exchange-* headers and the sender's own
 * structure (Graph's "Get MIME content of a message" page,
 * learn.microsoft.com/graph/outlook-get-mime-message); the emulator stores the
 * bytes and serves them unchanged from $value. Graph's JSON properties
 * (subject, from, internetMessageId...) come from a summary read once, when
 * the message is added.
 */
export interface RawMimeSummary {
  /** Message-ID with angle brackets; '' when the message has none. */
  messageId: string;
  subject: string;
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  /** Epoch milliseconds of the Date header; null when it is missing or unreadable. */
  sentAt: number | null;
  inReplyTo: string | null;
  references: string[];
  text: string;
  hasAttachments: boolean;
}

export interface RawMime {
  bytes: Buffer;
  summary: RawMimeSummary;
}

const noSender: MailAddress = { name: '', address: '' };

function addressesOf(list: Array<{ name?: string; address?: string; group?: Array<{ name?: string; address?: string }> }> | undefined): MailAddress[] {
  return (list ?? []).flatMap((entry) => (entry.group ?? [entry]).map((member) => ({ name: member.name ?? '', address: member.address ?? '' })));
}

/**
 * Why the emulator refuses to hold these bytes as an Exchange message, or
 * null. An mbox "From " separator line (a line starting "From " whose name
 * is not followed by a colon) belongs to mbox files, not to a message:
 * Exchange receives messages over SMTP, where no such line exists, so its
 * MIME never starts with one. ("From : x", the obsolete syntax RFC 5322 4.5
 * allows, is a From header field and is accepted.)
 */
export function rawMimeRefusal(bytes: Buffer): string | null {
  if (bytes.length === 0) return 'The message is empty.';
  const firstLine = bytes.subarray(0, Math.min(bytes.length, 1000)).toString('latin1').split(/\r?\n/, 1)[0] ?? '';
  if (/^From /.test(firstLine) && !/^From[ \t]*:/.test(firstLine)) {
    return 'The message starts with an mbox "From " separator line, which Exchange never stores; remove that first line.';
  }
  return null;
}

export async function summariseRawMime(bytes: Buffer): Promise<RawMimeSummary> {
  const email = await PostalMime.parse(bytes);
  const header = (name: string) => email.headers.find((entry) => entry.key === name)?.value;
  const sentAt = email.date ? Date.parse(email.date) : NaN;
  const from = addressesOf(email.from ? [email.from] : [])[0] ?? noSender;
  return {
    messageId: header('message-id')?.trim() ?? '',
    subject: email.subject ?? '',
    from,
    to: addressesOf(email.to),
    cc: addressesOf(email.cc),
    sentAt: Number.isNaN(sentAt) ? null : sentAt,
    inReplyTo: header('in-reply-to')?.trim() || null,
    references: header('references')?.match(/<[^<>\s]+>/g) ?? [],
    text: email.text ?? '',
    hasAttachments: email.attachments.length > 0,
  };
}

/** The plan Graph's JSON is rendered from, for a message held as raw MIME. */
export function planOfRaw(summary: RawMimeSummary, number: number, receivedAt: Date): MessagePlan {
  return {
    kind: 'normal',
    messageId: summary.messageId,
    conversationRoot: number,
    subject: summary.subject,
    from: summary.from,
    to: summary.to,
    cc: summary.cc,
    sentAt: summary.sentAt === null ? receivedAt : new Date(summary.sentAt),
    receivedAt,
    ...(summary.inReplyTo ? { inReplyTo: summary.inReplyTo } : {}),
    references: summary.references,
    text: summary.text,
    attachments: [],
    hasAttachments: summary.hasAttachments,
  };
}
