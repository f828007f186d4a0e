import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** test/fixtures/mail-corpus: real-world messages from public projects' test fixtures (see its README). */
export const corpusDir = path.resolve(import.meta.dirname, '../fixtures/mail-corpus');

export interface CorpusMessage {
  /** Path below corpusDir, e.g. "mikel-mail/plain_emails/basic_email_lf.eml". */
  file: string;
  /** The bytes as Exchange would hold them: the file, less an mbox "From " line if it had one. */
  bytes: Buffer;
  sha256: string;
  /** The file began with an mbox "From " separator line, removed here (Exchange never stores one). */
  strippedMboxLine: boolean;
  /** The Message-ID field's value, or null when the message has none. */
  messageId: string | null;
}

const mboxLine = /^From (?![ \t]*:)[^\n]*\n/;

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full);
    return /\.(eml|msg)$/.test(entry.name) ? [full] : [];
  });
}

function messageIdOf(bytes: Buffer): string | null {
  const text = bytes.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const match = /^message-id[ \t]*:[ \t]*(.*)$/im.exec(end < 0 ? text : text.slice(0, end));
  return match?.[1]?.trim() || null;
}

export function loadCorpus(): CorpusMessage[] {
  return listFiles(corpusDir)
    .sort()
    .map((full) => {
      const original = readFileSync(full);
      const head = original.subarray(0, 1000).toString('latin1');
      const mbox = mboxLine.exec(head);
      const bytes = mbox ? original.subarray(Buffer.byteLength(mbox[0], 'latin1')) : original;
      return {
        file: path.relative(corpusDir, full).split(path.sep).join('/'),
        bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        strippedMboxLine: mbox !== null,
        messageId: messageIdOf(bytes),
      };
    });
}

/**
 * Splits the corpus over mailboxes so that no mailbox holds two messages with
 * one Message-ID (the n-th message with a given Message-ID goes to mailbox n):
 * Gmail treats a second import of a Message-ID it holds as the same message,
 * which is another test's subject, not this corpus's.
 */
export function spreadByMessageId(messages: CorpusMessage[]): CorpusMessage[][] {
  const seen = new Map<string, number>();
  const mailboxes: CorpusMessage[][] = [];
  for (const message of messages) {
    const rank = message.messageId === null ? 0 : (seen.get(message.messageId) ?? 0);
    if (message.messageId !== null) seen.set(message.messageId, rank + 1);
    (mailboxes[rank] ??= []).push(message);
  }
  return mailboxes;
}
