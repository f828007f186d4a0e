import { CalendarBook } from '../calendar/calendar-book.js';
import { planMessage, type MailAddress, type MessagePlan, type SeededMessageKind } from '../../mime/message-plan.js';
import { ChangedAspect } from './change-log.js';
import { ContactBook } from './contact-book.js';
import { decodeFolderId, decodeMessageId, folderId, immutableMessageId, messageId } from './ids.js';
import { planOfRaw, type RawMime } from './raw-mime.js';
import { defaultFolders, firstCustomFolderNumber, folderNumberOf, MailFolder, rootFolderNumber, wellKnownFolderNumbers } from './mail-folder.js';

export type FlagStatus = 'notFlagged' | 'flagged' | 'complete';

/**
 * One message as the emulator keeps it: numbers and flags only. Subject,
 * addresses and MIME bytes are derived on demand from (mailbox seed, number),
 * which is what lets 500,000 messages fit in a few tens of megabytes.
 * Times are whole epoch seconds (Graph reports second precision).
 */
export interface MessageRecord {
  readonly number: number;
  folder: number;
  /** Bumped on every move; part of the ordinary (non-immutable) id. */
  moveCount: number;
  readonly receivedAt: number;
  lastModifiedAt: number;
  /** Reported through PidTagMessageSize. */
  readonly size: number;
  readonly kind: SeededMessageKind;
  readonly outgoing: boolean;
  isRead: boolean;
  flagStatus: FlagStatus;
  categories: readonly string[];
  changeCount: number;
  /**
   * A copy renders the content of this message number, Message-ID included:
   * a Message-ID names one message (RFC 5322 section 3.6.4), so every copy of
   * it, like the Sent Items and Inbox copies of a message sent to oneself, carries the same one.
   */
  readonly contentOf?: number;
  /** The message has no Message-ID header (mail imported from elsewhere may lack one). */
  readonly withoutMessageId?: boolean;
}

export interface NewMessage {
  folder: number;
  receivedAt: number;
  size: number;
  kind?: SeededMessageKind;
  outgoing?: boolean;
  isRead?: boolean;
  flagStatus?: FlagStatus;
  categories?: readonly string[];
  contentOf?: number;
  withoutMessageId?: boolean;
}

export interface MessageChanges {
  isRead?: boolean;
  flagStatus?: FlagStatus;
  categories?: readonly string[];
}

export interface MailboxCounters {
  seq: number;
  deltaGeneration: number;
  nextFolderNumber: number;
  nextMessageNumber: number;
}

export interface MailboxInit {
  number: number;
  seed: number;
  owner: MailAddress;
  changeLogRetention: number;
}

