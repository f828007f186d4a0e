import { randomBytes, randomInt } from 'node:crypto';
import { createRandom, mixSeed } from '../../mime/random.js';
import { sampleMessageSize } from '../../mime/size-distribution.js';
import type { SeededMessageKind } from '../../mime/message-plan.js';
import { AppCredentials, type CredentialsInit, type CredentialsSnapshot } from '../identity/credentials.js';
import { Directory, type DirectoryGroup, type DirectoryUser, type NewGroup, type NewUser } from './directory.js';
import { Mailbox, type MessageChanges, type MessageRecord } from './mailbox.js';
import { folderNumberOf, type MailFolder } from './mail-folder.js';
import type { RawMime } from './raw-mime.js';

/** The kinds the control API and tests ask for; "encrypted" alternates S/MIME and IRM. */
export type RequestedMessageKind = 'normal' | 'oversized' | 'encrypted' | 'unsupported';

export interface AddMessagesRequest {
  count: number;
  /** Well-known name, folder id or display-name path such as "Inbox/Projects"; Inbox by default. */
  folder?: string;
  kind?: RequestedMessageKind;
  /** Epoch seconds; now by default. */
  receivedAt?: number;
  isRead?: boolean;
  /** Messages without a Message-ID header (and so without internetMessageId). */
  withoutMessageId?: boolean;
}

export interface TenantSettings {
  domain: string;
  oversizedBytes: number;
  changeLogRetention: number;
}

