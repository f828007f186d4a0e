import type { ContactBook } from '../state/contact-book.js';
import type { ContactFolder } from '../state/contact-folder.js';
import { contactFieldNames, type ContactRecord } from '../state/contact-record.js';
import { folderId } from '../state/ids.js';
import { rootFolderNumber } from '../state/mail-folder.js';

/** Everything $select may name on a contact (contact resource, learn.microsoft.com/graph/api/resources/contact). */
export const contactProperties: ReadonlySet<string> = new Set(['id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'parentFolderId', ...contactFieldNames]);

/** contactFolder properties (learn.microsoft.com/graph/api/resources/contactfolder). */
export const contactFolderProperties: ReadonlySet<string> = new Set(['id', 'displayName', 'parentFolderId']);

const arrayFields: ReadonlySet<string> = new Set(['businessPhones', 'categories', 'children', 'emailAddresses', 'homePhones', 'imAddresses']);
const addressFields: ReadonlySet<string> = new Set(['businessAddress', 'homeAddress', 'otherAddress']);

export interface ContactView {
  select?: readonly string[] | undefined;
  immutableIds: boolean;
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/** Opaque and new on every update, as Outlook's changeKey is (outlookItem resource). */
function changeKeyOf(book: ContactBook, record: ContactRecord): string {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(book.mailboxNumber, 0);
  bytes.writeUInt32BE(record.number, 4);
  bytes.writeUInt32BE(record.changeCount, 8);
  return `EQAAABYAAA${bytes.toString('base64')}`;
}

/**
 * A contact as Graph answers it. A property never set comes back empty the
 * way Graph's JSON representation shows it: null for a string or the
 * birthday, [] for a collection, {} for an address.
 */
export function contactJson(book: ContactBook, record: ContactRecord, view: ContactView): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: book.idOf(record, view.immutableIds),
    createdDateTime: iso(record.createdAt),
    lastModifiedDateTime: iso(record.lastModifiedAt),
    changeKey: changeKeyOf(book, record),
    parentFolderId: book.folderIdOf(record.folder),
  };
  const fields = record.fields as Record<string, unknown>;
  for (const name of contactFieldNames) {
    const value = fields[name];
    all[name] = value ?? (arrayFields.has(name) ? [] : addressFields.has(name) ? {} : null);
  }
  if (!view.select) return all;
  const result: Record<string, unknown> = { id: all.id };
  for (const property of view.select) result[property] = all[property];
  return result;
}

/** A contact that left the folder: {"id", "@removed": {"reason": "deleted"}} (delta query overview, "Resource representation in the delta query response"). */
export function removedContactJson(id: string): Record<string, unknown> {
  return { id, '@removed': { reason: 'deleted' } };
}

/** The default folder's parent is the mailbox's folder root (msgfolderroot), as in Exchange. */
export function contactFolderJson(book: ContactBook, folder: ContactFolder, select: readonly string[] | undefined): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: book.folderIdOf(folder),
    displayName: folder.displayName,
    parentFolderId: folder.parent === null ? folderId(book.mailboxNumber, rootFolderNumber) : book.folderIdOf(folder.parent),
  };
  if (!select) return all;
  const result: Record<string, unknown> = { id: all.id };
  for (const property of select) result[property] = all[property];
  return result;
}
