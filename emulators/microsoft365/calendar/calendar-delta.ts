import { decodeSignedPosition, encodeSignedPosition } from '../delta/tokens.js';
import type { DateTime } from 'luxon';
import type { CalendarBook, CalendarChange } from './calendar-book.js';
import type { CalendarRecord, EventRecord } from './event-record.js';
import { instanceJson, type EventView } from './event-json.js';
import { instancesIn, type EventInstance } from './instances.js';

/**
 * Where a client stands in one calendar's calendarView delta, carried in the
 * opaque $skiptoken/$deltatoken. The window is inside the token: "the state
 * tokens encode the startDateTime and endDateTime parameters, and any other
 * query parameter" (concepts/delta-query-events.md), so later requests only
 * replay the link and a window given beside a token is not read.
 *  - initial: the first round lists what the window shows, ordered by (event, date); `after` is the last key listed;
 *  - changes: replaying changes fromSeq < seq <= until; `skip` items of change `seq + …` already sent;
 *  - caughtUp: a delta link; following it starts a changes round from `seq`.
 */
export interface CalendarDeltaPosition {
  kind: 'calendarView';
  mailbox: number;
  calendar: number;
  generation: number;
  start: string;
  end: string;
  phase: 'initial' | 'changes' | 'caughtUp';
  seq: number;
  until?: number;
  after?: string;
  /** In a changes round: the change being sent and how many of its items were sent already. */
  changeSeq?: number;
  skip?: number;
}

export const encodeCalendarToken = (key: Buffer, position: CalendarDeltaPosition): string => encodeSignedPosition(key, position, 'calendarView:');

export const decodeCalendarToken = (key: Buffer, token: string): CalendarDeltaPosition | undefined =>
  decodeSignedPosition<CalendarDeltaPosition>(key, token, (position) => position.kind === 'calendarView' && typeof position.seq === 'number', 'calendarView:');

export interface CalendarDeltaPage {
  items: Record<string, unknown>[];
  next: CalendarDeltaPosition;
  finished: boolean;
}

interface Window {
  start: DateTime;
  end: DateTime;
}

const keyOf = (instance: EventInstance): string => `${String(instance.record.number).padStart(10, '0')}:${instance.date ?? ''}`;
const removed = (id: string): Record<string, unknown> => ({ id, '@removed': { reason: 'deleted' } });

/**
 * What one logged change reports in this calendar's window now
 * (learn.microsoft.com/graph/api/event-delta, v1.0):
 *  - the event's current single instance, occurrences and exceptions in the window, in full;
 *  - `@removed` (reason deleted) for what it showed in the window before the
 *    change and no longer does: a deleted event, a cancelled occurrence, an
 *    event moved to another calendar (it appears, same immutable id, in that
 *    calendar's delta), an occurrence a new pattern dropped;
 *  - `@removed` for the event's own id when the change touched nothing in the
 *    window: the documented "events outside the window that were added,
 *    deleted or updated" — "Filter the events under @removed for the date
 *    range that your scenario requires".
 * A change to a series master thus reports its occurrences in the window.
 */
function changeItems(book: CalendarBook, calendar: CalendarRecord, change: CalendarChange, window: Window, view: EventView): Record<string, unknown>[] {
  const current = book.event(change.event);
  const present: EventRecord | undefined = current && current.calendar === calendar.number ? current : undefined;
  const now = present ? instancesIn(present, window.start, window.end) : [];
  const before = change.before && change.before.calendar === calendar.number ? instancesIn(change.before, window.start, window.end) : [];
  const items: Record<string, unknown>[] = now.map((instance) => instanceJson(book, instance, view) as Record<string, unknown>);
  const nowIds = new Set(now.map((instance) => book.instanceIdOf(instance, view.immutableIds)));
  for (const instance of before) {
    const id = book.instanceIdOf(instance, view.immutableIds);
    if (!nowIds.has(id)) items.push(removed(id));
  }
  if (items.length === 0) items.push(removed(book.idOf(present ?? change.before ?? { number: change.event, moveCount: 0 }, view.immutableIds)));
  return items;
}

/** The last listing per book, calendar and window, valid while the book's change number stays: a first round of many pages expands the calendar once, not once a page. */
const listings = new WeakMap<CalendarBook, Map<string, { seq: number; instances: EventInstance[] }>>();

/** The window's instances in this calendar in listing order (series masters never: calendarView delta lists occurrences and exceptions). */
function listing(book: CalendarBook, calendar: CalendarRecord, window: Window): EventInstance[] {
  const key = `${calendar.number}/${window.start.toMillis()}/${window.end.toMillis()}`;
  const cache = listings.get(book) ?? new Map<string, { seq: number; instances: EventInstance[] }>();
  listings.set(book, cache);
  const cached = cache.get(key);
  if (cached && cached.seq === book.currentSeq) return cached.instances;
  const instances = book
    .eventsIn(calendar)
    .flatMap((record) => instancesIn(record, window.start, window.end))
    .map((instance) => ({ instance, key: keyOf(instance) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ instance }) => instance);
  cache.clear();
  cache.set(key, { seq: book.currentSeq, instances });
  return instances;
}

export function buildCalendarDeltaPage(book: CalendarBook, calendar: CalendarRecord, position: CalendarDeltaPosition, window: Window, pageSize: number, view: EventView): CalendarDeltaPage {
  if (position.phase === 'initial') {
    const remaining = listing(book, calendar, window).filter((instance) => position.after === undefined || keyOf(instance) > position.after);
    const page = remaining.slice(0, pageSize);
    const items = page.map((instance) => instanceJson(book, instance, view) as Record<string, unknown>);
    if (remaining.length > pageSize) return { items, next: { ...position, after: keyOf(page[page.length - 1] as EventInstance) }, finished: false };
    return { items, next: caughtUp(position, position.seq), finished: true };
  }
  const round = position.phase === 'caughtUp' ? { ...position, phase: 'changes' as const, until: book.currentSeq } : position;
  const until = round.until ?? book.currentSeq;
  const items: Record<string, unknown>[] = [];
  for (const change of book.changesBetween(round.seq, until)) {
    // Changes in other calendars are not this calendar's business.
    if (change.calendar !== calendar.number) continue;
    const skip = round.changeSeq === change.seq ? (round.skip ?? 0) : 0;
    const reported = changeItems(book, calendar, change, window, view).slice(skip);
    const room = pageSize - items.length;
    if (reported.length > room) {
      items.push(...reported.slice(0, room));
      return { items, next: { ...round, seq: change.seq - 1, changeSeq: change.seq, skip: skip + room, until }, finished: false };
    }
    items.push(...reported);
  }
  return { items, next: caughtUp(round, until), finished: true };
}

function caughtUp(position: CalendarDeltaPosition, seq: number): CalendarDeltaPosition {
  const next: CalendarDeltaPosition = { ...position, phase: 'caughtUp', seq };
  delete next.after;
  delete next.until;
  delete next.changeSeq;
  delete next.skip;
  return next;
}
