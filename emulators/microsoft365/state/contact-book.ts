import type { ChangeLogSnapshot } from './change-log.js';
import { ContactFolder, defaultContactFolderName, defaultContactFolderNumber } from './contact-folder.js';
import type { ContactFields, ContactPhoto, ContactRecord } from './contact-record.js';
import { contactFolderId, contactId, decodeContactFolderId, decodeContactId, immutableContactId } from './ids.js';

export interface ContactBookSnapshot {
  seq: number;
  nextFolderNumber: number;
  nextContactNumber: number;
  folders: { number: number; displayName: string; parent: number | null; log: ChangeLogSnapshot }[];
  /** Photos as base64 of their bytes. */
  contacts: (Omit<ContactRecord, 'photo'> & { photo?: Omit<ContactPhoto, 'bytes'> & { base64: string } })[];
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * The contacts of one mailbox: the default Contacts folder, the folders
 * nested below it, and the contacts in them. Each folder logs arrivals,
 * updates, departures and deletions for per-folder contact delta
 * (learn.microsoft.com/graph/api/contact-delta), numbered by this book's own
 * change counter.
 */
export class ContactBook {
  private readonly folders = new Map<number, ContactFolder>();
  private readonly contacts = new Map<number, ContactRecord>();
  private nextFolderNumber = defaultContactFolderNumber + 1;
  /** Contact numbers are never reused, so a deleted contact's id never points at another one. */
  private nextContactNumber = 0;
  private seq = 0;

  constructor(
    readonly mailboxNumber: number,
    private readonly changeLogRetention: number,
  ) {
    this.folders.set(defaultContactFolderNumber, new ContactFolder(defaultContactFolderNumber, defaultContactFolderName, null, changeLogRetention));
  }

  get currentSeq(): number {
    return this.seq;
  }

  get contactCount(): number {
    return this.contacts.size;
  }

  // ---- folders -------------------------------------------------------------

  get defaultFolder(): ContactFolder {
    return this.folders.get(defaultContactFolderNumber) as ContactFolder;
  }

  folder(number: number): ContactFolder | undefined {
    return this.folders.get(number);
  }

  /** A folder by its id (no well-known names: Graph documents none for contact folders). */
  resolveFolder(id: string): ContactFolder | undefined {
    const decoded = decodeContactFolderId(id);
    return decoded && decoded.mailbox === this.mailboxNumber ? this.folders.get(decoded.item) : undefined;
  }

  folderIdOf(folder: ContactFolder | number): string {
    return contactFolderId(this.mailboxNumber, typeof folder === 'number' ? folder : folder.number);
  }

  childFolders(parent: number): ContactFolder[] {
    return [...this.folders.values()].filter((folder) => folder.parent === parent);
  }

  allFolders(): ContactFolder[] {
    return [...this.folders.values()];
  }

  /** A folder by display-name path below the default folder ("Clients/Key accounts"; "" is the default folder), case-insensitive. */
  folderByPath(path: string): ContactFolder | undefined {
    let current: ContactFolder | undefined = this.defaultFolder;
    for (const segment of splitPath(path)) {
      current = this.childFolders(current.number).find((child) => child.displayName.toLowerCase() === segment.toLowerCase());
      if (!current) return undefined;
    }
    return current;
  }

  /** The folder at a path, creating the missing ones below the default folder. */
  ensureFolderPath(path: string): ContactFolder {
    let current = this.defaultFolder;
    for (const segment of splitPath(path)) {
      current = this.childFolders(current.number).find((child) => child.displayName.toLowerCase() === segment.toLowerCase()) ?? this.addFolder(segment, current.number);
    }
    return current;
  }

  /** "Clients/Key accounts" for a folder below the default one; "" for the default folder itself. */
  pathOf(folder: ContactFolder): string {
    const names: string[] = [];
    let current: ContactFolder | undefined = folder;
    while (current && current.parent !== null) {
      names.unshift(current.displayName);
      current = this.folders.get(current.parent);
    }
    return names.join('/');
  }

  addFolder(displayName: string, parent: number, number?: number): ContactFolder {
    if (!this.folders.has(parent)) throw new Error(`Contact folder ${parent} does not exist in mailbox ${this.mailboxNumber}`);
    const assigned = number ?? this.nextFolderNumber;
    this.nextFolderNumber = Math.max(this.nextFolderNumber, assigned + 1);
    const folder = new ContactFolder(assigned, displayName, parent, this.changeLogRetention);
    this.folders.set(assigned, folder);
    return folder;
  }

  // ---- contacts ------------------------------------------------------------

  /** Adds a contact; `recordChange: false` is for bulk seeding, followed by forgetChangeHistory(). */
  addContact(folderNumber: number, fields: ContactFields, options: { recordChange?: boolean; createdAt?: number; photo?: ContactPhoto } = {}): ContactRecord {
    const folder = this.requireFolder(folderNumber);
    const createdAt = options.createdAt ?? nowSeconds();
    const record: ContactRecord = {
      number: this.nextContactNumber++,
      folder: folder.number,
      moveCount: 0,
      fields: withoutUndefined(fields),
      createdAt,
      lastModifiedAt: createdAt,
      changeCount: 0,
      ...(options.photo ? { photo: options.photo } : {}),
    };
    this.contacts.set(record.number, record);
    folder.members.add(record.number);
    if (options.recordChange !== false) folder.log.append(++this.seq, record.number, record.moveCount);
    return record;
  }

