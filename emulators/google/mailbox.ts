import { invalidArgument, GoogleApiError, notFound } from './errors.js';
import { isReservedLabelName } from './reserved-label-names.js';

export interface StoredLabel {
  id: string;
  name: string;
  type: 'system' | 'user';
  messageListVisibility?: string;
  labelListVisibility?: string;
  color?: { textColor?: string; backgroundColor?: string };
}

export interface MessageHeader {
  name: string;
  value: string;
}

/**
 * What the emulator keeps of an imported message: enough for the Gmail API
 * (labels, headers, dates, size) and the control API, not the body, unless
 * keepRawMessages is on or the message has no Message-ID.
 */
export interface StoredMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  /** Epoch milliseconds. */
  internalDate: number;
  sizeEstimate: number;
  sha256: string;
  historyId: number;
  headers: MessageHeader[];
  /** Decoded Subject, for the control API. */
  subject: string;
  /** The Message-ID header as sent, angle brackets included. */
  messageIdHeader: string | null;
  mimeType: string;
  raw?: Buffer;
  /** Mailbox-clock epoch milliseconds at which it entered Trash or Spam; purged 30 days later. */
  binnedAt?: number;
}

/** Gmail's system labels (ids are also their names). */
export const systemLabelIds: readonly string[] = [
  'CHAT',
  'SENT',
  'INBOX',
  'IMPORTANT',
  'TRASH',
  'DRAFT',
  'SPAM',
  'CATEGORY_FORUMS',
  'CATEGORY_UPDATES',
  'CATEGORY_PERSONAL',
  'CATEGORY_PROMOTIONS',
  'CATEGORY_SOCIAL',
  'STARRED',
  'UNREAD',
];

/**
 * The longest name labels.create accepts: 225 characters, the limit the project's issue gives.
 * Google's pages state none; refusing longer names is the stricter choice.
 */
const maxLabelNameLength = 225;

/** System labels Gmail sets itself and never lets messages.modify add or remove. */
const unmodifiableLabelIds: ReadonlySet<string> = new Set(['SENT', 'DRAFT']);
/**
 * Gmail deletes a message for good once it has spent 30 days in Trash
 * (Gmail Help, "Delete or recover deleted Gmail messages",
 * support.google.com/mail/answer/7401) or in Spam (Keio University's Gmail
 * manual, hc.itc.keio.ac.jp/en/gmail_user_manual_basic_operation_other_spam.html:
 * "automatically deleted after thirty days"). One clock runs from when a
 * message entered either label and stops when it leaves both (emulator's
 * choice where the two meet: the stricter, earlier purge).
 */
export const binRetentionMs = 30 * 24 * 60 * 60 * 1000;

const inBin = (labelIds: readonly string[]) => labelIds.includes('TRASH') || labelIds.includes('SPAM');

/** Normalizes a Message-ID for lookup: no angle brackets, no surrounding space, case kept (ids are case-sensitive). */
export function normalizeMessageId(value: string): string {
  return value.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
}

export class Mailbox {
  readonly labels = new Map<string, StoredLabel>();
  readonly messages = new Map<string, StoredMessage>();
  private readonly byMessageId = new Map<string, Set<string>>();
  /** Ids of messages in Trash or Spam, so a purge looks at those only. */
  private readonly binned = new Set<string>();
  private nextLabelNumber = 1;
  historyId = 1000;

  constructor(
    readonly email: string,
    private readonly onChange: () => void,
    /** The mailbox clock (epoch ms): the emulator's clock plus any advance made through the control API. */
    private readonly now: () => number = Date.now,
  ) {
    for (const id of systemLabelIds) this.labels.set(id, { id, name: id, type: 'system' });
  }

  // ----- labels -----

