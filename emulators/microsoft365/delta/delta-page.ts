import { messageJson, removedMessageJson, updatedMessageJson, type MessageView } from '../serialize/message-json.js';
import { ChangedAspect, type ChangeLogEntry } from '../state/change-log.js';
import type { MailFolder } from '../state/mail-folder.js';
import type { Mailbox } from '../state/mailbox.js';
import type { DeltaPosition } from './tokens.js';

export interface DeltaPage {
  items: Record<string, unknown>[];
  /** Where the next link (or, when `finished`, the delta link) points. */
  next: DeltaPosition;
  finished: boolean;
}

/**
 * One page of per-folder message delta, the way Graph reports changes:
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
 *
 * The same message comes back more than once, deterministically, as Graph
 * warns it may ("It's possible that a single entity will be contained
 * multiple times in the response, if that entity was changed multiple times",
 * and "Assume that the same item can show up anywhere in the @odata.nextLink
 * sequence and handle that in your merge logic": concepts/delta-query-overview.md):
 *  - a changes round reports every change, not one entry per message: a
 *    message changed twice since the last round is in it twice, on the same
 *    page or on two, each time in its current state;
 *  - a message the first round already listed that changes while the round is
 *    still being paged is listed again on a later page of that round (and is
 *    in the next round too, which starts where this one began).
 */
export function buildDeltaPage(mailbox: Mailbox, folder: MailFolder, position: DeltaPosition, pageSize: number, view: MessageView): DeltaPage {
  if (position.phase === 'initial') return initialPage(mailbox, folder, position, pageSize, view);
  const start = position.phase === 'caughtUp' ? { ...position, phase: 'changes' as const, until: mailbox.currentSeq } : position;
  return changesPage(mailbox, folder, start, pageSize, view);
}

/** What a change-log entry reports now: the message in its current state, or its removal from this folder. */
function entryJson(mailbox: Mailbox, folder: MailFolder, entry: ChangeLogEntry, view: MessageView): Record<string, unknown> {
  const record = mailbox.message(entry.item);
  // Ordinary ids differ per move: an entry of an earlier id version reports that id's removal.
  const present = record !== undefined && record.folder === folder.number && (view.immutableIds || record.moveCount === entry.version);
  if (!present) return removedMessageJson(mailbox.idOf({ number: entry.item, moveCount: entry.version }, view.immutableIds));
  // An in-place update (read, flag, categories) reports only what changed; an arrival reports the whole message.
  return entry.aspects === 0 ? messageJson(mailbox, record, view) : updatedMessageJson(mailbox, record, view, changedProperties(entry.aspects));
}

function initialPage(mailbox: Mailbox, folder: MailFolder, position: DeltaPosition, pageSize: number, view: MessageView): DeltaPage {
  const listedUpTo = position.after ?? -1;
  const items: Record<string, unknown>[] = [];
  // First the replays: changes since the round began (or since the last page) to messages already listed.
  let replayedSeq = position.replayedSeq ?? position.seq;
  let replaysLeft = false;
  for (const entry of folder.log.entriesBetween(replayedSeq, mailbox.currentSeq)) {
    // Not listed yet: the listing below reaches it in its latest state.
    if (entry.item > listedUpTo) {
      replayedSeq = entry.seq;
      continue;
    }
    if (items.length >= pageSize) {
      replaysLeft = true;
      break;
    }
    items.push(entryJson(mailbox, folder, entry, view));
    replayedSeq = entry.seq;
  }
  const room = pageSize - items.length;
  const { values, more } = room > 0 ? folder.members.after(listedUpTo, room) : { values: [], more: true };
  for (const number of values) {
    const record = mailbox.message(number);
    if (record) items.push(messageJson(mailbox, record, view));
  }
  if (more || replaysLeft) return { items, next: { ...position, after: values[values.length - 1] ?? listedUpTo, replayedSeq }, finished: false };
  return { items, next: caughtUp(position, position.seq), finished: true };
}

function changesPage(mailbox: Mailbox, folder: MailFolder, position: DeltaPosition, pageSize: number, view: MessageView): DeltaPage {
  const until = position.until ?? mailbox.currentSeq;
  const items: Record<string, unknown>[] = [];
  let lastSeq = position.seq;
  let stoppedEarly = false;
  for (const entry of folder.log.entriesBetween(position.seq, until)) {
    if (items.length >= pageSize) {
      stoppedEarly = true;
      break;
    }
    items.push(entryJson(mailbox, folder, entry, view));
    lastSeq = entry.seq;
  }
  if (stoppedEarly) return { items, next: { ...position, phase: 'changes', seq: lastSeq, until }, finished: false };
  return { items, next: caughtUp(position, until), finished: true };
}

function caughtUp(position: DeltaPosition, seq: number): DeltaPosition {
  const next: DeltaPosition = { ...position, phase: 'caughtUp', seq };
  delete next.after;
  delete next.until;
  delete next.replayedSeq;
  return next;
}

const aspectProperties: readonly (readonly [number, string])[] = [
  [ChangedAspect.isRead, 'isRead'],
  [ChangedAspect.flag, 'flag'],
  [ChangedAspect.categories, 'categories'],
];

function changedProperties(aspects: number): string[] {
  return aspectProperties.filter(([bit]) => (aspects & bit) !== 0).map(([, property]) => property);
}