  contact(number: number): ContactRecord | undefined {
    return this.contacts.get(number);
  }

  /** The contact an ordinary or immutable id points at, if it (still) exists under that id. */
  findContact(id: string): ContactRecord | undefined {
    const decoded = decodeContactId(id);
    if (!decoded || decoded.mailbox !== this.mailboxNumber) return undefined;
    const record = this.contacts.get(decoded.item);
    if (!record) return undefined;
    if (!decoded.immutable && decoded.version !== (record.moveCount & 0xffff)) return undefined;
    return record;
  }

  idOf(record: Pick<ContactRecord, 'number' | 'moveCount'>, immutable: boolean): string {
    return immutable ? immutableContactId(this.mailboxNumber, record.number) : contactId(this.mailboxNumber, record.number, record.moveCount);
  }

  /** Replaces the given properties (null clears one); a new changeKey and lastModifiedDateTime, and an entry in the folder's delta. */
  updateContact(record: ContactRecord, changes: ContactFields): void {
    const folder = this.requireFolder(record.folder);
    record.fields = withoutUndefined({ ...record.fields, ...changes });
    this.touch(record);
    folder.log.append(++this.seq, record.number, record.moveCount);
  }

  /**
   * A new photo. Not logged: delta does not track navigation properties
   * (learn.microsoft.com/graph/delta-query-overview, "Navigation properties
   * are not supported"), and photo is one on contact. The changeKey and
   * lastModifiedDateTime stay too, so nothing a client reads from the
   * contact tells it the photo changed: the stricter reading.
   */
  setPhoto(record: ContactRecord, photo: ContactPhoto | undefined): void {
    if (photo) record.photo = photo;
    else delete record.photo;
  }

  /** Removal from the source folder's delta, arrival in the destination's; the ordinary id changes, the immutable one stays. */
  moveContact(record: ContactRecord, destination: number): void {
    const target = this.requireFolder(destination);
    const source = this.requireFolder(record.folder);
    if (target === source) return;
    source.members.delete(record.number);
    source.log.append(++this.seq, record.number, record.moveCount);
    record.moveCount++;
    record.folder = target.number;
    target.members.add(record.number);
    this.touch(record);
    target.log.append(++this.seq, record.number, record.moveCount);
  }

  deleteContact(record: ContactRecord): void {
    const folder = this.requireFolder(record.folder);
    folder.members.delete(record.number);
    folder.log.append(++this.seq, record.number, record.moveCount);
    this.contacts.delete(record.number);
  }

  *allContacts(): Generator<ContactRecord> {
    yield* this.contacts.values();
  }

  /** After bulk seeding: changes so far are not replayable. */
  forgetChangeHistory(): void {
    this.seq++;
    for (const folder of this.folders.values()) folder.log.truncateThrough(this.seq);
  }

  // ---- persistence ---------------------------------------------------------

  toSnapshot(): ContactBookSnapshot {
    return {
      seq: this.seq,
      nextFolderNumber: this.nextFolderNumber,
      nextContactNumber: this.nextContactNumber,
      folders: this.allFolders().map((folder) => ({ number: folder.number, displayName: folder.displayName, parent: folder.parent, log: folder.log.toSnapshot() })),
      contacts: [...this.contacts.values()].map(({ photo, ...record }) => ({
        ...record,
        ...(photo ? { photo: { contentType: photo.contentType, width: photo.width, height: photo.height, base64: photo.bytes.toString('base64') } } : {}),
      })),
    };
  }

  restore(snapshot: ContactBookSnapshot): void {
    for (const saved of [...snapshot.folders].sort((a, b) => a.number - b.number)) {
      const folder = this.folders.get(saved.number) ?? this.addFolder(saved.displayName, saved.parent ?? defaultContactFolderNumber, saved.number);
      folder.displayName = saved.displayName;
      folder.log.restore(saved.log);
    }
    for (const { photo, ...saved } of snapshot.contacts) {
      const record: ContactRecord = { ...saved, ...(photo ? { photo: { contentType: photo.contentType, width: photo.width, height: photo.height, bytes: Buffer.from(photo.base64, 'base64') } } : {}) };
      this.contacts.set(record.number, record);
      this.requireFolder(record.folder).members.add(record.number);
    }
    this.seq = snapshot.seq;
    this.nextFolderNumber = snapshot.nextFolderNumber;
    this.nextContactNumber = snapshot.nextContactNumber;
  }

  private touch(record: ContactRecord): void {
    record.changeCount++;
    record.lastModifiedAt = Math.max(nowSeconds(), record.createdAt);
  }

  private requireFolder(number: number): ContactFolder {
    const folder = this.folders.get(number);
    if (!folder) throw new Error(`Contact folder ${number} does not exist in mailbox ${this.mailboxNumber}`);
    return folder;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.trim() !== '');
}

function withoutUndefined(fields: ContactFields): ContactFields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as ContactFields;
}
