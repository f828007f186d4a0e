import { contactJson, removedContactJson, type ContactView } from '../serialize/contact-json.js';
import type { ContactBook } from '../state/contact-book.js';
import type { ContactFolder } from '../state/contact-folder.js';
import type { DeltaSource } from './delta-page.js';

/**
 * Per-folder contact delta (learn.microsoft.com/graph/api/contact-delta):
 *  - a new contact, one that entered the folder, or one changed in place
 *    comes back whole, in its current state, with the $select-ed
 *    properties (id always: "The id property is always returned");
 *  - a deleted contact, or one moved to another folder, is
 *    {"id", "@removed": {"reason": "deleted"}} in this folder's delta; a
 *    moved one is new in the destination folder's delta (delta is per folder).
 *    Without ImmutableId the moved contact also has a new id there.
 *  - a photo change is not logged at all (ContactBook.setPhoto).
 */
export function contactDeltaSource(book: ContactBook, folder: ContactFolder, view: ContactView): DeltaSource {
  return {
    currentSeq: book.currentSeq,
    log: folder.log,
    members: folder.members,
    listed(number) {
      const record = book.contact(number);
      return record ? contactJson(book, record, view) : undefined;
    },
    entry(entry) {
      const record = book.contact(entry.item);
      const present = record !== undefined && record.folder === folder.number && (view.immutableIds || record.moveCount === entry.version);
      return present ? contactJson(book, record, view) : removedContactJson(book.idOf({ number: entry.item, moveCount: entry.version }, view.immutableIds));
    },
  };
}
