import { messageJson, removedMessageJson, updatedMessageJson, type MessageView } from '../serialize/message-json.js';
import { ChangedAspect } from '../state/change-log.js';
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
 * The same message may come back more than once across pages and rounds;
 * clients must tolerate replays, as with Graph.
 */
export function buildDeltaPage(mailbox: Mailbox, folder: MailFolder, position: DeltaPosition, pageSize: number, view: MessageView): DeltaPage {
  if (position.phase === 'initial') return initialPage(mailbox, folder, position, pageSize, view);
  const start = position.phase === 'caughtUp' ? { ...position, phase: 'changes' as const, until: mailbox.currentSeq } : position;
  return changesPage(mailbox, folder, start, pageSize, view);
}

function initialPage(mailbox: Mailbox, folder: MailFolder, position: DeltaPosition, pageSize: number, view: MessageView): DeltaPage {
  const { values, more } = folder.members.after(position.after ?? -1, pageSize);
  const items: Record<string, unknown>[] = [];
  for (const number of values) {
    const record = mailbox.message(number);
    if (record) items.push(messageJson(mailbox, record, view));
  }
  if (more) return { items, next: { ...position, after: values[values.length - 1] ?? position.after ?? -1 }, finished: false };
  return { items, next: caughtUp(position, position.seq), finished: true };
}

function changesPage(mailbox: Mailbox, folder: MailFolder, position: DeltaPosition, pageSize: number, view: MessageView): DeltaPage {
  const until = position.until ?? mailbox.currentSeq;
  // Ordinary ids differ per move, so each (message, id version) is its own entry;
  // immutable ids collapse a message's history into its current state.
  const changed = new Map<string, { item: number; version: number; aspects: number }>();
  let lastSeq = position.seq;
  let stoppedEarly = false;
  for (const entry of folder.log.entriesBetween(position.seq, until)) {
    const key = view.immutableIds ? String(entry.item) : `${entry.item}:${entry.version}`;
    const seen = changed.get(key);
    if (!seen && changed.size >= pageSize) {
      stoppedEarly = true;
      break;
    }
    // Any entry that is not an in-place update (arrival, departure) makes the whole message due.
    const aspects = seen === undefined ? entry.aspects : seen.aspects === 0 || entry.aspects === 0 ? 0 : seen.aspects | entry.aspects;
    changed.set(key, { item: entry.item, version: entry.version, aspects });
    lastSeq = entry.seq;
  }

  const items = [...changed.values()].map(({ item, version, aspects }) => {
    const record = mailbox.message(item);
    const present = record !== undefined && record.folder === folder.number && (view.immutableIds || record.moveCount === version);
    if (!present) return removedMessageJson(mailbox.idOf({ number: item, moveCount: version }, view.immutableIds));
    return aspects === 0 ? messageJson(mailbox, record, view) : updatedMessageJson(mailbox, record, view, changedProperties(aspects));
  });
  if (stoppedEarly) return { items, next: { ...position, phase: 'changes', seq: lastSeq, until }, finished: false };
  return { items, next: caughtUp(position, until), finished: true };
}

function caughtUp(position: DeltaPosition, seq: number): DeltaPosition {
  const next: DeltaPosition = { ...position, phase: 'caughtUp', seq };
  delete next.after;
  delete next.until;
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
