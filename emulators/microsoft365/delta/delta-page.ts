import type { ChangeLogEntry, FolderChangeLog } from '../state/change-log.js';
import type { SortedNumbers } from '../state/sorted-numbers.js';
import type { DeltaPosition } from './tokens.js';

export interface DeltaPage {
  items: Record<string, unknown>[];
  /** Where the next link (or, when `finished`, the delta link) points. */
  next: DeltaPosition;
  finished: boolean;
}

/**
 * One folder's items as delta sees them; messages (message-delta.ts) and
 * contacts (contact-delta.ts) each provide one, and the paging below is shared.
 */
export interface DeltaSource {
  /** The change counter of the store the folder belongs to. */
  readonly currentSeq: number;
  readonly log: FolderChangeLog;
  readonly members: SortedNumbers;
  /** A member as the first round lists it; undefined if it is gone. */
  listed(item: number): Record<string, unknown> | undefined;
  /** What a change-log entry reports now: the item in its current state, or its removal from this folder. */
  entry(entry: ChangeLogEntry): Record<string, unknown>;
}

/**
 * One page of per-folder delta. The first round lists the folder's members
 * in order; later rounds replay the folder's change log.
 *
 * The same item comes back more than once, deterministically, as Graph
 * warns it may ("It's possible that a single entity will be contained
 * multiple times in the response, if that entity was changed multiple times",
 * and "Assume that the same item can show up anywhere in the @odata.nextLink
 * sequence and handle that in your merge logic": concepts/delta-query-overview.md):
 *  - a changes round reports every change, not one entry per item: an item
 *    changed twice since the last round is in it twice, on the same page or
 *    on two, each time in its current state;
 *  - an item the first round already listed that changes while the round is
 *    still being paged is listed again on a later page of that round (and is
 *    in the next round too, which starts where this one began).
 */
export function buildDeltaPage(source: DeltaSource, position: DeltaPosition, pageSize: number): DeltaPage {
  if (position.phase === 'initial') return initialPage(source, position, pageSize);
  const start = position.phase === 'caughtUp' ? { ...position, phase: 'changes' as const, until: source.currentSeq } : position;
  return changesPage(source, start, pageSize);
}

function initialPage(source: DeltaSource, position: DeltaPosition, pageSize: number): DeltaPage {
  const listedUpTo = position.after ?? -1;
  const items: Record<string, unknown>[] = [];
  // First the replays: changes since the round began (or since the last page) to items already listed.
  let replayedSeq = position.replayedSeq ?? position.seq;
  let replaysLeft = false;
  for (const entry of source.log.entriesBetween(replayedSeq, source.currentSeq)) {
    // Not listed yet: the listing below reaches it in its latest state.
    if (entry.item > listedUpTo) {
      replayedSeq = entry.seq;
      continue;
    }
    if (items.length >= pageSize) {
      replaysLeft = true;
      break;
    }
    items.push(source.entry(entry));
    replayedSeq = entry.seq;
  }
  const room = pageSize - items.length;
  const { values, more } = room > 0 ? source.members.after(listedUpTo, room) : { values: [], more: true };
  for (const number of values) {
    const item = source.listed(number);
    if (item) items.push(item);
  }
  if (more || replaysLeft) return { items, next: { ...position, after: values[values.length - 1] ?? listedUpTo, replayedSeq }, finished: false };
  return { items, next: caughtUp(position, position.seq), finished: true };
}

function changesPage(source: DeltaSource, position: DeltaPosition, pageSize: number): DeltaPage {
  const until = position.until ?? source.currentSeq;
  const items: Record<string, unknown>[] = [];
  let lastSeq = position.seq;
  let stoppedEarly = false;
  for (const entry of source.log.entriesBetween(position.seq, until)) {
    if (items.length >= pageSize) {
      stoppedEarly = true;
      break;
    }
    items.push(source.entry(entry));
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