  /** Validates a user label name as labels.create/update do; `exceptId` is the label being renamed. */
  checkLabelName(rawName: unknown, exceptId?: string): string {
    const name = typeof rawName === 'string' ? rawName.trim() : '';
    const invalid = new GoogleApiError({ status: 400, message: 'Invalid label name', reason: 'invalidArgument', googleStatus: 'INVALID_ARGUMENT' });
    if (name === '' || [...name].length > maxLabelNameLength) throw invalid;
    if (name.startsWith('/') || name.endsWith('/') || name.split('/').some((part) => part.trim() === '')) throw invalid;
    if (isReservedLabelName(name)) throw invalid;
    const lower = name.toLowerCase();
    const clash = lower === '[gmail]' || lower.startsWith('[gmail]/') || [...this.labels.values()].some((label) => label.id !== exceptId && label.name.toLowerCase() === lower);
    // Status ALREADY_EXISTS as reported in the wild; the reason ('duplicate') is the emulator's choice.
    if (clash) throw new GoogleApiError({ status: 409, message: 'Label name exists or conflicts', reason: 'duplicate', googleStatus: 'ALREADY_EXISTS' });
    return name;
  }

  createLabel(input: Omit<StoredLabel, 'id' | 'type'>): StoredLabel {
    const label: StoredLabel = { ...input, id: `Label_${this.nextLabelNumber++}`, type: 'user' };
    this.labels.set(label.id, label);
    this.touch();
    return label;
  }

  userLabel(id: string): StoredLabel {
    const label = this.labels.get(id);
    if (!label) throw notFound();
    if (label.type === 'system') throw invalidArgument(`Invalid label: ${id} is a system label and cannot be changed`);
    return label;
  }

  updateLabel(label: StoredLabel, patch: Partial<Omit<StoredLabel, 'id' | 'type'>>): StoredLabel {
    Object.assign(label, patch);
    this.touch();
    return label;
  }

  deleteLabel(label: StoredLabel): void {
    this.labels.delete(label.id);
    for (const message of this.messages.values()) {
      const index = message.labelIds.indexOf(label.id);
      if (index >= 0) message.labelIds.splice(index, 1);
    }
    this.touch();
  }

  /** Every id must name an existing label; Gmail answers 400 "Invalid label: X" otherwise. */
  checkLabelIds(ids: unknown): string[] {
    if (ids === undefined || ids === null) return [];
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw invalidArgument('labelIds must be a list of label ids');
    for (const id of ids as string[]) if (!this.labels.has(id)) throw invalidArgument(`Invalid label: ${id}`);
    return [...new Set(ids as string[])];
  }

  /**
   * Label ids for messages.modify / batchModify. SENT and DRAFT cannot be
   * applied or removed by hand (Gmail's labels guide, "Can be manually
   * applied: no"); removing SENT answers 400 invalidArgument "Invalid label:
   * SENT" (googleapis/google-api-php-client#1254). DRAFT is refused the same
   * way: the guide puts it in the same row, and the stricter reading wins.
   */
  checkModifiableLabelIds(ids: unknown): string[] {
    const checked = this.checkLabelIds(ids);
    for (const id of checked) if (unmodifiableLabelIds.has(id)) throw invalidArgument(`Invalid label: ${id}`);
    return checked;
  }

  // ----- messages -----

  addMessage(message: Omit<StoredMessage, 'historyId'>): StoredMessage {
    const stored: StoredMessage = { ...message, historyId: this.nextHistoryId() };
    this.messages.set(stored.id, stored);
    this.indexMessageId(stored);
    this.trackBin(stored);
    this.onChange();
    return stored;
  }

  /**
   * The message an import whose Message-ID header matches merges into: Gmail
   * keeps one message per Message-ID. It ignores the second import and merges
   * the labels (google/import-mailbox-to-gmail#56), keeps the first copy's
   * metadata and takes a trashed copy out of Trash (rgladwell/imap-upload#22).
   * A message without a Message-ID is never merged.
   */
  mergeTarget(messageIdHeader: string | null): StoredMessage | undefined {
    if (!messageIdHeader) return undefined;
    // Several can exist only in state saved before merging was modelled: the oldest wins.
    const ids = [...this.idsWithMessageId(messageIdHeader)].sort();
    return ids.length > 0 ? this.messages.get(ids[0]!) : undefined;
  }

  /** Applies a merged import to the message it merged into: labels added, out of Trash. */
  mergeImport(target: StoredMessage, labelIds: string[]): StoredMessage {
    return this.changeLabels(target, labelIds, labelIds.includes('TRASH') ? [] : ['TRASH']);
  }

