import { createRandom, mixSeed, type SeededRandom } from './random.js';
import { attachmentKinds, bodySentences, closingLines, externalDomains, givenNames, openingLines, protectedMessageNotice, subjectQualifiers, subjectTopics, surnames } from './vocabulary.js';

/**
 * What a seeded message looks like, decided from (mailbox seed, message index)
 * alone. Listing endpoints call planMessage() for metadata (subject, sender,
 * Message-ID) and renderMessage() turns the same plan into RFC 822 bytes, so
 * nothing but a few numbers per message has to be kept in memory.
 */
export type SeededMessageKind = 'normal' | 'oversized' | 'smime' | 'irm' | 'tnef';

export interface MailAddress {
  name: string;
  address: string;
}

export interface MessagePlanInput {
  /** Seed of the mailbox; with `index` it fixes every generated detail. */
  mailboxSeed: number;
  /** Stable number of the message inside its mailbox. */
  index: number;
  owner: MailAddress;
  receivedAt: Date;
  /** Size the rendered message should come close to, in bytes (ignored for oversized stand-ins). */
  targetSize: number;
  kind: SeededMessageKind;
  /** Sent by the owner (Sent Items) rather than received. */
  outgoing?: boolean;
  /** Render without a Message-ID header (messageId still names it for threading). */
  withoutMessageId?: boolean;
}

export interface PlannedAttachment {
  filename: string;
  contentType: string;
  /** Decoded size in bytes. */
  size: number;
  seed: number;
}

export interface MessagePlan {
  kind: SeededMessageKind;
  messageId: string;
  /** The rendered message carries no Message-ID header, and Graph reports no internetMessageId. */
  withoutMessageId?: boolean;
  /** Index of the first message of the conversation (itself when it starts one). */
  conversationRoot: number;
  subject: string;
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  sentAt: Date;
  receivedAt: Date;
  inReplyTo?: string;
  references: string[];
  text: string;
  attachments: PlannedAttachment[];
  hasAttachments: boolean;
  /** Size to report for an item whose real bytes are a small stand-in (oversized kind). */
  standInForSize?: number;
}

/** Messages come in blocks of four; the first 1-4 of a block form one conversation. */
const threadBlockSize = 4;
/** Headers, greeting and signature take roughly this many bytes. */
const baseMessageBytes = 1400;
/** Base64 at 76 characters a line plus CRLF grows content by about this factor. */
const base64Growth = (4 / 3) * (78 / 76);
const averageSentenceBytes = 76;
const textOnlyLimitBytes = 24 * 1024;
const standInAttachmentBytes = 32 * 1024;

function messageRandom(mailboxSeed: number, index: number, purpose: number): SeededRandom {
  return createRandom(mixSeed(mailboxSeed, index, purpose));
}

function conversationRootOf(mailboxSeed: number, index: number): number {
  const blockStart = index - (index % threadBlockSize);
  const length = 1 + (mixSeed(mailboxSeed, blockStart, 7) % threadBlockSize);
  return length > 1 && index - blockStart < length ? blockStart : index;
}

function rootSubject(mailboxSeed: number, rootIndex: number): string {
  const random = messageRandom(mailboxSeed, rootIndex, 1);
  return `${random.pick(subjectTopics)}${random.pick(subjectQualifiers)}`;
}

/** Message-ID of any message of a mailbox, computable without planning the whole message. */
export function seededMessageId(mailboxSeed: number, index: number, ownerAddress: string): string {
  const domain = ownerAddress.split('@')[1] ?? 'mail.example';
  const hash = mixSeed(mailboxSeed, index, 2).toString(16).padStart(8, '0');
  return `<${hash}.${index.toString(36)}@${domain}>`;
}

function person(random: SeededRandom, domain: string): MailAddress {
  const given = random.pick(givenNames);
  const family = random.pick(surnames);
  return { name: `${given} ${family}`, address: `${given}.${family}@${domain}`.toLowerCase() };
}

function correspondent(random: SeededRandom, owner: MailAddress): MailAddress {
  const ownDomain = owner.address.split('@')[1] ?? 'mail.example';
  const domain = random.chance(0.4) ? ownDomain : random.pick(externalDomains);
  return person(random, domain);
}

function sentences(random: SeededRandom, count: number): string {
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (let i = 0; i < count; i++) {
    current.push(random.pick(bodySentences));
    if (current.length >= random.int(3, 6)) {
      paragraphs.push(current.join(' '));
      current = [];
    }
  }
  if (current.length > 0) paragraphs.push(current.join(' '));
  return paragraphs.join('\r\n\r\n');
}

