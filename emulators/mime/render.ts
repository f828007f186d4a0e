import MailComposer, { type MailComposerAttachment, type MailComposerOptions } from 'nodemailer/lib/mail-composer';
import { createRandom, mixSeed } from './random.js';
import { bodySentences } from './vocabulary.js';
import type { MessagePlan, PlannedAttachment } from './message-plan.js';

/** The four bytes every TNEF stream starts with (0x223E9F78, little endian). */
const tnefSignature = Buffer.from([0x78, 0x9f, 0x3e, 0x22]);

function attachmentContent(attachment: PlannedAttachment): Buffer {
  if (attachment.contentType.startsWith('text/')) {
    const random = createRandom(attachment.seed);
    const lines: string[] = [];
    let length = 0;
    while (length < attachment.size) {
      const line = random.pick(bodySentences);
      lines.push(line);
      length += line.length + 2;
    }
    return Buffer.from(lines.join('\r\n')).subarray(0, attachment.size);
  }
  const bytes = createRandom(attachment.seed).bytes(attachment.size);
  if (attachment.contentType === 'application/ms-tnef') tnefSignature.copy(bytes, 0);
  return bytes;
}

function toComposerAttachment(attachment: PlannedAttachment): MailComposerAttachment {
  return {
    filename: attachment.filename,
    contentType: attachment.contentType,
    content: attachmentContent(attachment),
    contentTransferEncoding: 'base64',
  };
}

/**
 * RFC 822 bytes of a planned message, built with nodemailer's MailComposer.
 * Boundaries, Message-ID and Date come from the plan, so the same plan always
 * renders to the same bytes.
 */
export async function renderMessage(plan: MessagePlan): Promise<Buffer> {
  const headers: Record<string, string> = { 'X-MS-Has-Attach': plan.hasAttachments ? 'yes' : '' };
  if (plan.kind === 'irm') headers['Content-Class'] = 'rpmsg.message';
  if (plan.standInForSize !== undefined) headers['X-Emulator-Stand-In-For-Size'] = String(plan.standInForSize);

  const options: MailComposerOptions = {
    from: plan.from,
    to: plan.to,
    ...(plan.cc.length > 0 ? { cc: plan.cc } : {}),
    subject: plan.subject,
    messageId: plan.messageId,
    date: plan.sentAt,
    ...(plan.inReplyTo ? { inReplyTo: plan.inReplyTo, references: plan.references } : {}),
    headers,
    baseBoundary: mixSeed(plan.conversationRoot, plan.sentAt.getTime()).toString(16).padStart(8, '0'),
    boundaryPrefix: '--_emu',
    newline: 'windows',
    attachments: plan.attachments.map(toComposerAttachment),
  };
  // S/MIME and TNEF messages carry their payload as the only body part:
  // leaving out the text makes MailComposer put the attachment at the root.
  if (plan.kind !== 'smime' && plan.kind !== 'tnef') options.text = plan.text;
  const bytes = await new MailComposer(options).compile().build();
  return plan.withoutMessageId ? withoutHeader(bytes, 'message-id') : bytes;
}

/** MailComposer always writes a Message-ID; a message planned without one has it taken out of the header section. */
function withoutHeader(message: Buffer, name: string): Buffer {
  const end = message.indexOf('\r\n\r\n');
  const lines = message.subarray(0, end).toString('latin1').split('\r\n');
  const kept: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (!skipping) kept.push(line);
      continue;
    }
    skipping = line.slice(0, line.indexOf(':')).trim().toLowerCase() === name;
    if (!skipping) kept.push(line);
  }
  return Buffer.concat([Buffer.from(kept.join('\r\n'), 'latin1'), message.subarray(end)]);
}
