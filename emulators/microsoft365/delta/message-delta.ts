import { messageJson, removedMessageJson, updatedMessageJson, type MessageView } from '../serialize/message-json.js';
import { ChangedAspect, type ChangeLogEntry } from '../state/change-log.js';
import type { MailFolder } from '../state/mail-folder.js';
import type { Mailbox } from '../state/mailbox.js';
import type { DeltaSource } from './delta-page.js';

/**
 * Per-folder message delta, the way Graph reports changes:
 *  - a new message, or one that entered the folder, comes back whole (with
 *    the selected properties);
 *  - a message changed in place (read/unread, flag, categories) comes back
 *    partial: its id, the properties that changed and parentFolderId, even
 *    when $select asked for more. The delta query overview promises only
 *    "at least the properties that have been updated"
 *    (learn.microsoft.com/graph/delta-query-overview), and a read toggle is
 *    reported returning exactly id, isRead and parentFolderId
 *    (microsoftgraph/microsoft-graph-docs#7776): the stricter reading;
 *  - a deleted message comes back as `@removed`;
 *  - a message moved to another folder is `@removed` in the source folder's
 *    delta and appears as a new message in the destination folder's delta
 *    (delta is per folder; without ImmutableId it also has a new id there).
 */
export function messageDeltaSource(mailbox: Mailbox, folder: MailFolder, view: MessageView): DeltaSource {
  return {
    currentSeq: mailbox.currentSeq,
    log: folder.log,
    members: folder.members,
    listed(number) {
      const record = mailbox.message(number);
      return record ? messageJson(mailbox, record, view) : undefined;
    },
    entry: (entry) => entryJson(mailbox, folder, entry, view),
  };
}

function entryJson(mailbox: Mailbox, folder: MailFolder, entry: ChangeLogEntry, view: MessageView): Record<string, unknown> {
  const record = mailbox.message(entry.item);
  // Ordinary ids differ per move: an entry of an earlier id version reports that id's removal.
  const present = record !== undefined && record.folder === folder.number && (view.immutableIds || record.moveCount === entry.version);
  if (!present) return removedMessageJson(mailbox.idOf({ number: entry.item, moveCount: entry.version }, view.immutableIds));
  // An in-place update (read, flag, categories) reports only what changed; an arrival reports the whole message.
  return entry.aspects === 0 ? messageJson(mailbox, record, view) : updatedMessageJson(mailbox, record, view, changedProperties(entry.aspects));
}

const aspectProperties: readonly (readonly [number, string])[] = [
  [ChangedAspect.isRead, 'isRead'],
  [ChangedAspect.flag, 'flag'],
  [ChangedAspect.categories, 'categories'],
];

function changedProperties(aspects: number): string[] {
  return aspectProperties.filter(([bit]) => (aspects & bit) !== 0).map(([, property]) => property);
}