  /** Deletes for good what has spent 30 days of the mailbox clock in Trash or Spam. */
  purgeExpired(): number {
    const now = this.now();
    let purged = 0;
    for (const id of [...this.binned]) {
      const message = this.messages.get(id);
      if (message?.binnedAt !== undefined && now - message.binnedAt >= binRetentionMs) {
        this.deleteMessage(message);
        purged++;
      }
    }
    return purged;
  }

  message(id: string): StoredMessage {
    const message = this.messages.get(id);
    if (!message) throw notFound();
    return message;
  }

  /** Message ids whose Message-ID header matches (with or without angle brackets). */
  idsWithMessageId(messageId: string): ReadonlySet<string> {
    return this.byMessageId.get(normalizeMessageId(messageId)) ?? new Set();
  }

  /** Gmail threads a reply with the message it answers; otherwise a message starts its own thread. */
  threadFor(references: string[], newId: string): string {
    for (const reference of references) {
      for (const id of this.idsWithMessageId(reference)) {
        const parent = this.messages.get(id);
        if (parent) return parent.threadId;
      }
    }
    return newId;
  }

  changeLabels(message: StoredMessage, add: string[], remove: string[]): StoredMessage {
    const labels = new Set(message.labelIds);
    for (const id of remove) labels.delete(id);
    for (const id of add) labels.add(id);
    message.labelIds = [...labels];
    message.historyId = this.nextHistoryId();
    this.trackBin(message);
    this.onChange();
    return message;
  }

  deleteMessage(message: StoredMessage): void {
    this.messages.delete(message.id);
    this.binned.delete(message.id);
    if (message.messageIdHeader) {
      const key = normalizeMessageId(message.messageIdHeader);
      const ids = this.byMessageId.get(key);
      ids?.delete(message.id);
      if (ids?.size === 0) this.byMessageId.delete(key);
    }
    this.touch();
  }

  snapshot(): MailboxSnapshot {
    return {
      email: this.email,
      nextLabelNumber: this.nextLabelNumber,
      historyId: this.historyId,
      labels: [...this.labels.values()].filter((label) => label.type === 'user'),
      messages: [...this.messages.values()].map(({ raw, ...message }) => ({ ...message, raw: raw?.toString('base64') })),
    };
  }

  static fromSnapshot(snapshot: MailboxSnapshot, onChange: () => void, now?: () => number): Mailbox {
    const mailbox = new Mailbox(snapshot.email, onChange, now);
    mailbox.nextLabelNumber = snapshot.nextLabelNumber;
    mailbox.historyId = snapshot.historyId;
    for (const label of snapshot.labels) mailbox.labels.set(label.id, label);
    for (const { raw, ...message } of snapshot.messages) {
      const stored: StoredMessage = raw === undefined ? message : { ...message, raw: Buffer.from(raw, 'base64') };
      mailbox.messages.set(stored.id, stored);
      mailbox.indexMessageId(stored);
      if (stored.binnedAt !== undefined) mailbox.binned.add(stored.id);
    }
    return mailbox;
  }

  /** Starts the 30-day clock when a message enters Trash or Spam; stops it when it leaves both. */
  private trackBin(message: StoredMessage): void {
    if (inBin(message.labelIds)) {
      message.binnedAt ??= this.now();
      this.binned.add(message.id);
    } else {
      delete message.binnedAt;
      this.binned.delete(message.id);
    }
  }

  private indexMessageId(message: StoredMessage): void {
    if (!message.messageIdHeader) return;
    const key = normalizeMessageId(message.messageIdHeader);
    let ids = this.byMessageId.get(key);
    if (!ids) this.byMessageId.set(key, (ids = new Set()));
    ids.add(message.id);
  }

  private nextHistoryId(): number {
    return ++this.historyId;
  }

  private touch(): void {
    this.nextHistoryId();
    this.onChange();
  }
}

export interface MailboxSnapshot {
  email: string;
  nextLabelNumber: number;
  historyId: number;
  labels: StoredLabel[];
  messages: Array<Omit<StoredMessage, 'raw'> & { raw?: string }>;
}