function bodyText(random: SeededRandom, recipient: MailAddress, sender: MailAddress, sentenceCount: number): string {
  const firstName = recipient.name.split(' ')[0] ?? recipient.name;
  const opening = random.pick(openingLines).replace('{name}', firstName);
  return `${opening}\r\n\r\n${sentences(random, sentenceCount)}\r\n\r\n${random.pick(closingLines)}\r\n${sender.name}\r\n`;
}

function plannedAttachments(random: SeededRandom, totalEncodedBytes: number): PlannedAttachment[] {
  const count = totalEncodedBytes > 200_000 && random.chance(0.3) ? 2 : 1;
  const decodedTotal = Math.max(1024, Math.floor(totalEncodedBytes / base64Growth));
  const attachments: PlannedAttachment[] = [];
  for (let i = 0; i < count; i++) {
    const kind = random.pick(attachmentKinds);
    const size = count === 1 ? decodedTotal : i === 0 ? Math.floor(decodedTotal * 0.7) : decodedTotal - Math.floor(decodedTotal * 0.7);
    attachments.push({
      filename: `${kind.base}-${random.int(100, 999)}.${kind.extension}`,
      contentType: kind.contentType,
      size,
      seed: random.int(0, 0x7fffffff),
    });
  }
  return attachments;
}

function specialAttachments(kind: SeededMessageKind, random: SeededRandom): PlannedAttachment[] {
  const seed = random.int(0, 0x7fffffff);
  switch (kind) {
    case 'smime':
      return [{ filename: 'smime.p7m', contentType: 'application/pkcs7-mime; smime-type=enveloped-data', size: random.int(4_000, 60_000), seed }];
    case 'irm':
      return [{ filename: 'message.rpmsg', contentType: 'application/x-microsoft-rpmsg-message', size: random.int(8_000, 80_000), seed }];
    case 'tnef':
      return [{ filename: 'winmail.dat', contentType: 'application/ms-tnef', size: random.int(3_000, 40_000), seed }];
    case 'oversized':
      return [{ filename: 'site-survey-recording.mp4', contentType: 'video/mp4', size: standInAttachmentBytes, seed }];
    case 'normal':
      return [];
  }
}

export function planMessage(input: MessagePlanInput): MessagePlan {
  const random = messageRandom(input.mailboxSeed, input.index, 3);
  const conversationRoot = conversationRootOf(input.mailboxSeed, input.index);
  const baseSubject = rootSubject(input.mailboxSeed, conversationRoot);
  const isReply = conversationRoot !== input.index;
  const other = correspondent(random, input.owner);
  const from = input.outgoing ? input.owner : other;
  const to = input.outgoing ? [other] : [input.owner];
  const cc = random.chance(0.25) ? [correspondent(random, input.owner)] : [];
  const sentAt = new Date(input.receivedAt.getTime() - random.int(5, 900) * 1000);
  const references: string[] = [];
  for (let i = conversationRoot; i < input.index; i++) references.push(seededMessageId(input.mailboxSeed, i, input.owner.address));

  let text: string;
  let attachments: PlannedAttachment[];
  if (input.kind === 'normal') {
    const wantsAttachment = input.targetSize > textOnlyLimitBytes || random.chance(0.15);
    const textBudget = wantsAttachment ? random.int(3, 8) * averageSentenceBytes : input.targetSize - baseMessageBytes;
    const sentenceCount = Math.max(2, Math.round(textBudget / averageSentenceBytes));
    text = bodyText(random, to[0] ?? input.owner, from, sentenceCount);
    attachments = wantsAttachment ? plannedAttachments(random, Math.max(0, input.targetSize - baseMessageBytes - text.length)) : [];
  } else {
    text =
      input.kind === 'irm'
        ? `${protectedMessageNotice}\r\n`
        : input.kind === 'oversized'
          ? `${bodyText(random, to[0] ?? input.owner, from, 3)}\r\n[Emulator stand-in: this item reports ${input.targetSize} bytes; only its metadata matters.]\r\n`
          : '';
    attachments = specialAttachments(input.kind, random);
  }

  return {
    kind: input.kind,
    messageId: seededMessageId(input.mailboxSeed, input.index, input.owner.address),
    ...(input.withoutMessageId ? { withoutMessageId: true } : {}),
    conversationRoot,
    subject: isReply ? `RE: ${baseSubject}` : baseSubject,
    from,
    to,
    cc,
    sentAt,
    receivedAt: input.receivedAt,
    ...(isReply ? { inReplyTo: references[references.length - 1] } : {}),
    references,
    text,
    attachments,
    hasAttachments: attachments.length > 0,
    ...(input.kind === 'oversized' ? { standInForSize: input.targetSize } : {}),
  };
}
