import type { Mailbox, StoredMessage } from './mailbox.js';

/** One message as the control API and the programmatic API show it. */
export interface ControlMessageView {
  id: string;
  threadId: string;
  /** The Message-ID header, angle brackets included, or null when the message had none. */
  messageId: string | null;
  subject: string;
  labelIds: string[];
  labels: Array<{ id: string; name: string }>;
  /** ISO 8601 */
  internalDate: string;
  internalDateMs: number;
  sizeEstimate: number;
  sha256: string;
}

export function controlMessageView(message: StoredMessage, mailbox: Mailbox): ControlMessageView {
  return {
    id: message.id,
    threadId: message.threadId,
    messageId: message.messageIdHeader,
    subject: message.subject,
    labelIds: [...message.labelIds],
    labels: message.labelIds.map((id) => ({ id, name: mailbox.labels.get(id)?.name ?? id })),
    internalDate: new Date(message.internalDate).toISOString(),
    internalDateMs: message.internalDate,
    sizeEstimate: message.sizeEstimate,
    sha256: message.sha256,
  };
}