export class TenantError extends Error {
  constructor(
    readonly code: 'UserNotFound' | 'FolderNotFound' | 'MessageNotFound' | 'ContactNotFound' | 'ContactFolderNotFound' | 'EventNotFound',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Everything the emulated tenant holds: the app registration, the directory
 * and one mailbox per user. Tests and the demo call these methods directly;
 * the HTTP routes are thin layers over them.
 */
export class TenantState {
  readonly credentials: AppCredentials;
  readonly directory = new Directory();
  readonly settings: TenantSettings;
  private tokenKey: Buffer = randomBytes(32);
  private readonly mailboxes = new Map<number, Mailbox>();
  private nextMailboxNumber = 1;
  private readonly changeListeners = new Set<() => void>();

  constructor(settings: TenantSettings, credentials: CredentialsInit = {}) {
    this.settings = { ...settings };
    this.credentials = new AppCredentials(credentials);
  }

  get domain(): string {
    return this.settings.domain;
  }

  /** Key for the integrity check of delta and skip tokens. */
  get stateKey(): Buffer {
    return this.tokenKey;
  }

  /** Removes every user, group and mailbox (the app registration stays). */
  clear(): void {
    this.directory.clear();
    this.mailboxes.clear();
    this.nextMailboxNumber = 1;
    this.changed();
  }

  /** Persistence only: identity and keys as saved. */
  restoreIdentity(saved: { domain: string; credentials: CredentialsSnapshot; stateKey: string }): void {
    this.settings.domain = saved.domain;
    this.credentials.restore(saved.credentials);
    this.tokenKey = Buffer.from(saved.stateKey, 'base64');
  }

  // ---- users and groups ----------------------------------------------------

  addUser(input: NewUser, options: { mailboxSeed?: number } = {}): DirectoryUser {
    const mailboxNumber = this.nextMailboxNumber;
    const user = this.directory.addUser(input, mailboxNumber);
    this.nextMailboxNumber++;
    const mailbox = new Mailbox({
      number: mailboxNumber,
      seed: options.mailboxSeed ?? randomInt(0, 0x7fffffff),
      owner: { name: user.displayName, address: user.mail ?? user.userPrincipalName },
      changeLogRetention: this.settings.changeLogRetention,
    });
    this.mailboxes.set(mailboxNumber, mailbox);
    this.changed();
    return user;
  }

  findUser(idOrUpn: string): DirectoryUser | undefined {
    return this.directory.findUser(idOrUpn);
  }

  requireUser(idOrUpn: string): DirectoryUser {
    const user = this.directory.findUser(idOrUpn);
    if (!user) throw new TenantError('UserNotFound', `No user with id or userPrincipalName "${idOrUpn}" exists in the tenant.`);
    return user;
  }

  mailboxOf(user: DirectoryUser): Mailbox {
    const mailbox = this.mailboxes.get(user.mailboxNumber);
    if (!mailbox) throw new Error(`Mailbox ${user.mailboxNumber} of ${user.userPrincipalName} is missing`);
    return mailbox;
  }

  /** Deleting a user removes the mailbox with it: every later call for either answers 404. */
  deleteUser(user: DirectoryUser): void {
    this.directory.deleteUser(user);
    this.mailboxes.delete(user.mailboxNumber);
    this.changed();
  }

  setAccountEnabled(user: DirectoryUser, enabled: boolean): void {
    user.accountEnabled = enabled;
    this.changed();
  }

  /** Exchange Online's side of the user: whether a mailbox exists, and whether an application access policy lets the app in. */
  setMailboxState(user: DirectoryUser, state: Partial<Pick<DirectoryUser, 'hasMailbox' | 'applicationAccess'>>): void {
    if (state.hasMailbox !== undefined) user.hasMailbox = state.hasMailbox;
    if (state.applicationAccess !== undefined) user.applicationAccess = state.applicationAccess;
    this.changed();
  }

  renameUser(user: DirectoryUser, userPrincipalName: string): void {
    this.directory.renameUser(user, userPrincipalName);
    this.changed();
  }

  addGroup(input: NewGroup): DirectoryGroup {
    const group = this.directory.addGroup(input);
    this.changed();
    return group;
  }

  deleteGroup(group: DirectoryGroup): void {
    this.directory.deleteGroup(group);
    this.changed();
  }

  // ---- mail ------------------------------------------------------------------

  addFolder(user: DirectoryUser, path: string, options: { hidden?: boolean } = {}): MailFolder {
    const mailbox = this.mailboxOf(user);
    const segments = path.split('/').filter(Boolean);
    let parent = mailbox.folderByPath('');
    let walked = '';
    for (const segment of segments) {
      walked = walked ? `${walked}/${segment}` : segment;
      const existing = mailbox.folderByPath(walked);
      parent = existing ?? mailbox.addFolder(segment, parent?.number ?? 0, options);
    }
    if (!parent) throw new Error('The root folder is missing');
    this.changed();
    return parent;
  }

  resolveFolder(mailbox: Mailbox, reference: string): MailFolder {
    const folder = mailbox.resolveFolder(reference) ?? mailbox.folderByPath(reference);
    if (!folder) throw new TenantError('FolderNotFound', `No folder "${reference}" in the mailbox of ${mailbox.owner.address}.`);
    return folder;
  }

  /** Adds mail the way new mail arrives: logged for delta, received now unless told otherwise. */
  addMessages(user: DirectoryUser, request: AddMessagesRequest): MessageRecord[] {
    const mailbox = this.mailboxOf(user);
    const folder = request.folder ? this.resolveFolder(mailbox, request.folder) : mailbox.folder(folderNumberOf('inbox'));
    if (!folder) throw new Error('The inbox is missing');
    const receivedAt = request.receivedAt ?? Math.floor(Date.now() / 1000);
    const records: MessageRecord[] = [];
    const firstPosition = mailbox.messageCount;
    for (let i = 0; i < request.count; i++) {
      const kind = this.storedKind(request.kind ?? 'normal', firstPosition + i);
      const random = createRandom(mixSeed(mailbox.seed, 0x5eed, mailbox.currentSeq, i));
      const size = kind === 'oversized' ? this.settings.oversizedBytes : sampleMessageSize(random);
      records.push(mailbox.addMessage({ folder: folder.number, receivedAt, size, kind, isRead: request.isRead ?? false, withoutMessageId: request.withoutMessageId ?? false }));
    }
    this.changed();
    return records;
  }

  /** Adds one message given as raw MIME (raw-mime.ts), logged for delta like new mail. */
  addRawMessage(user: DirectoryUser, raw: RawMime, request: { folder?: string; isRead?: boolean; receivedAt?: number } = {}): MessageRecord {
    const mailbox = this.mailboxOf(user);
    const folder = request.folder ? this.resolveFolder(mailbox, request.folder) : mailbox.folder(folderNumberOf('inbox'));
    if (!folder) throw new Error('The inbox is missing');
    const record = mailbox.addRawMessage({ folder: folder.number, receivedAt: request.receivedAt ?? Math.floor(Date.now() / 1000), isRead: request.isRead ?? false }, raw);
    this.changed();
    return record;
  }

  /** Changes flags and, with `folder`, moves the message (its ordinary id changes). */
  updateMessage(user: DirectoryUser, record: MessageRecord, changes: MessageChanges & { folder?: string }): void {
    const mailbox = this.mailboxOf(user);
    const destination = changes.folder === undefined ? undefined : this.resolveFolder(mailbox, changes.folder);
    const flagChanges: MessageChanges = { isRead: changes.isRead, flagStatus: changes.flagStatus, categories: changes.categories };
    if (Object.values(flagChanges).some((value) => value !== undefined)) mailbox.updateMessage(record, flagChanges);
    if (destination) mailbox.moveMessage(record, destination.number);
    this.changed();
  }

  deleteMessage(user: DirectoryUser, record: MessageRecord): void {
    this.mailboxOf(user).deleteMessage(record);
    this.changed();
  }

  /**
   * A copy of a message in another folder (Graph's message: copy): a new item
   * with its own ids and the same content, Message-ID included.
   */
  copyMessage(user: DirectoryUser, record: MessageRecord, folder: string): MessageRecord {
    const mailbox = this.mailboxOf(user);
    const destination = this.resolveFolder(mailbox, folder);
    const copy = mailbox.addMessage({
      folder: destination.number,
      receivedAt: record.receivedAt,
      size: record.size,
      kind: record.kind,
      outgoing: record.outgoing,
      isRead: record.isRead,
      flagStatus: record.flagStatus,
      categories: record.categories,
      contentOf: record.contentOf ?? record.number,
      ...(record.withoutMessageId ? { withoutMessageId: true } : {}),
    });
    this.changed();
    return copy;
  }

  /**
   * The user (or an archive policy) moves a message to the online archive
   * mailbox. Its immutable id changes with the mailbox ("Obtain immutable
   * identifiers for Outlook resources": the id changes when "the user moves
   * the item to an archive mailbox"), and the archive is not this mailbox, so
   * for a client of the primary mailbox it leaves exactly as a deleted
   * message does: @removed in its folder's delta, 404 for its old ids.
   */
  moveToArchiveMailbox(user: DirectoryUser, record: MessageRecord): void {
    this.mailboxOf(user).deleteMessage(record);
    this.changed();
  }

  requireMessage(user: DirectoryUser, id: string): MessageRecord {
    const record = this.mailboxOf(user).findMessage(id);
    if (!record) throw new TenantError('MessageNotFound', `No message with id "${id}" in the mailbox of ${user.userPrincipalName}.`);
    return record;
  }

  allMailboxes(): Mailbox[] {
    return [...this.mailboxes.values()];
  }

  /** Used by persistence to put a restored mailbox back. */
  restoreMailbox(mailbox: Mailbox): void {
    this.mailboxes.set(mailbox.number, mailbox);
    this.nextMailboxNumber = Math.max(this.nextMailboxNumber, mailbox.number + 1);
  }

  // ---- change notification (persistence) -----------------------------------

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  private storedKind(requested: RequestedMessageKind, position: number): SeededMessageKind {
    switch (requested) {
      case 'normal':
        return 'normal';
      case 'oversized':
        return 'oversized';
      case 'encrypted':
        return position % 2 === 0 ? 'smime' : 'irm';
      case 'unsupported':
        return 'tnef';
    }
  }
}
