import type { ContactBook } from '../state/contact-book.js';
import type { ContactFolder } from '../state/contact-folder.js';
import type { ContactRecord } from '../state/contact-record.js';
import { decodeContactFolderId, decodeContactId } from '../state/ids.js';
import type { GraphContext } from './env.js';
import { itemNotFound, malformedId } from './graph-error.js';

/**
 * A contact folder by id. Graph documents no well-known names for contact
 * folders (user-list-contactfolders, contactfolder-get take an {id}), so
 * anything that is not one of our folder ids is malformed (400
 * ErrorInvalidIdMalformed), like any other bad Exchange id; an id of a
 * folder that does not exist is 404 ErrorItemNotFound, as for mail.
 */
export function lookupContactFolder(c: GraphContext, book: ContactBook, reference: string): ContactFolder | Response {
  const folder = book.resolveFolder(reference);
  if (folder) return folder;
  return decodeContactFolderId(reference) ? itemNotFound(c) : malformedId(c);
}

/** A contact by id, optionally only if it is in `folder` (the contactFolders/{id}/contacts/{id} form). */
export function lookupContact(c: GraphContext, book: ContactBook, reference: string, folder?: ContactFolder): ContactRecord | Response {
  if (!decodeContactId(reference)) return malformedId(c);
  const record = book.findContact(reference);
  if (!record || (folder && record.folder !== folder.number)) return itemNotFound(c);
  return record;
}