const noCategories: readonly string[] = Object.freeze([]);
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export class Mailbox {
  readonly number: number;
  readonly seed: number;
  /** The owner as at mailbox creation: rendered MIME must not change when the user is renamed. */
  readonly owner: MailAddress;
  private readonly changeLogRetention: number;
  private readonly folders = new Map<number, MailFolder>();
  private readonly messages: (MessageRecord | undefined)[] = [];
  /** Messages given as raw MIME (raw-mime.ts), by message number; all others are rendered from the seed. */
  private readonly rawMessages = new Map<number, RawMime>();
  private nextFolderNumber = firstCustomFolderNumber;
  /** Message numbers are never reused, so a deleted message's id never points at another one. */
  private nextMessageNumber = 0;
  private seq = 0;
  private liveMessages = 0;
  /** Bumped to invalidate every outstanding delta and next link of this mailbox (mail and contacts). */
  deltaGeneration = 1;
  /** The mailbox's Outlook contacts and contact folders. */
  readonly contacts: ContactBook;
  /** The mailbox's calendars and events (calendar/calendar-book.ts). */
  readonly calendars: CalendarBook;

  constructor(init: MailboxInit) {
    this.number = init.number;
    this.seed = init.seed;
    this.owner = init.owner;
    this.changeLogRetention = init.changeLogRetention;
    this.contacts = new ContactBook(init.number, init.changeLogRetention);
    this.calendars = new CalendarBook(init.number, () => ({ name: this.owner.name, address: this.owner.address }), init.changeLogRetention);
    for (const folder of defaultFolders) {
      this.folders.set(folder.number, new MailFolder(folder.number, folder.displayName, folder.parent, folder.name, false, this.changeLogRetention));
    }
  }

  get currentSeq(): number {
    return this.seq;
  }

  get messageCount(): number {
    return this.liveMessages;
  }

  // ---- folders -----------------------------------------------------------

  folder(number: number): MailFolder | undefined {
    return this.folders.get(number);
  }

  /** A folder by id or well-known name (case-insensitive), as Graph URLs accept. */
  resolveFolder(reference: string): MailFolder | undefined {
    const wellKnown = wellKnownFolderNumbers.get(reference.toLowerCase());
    if (wellKnown !== undefined) return this.folders.get(wellKnown);
    const decoded = decodeFolderId(reference);
    return decoded && decoded.mailbox === this.number ? this.folders.get(decoded.item) : undefined;
  }

  /** A folder by display-name path below the root, e.g. "Inbox/Projects/2024" (case-insensitive). */
  folderByPath(path: string): MailFolder | undefined {
    let current = this.folders.get(rootFolderNumber);
    for (const segment of path.split('/').filter(Boolean)) {
      current = this.childFolders(current?.number ?? -1, true).find((child) => child.displayName.toLowerCase() === segment.toLowerCase());
      if (!current) return undefined;
    }
    return current;
  }

  childFolders(parent: number, includeHidden: boolean): MailFolder[] {
    const children: MailFolder[] = [];
    for (const folder of this.folders.values()) {
      if (folder.parent === parent && (includeHidden || !folder.hidden)) children.push(folder);
    }
    return children;
  }

  addFolder(displayName: string, parent: number, options: { hidden?: boolean; number?: number } = {}): MailFolder {
    if (!this.folders.has(parent)) throw new Error(`Parent folder ${parent} does not exist in mailbox ${this.owner.address}`);
    const number = options.number ?? this.nextFolderNumber;
    this.nextFolderNumber = Math.max(this.nextFolderNumber, number + 1);
    const folder = new MailFolder(number, displayName, parent, null, options.hidden ?? false, this.changeLogRetention);
    this.folders.set(number, folder);
    return folder;
  }

  allFolders(): MailFolder[] {
    return [...this.folders.values()];
  }

  folderIdOf(folder: MailFolder | number): string {
    return folderId(this.number, typeof folder === 'number' ? folder : folder.number);
  }

  // ---- messages ----------------------------------------------------------

  /** Adds a message; `recordChange: false` is for bulk seeding, followed by forgetChangeHistory(). */
  addMessage(init: NewMessage, options: { recordChange?: boolean; number?: number } = {}): MessageRecord {
    const folder = this.requireFolder(init.folder);
    const number = options.number ?? this.nextMessageNumber;
    this.nextMessageNumber = Math.max(this.nextMessageNumber, number + 1);
    const record: MessageRecord = {
      number,
      folder: folder.number,
      moveCount: 0,
      receivedAt: init.receivedAt,
      lastModifiedAt: init.receivedAt,
      size: init.size,
      kind: init.kind ?? 'normal',
      outgoing: init.outgoing ?? folder.number === folderNumberOf('sentitems'),
      isRead: init.isRead ?? false,
      flagStatus: init.flagStatus ?? 'notFlagged',
      categories: init.categories && init.categories.length > 0 ? Object.freeze([...init.categories]) : noCategories,
      changeCount: 0,
      ...(init.contentOf !== undefined ? { contentOf: init.contentOf } : {}),
      ...(init.withoutMessageId ? { withoutMessageId: true } : {}),
    };
    this.messages[number] = record;
    this.liveMessages++;
    folder.members.add(number);
    if (!record.isRead) folder.unreadCount++;
    if (options.recordChange !== false) folder.log.append(++this.seq, number, record.moveCount);
    return record;
  }

  message(number: number): MessageRecord | undefined {
    return this.messages[number];
  }

  /** The message an ordinary or immutable id points at, if it (still) exists under that id. */
  findMessage(id: string): MessageRecord | undefined {
    const decoded = decodeMessageId(id);
    if (!decoded || decoded.mailbox !== this.number) return undefined;
    const record = this.messages[decoded.item];
    if (!record) return undefined;
    if (!decoded.immutable && decoded.version !== (record.moveCount & 0xffff)) return undefined;
    return record;
  }

  idOf(record: Pick<MessageRecord, 'number' | 'moveCount'>, immutable: boolean): string {
    return immutable ? immutableMessageId(this.number, record.number) : messageId(this.number, record.number, record.moveCount);
  }

  /** Adds a message held as raw MIME; its size is the byte count, as Exchange reports it. */
  addRawMessage(init: Omit<NewMessage, 'size' | 'kind'>, raw: RawMime, options: { recordChange?: boolean; number?: number } = {}): MessageRecord {
    const number = options.number ?? this.nextMessageNumber;
    this.requireFolder(init.folder);
    this.rawMessages.set(number, raw);
    return this.addMessage({ ...init, size: raw.bytes.length, kind: 'normal' }, { ...options, number });
  }

  /** The stored MIME of a message given as raw MIME; undefined for seeded ones. */
  rawMime(record: Pick<MessageRecord, 'number'>): RawMime | undefined {
    return this.rawMessages.get(record.number);
  }

  *allRawMessages(): Generator<[number, RawMime]> {
    yield* this.rawMessages;
  }

  plan(record: MessageRecord): MessagePlan {
    const raw = this.rawMessages.get(record.number);
    if (raw) return planOfRaw(raw.summary, record.number, new Date(record.receivedAt * 1000));
    return planMessage({
      mailboxSeed: this.seed,
      index: record.contentOf ?? record.number,
      withoutMessageId: record.withoutMessageId ?? false,
      owner: this.owner,
      receivedAt: new Date(record.receivedAt * 1000),
      targetSize: record.size,
      kind: record.kind,
      outgoing: record.outgoing,
    });
  }

  updateMessage(record: MessageRecord, changes: MessageChanges): void {
    const folder = this.requireFolder(record.folder);
    if (changes.isRead !== undefined && changes.isRead !== record.isRead) {
      folder.unreadCount += changes.isRead ? -1 : 1;
      record.isRead = changes.isRead;
    }
    if (changes.flagStatus !== undefined) record.flagStatus = changes.flagStatus;
    if (changes.categories !== undefined) record.categories = changes.categories.length > 0 ? Object.freeze([...changes.categories]) : noCategories;
    this.touch(record);
    const aspects =
      (changes.isRead !== undefined ? ChangedAspect.isRead : 0) | (changes.flagStatus !== undefined ? ChangedAspect.flag : 0) | (changes.categories !== undefined ? ChangedAspect.categories : 0);
    folder.log.append(++this.seq, record.number, record.moveCount, aspects);
  }

  /**
   * Moves a message. Like Exchange, the ordinary id changes (the old one then
   * answers 404) while the immutable id stays. Per-folder delta sees the move
   * as a removal in the source folder and a new message in the destination.
   */
  moveMessage(record: MessageRecord, destination: number): void {
    const target = this.requireFolder(destination);
    const source = this.requireFolder(record.folder);
    if (target === source) return;
    source.members.delete(record.number);
    if (!record.isRead) source.unreadCount--;
    source.log.append(++this.seq, record.number, record.moveCount);
    record.moveCount++;
    record.folder = target.number;
    target.members.add(record.number);
    if (!record.isRead) target.unreadCount++;
    this.touch(record);
    target.log.append(++this.seq, record.number, record.moveCount);
  }

  deleteMessage(record: MessageRecord): void {
    const folder = this.requireFolder(record.folder);
    folder.members.delete(record.number);
    if (!record.isRead) folder.unreadCount--;
    folder.log.append(++this.seq, record.number, record.moveCount);
    this.messages[record.number] = undefined;
    this.rawMessages.delete(record.number);
    this.liveMessages--;
  }

  /** Every outstanding delta link and next link of this mailbox answers 410 from now on. */
  expireDeltaTokens(): void {
    this.deltaGeneration++;
  }

  /** After bulk seeding: changes so far are not replayable, so tokens from before answer 410. */
  forgetChangeHistory(): void {
    this.seq++;
    for (const folder of this.folders.values()) folder.log.truncateThrough(this.seq);
  }

  *allMessages(): Generator<MessageRecord> {
    for (const record of this.messages) if (record) yield record;
  }

  counters(): MailboxCounters {
    return { seq: this.seq, deltaGeneration: this.deltaGeneration, nextFolderNumber: this.nextFolderNumber, nextMessageNumber: this.nextMessageNumber };
  }

  /** Persistence only: counters as saved. */
  restoreCounters(counters: MailboxCounters): void {
    this.seq = counters.seq;
    this.deltaGeneration = counters.deltaGeneration;
    this.nextFolderNumber = counters.nextFolderNumber;
    this.nextMessageNumber = counters.nextMessageNumber;
  }

  /** Persistence only: puts a saved message back as it was, without logging a change. */
  restoreMessage(record: MessageRecord, raw?: RawMime): void {
    if (raw) this.rawMessages.set(record.number, raw);
    const folder = this.requireFolder(record.folder);
    this.messages[record.number] = record;
    this.liveMessages++;
    folder.members.add(record.number);
    if (!record.isRead) folder.unreadCount++;
  }

  private touch(record: MessageRecord): void {
    record.changeCount++;
    record.lastModifiedAt = Math.max(nowSeconds(), record.receivedAt);
  }

  private requireFolder(number: number): MailFolder {
    const folder = this.folders.get(number);
    if (!folder) throw new Error(`Folder ${number} does not exist in mailbox ${this.owner.address}`);
    return folder;
  }
}
