import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar/v3.js';
import type { ExportedEvent, CalendarWindow } from '../microsoft365/calendar-export.js';
import { googleEventOf, instanceOverrideOf, type EventMappingContext, type EventRefusal, type InstanceOverride } from './event-mapping.js';
import { occurrenceStartsOf } from './occurrences.js';

/**
 * What the calendar sync copies as one item: a single event, or a whole
 * series (its master, with the exceptions and the occurrences Outlook has
 * inside the window). calendarView delta hands out occurrences, never the
 * master (calendar-contacts-files-facts §0.2), so every occurrence of a page
 * is folded into its series, which becomes one Google recurring event.
 */
export type CalendarItem =
  | { id: string; kind: 'single'; event: ExportedEvent }
  | {
      id: string;
      kind: 'series';
      master: ExportedEvent;
      /** Occurrences and exceptions inside the window (GET /events/{id}/instances). */
      instances: ExportedEvent[];
      window: CalendarWindow;
    };

/** The Google side of an item, as it is to be written. */
export interface PlannedCopy {
  event: calendar_v3.Schema$Event;
  overrides: InstanceOverride[];
  lost: string[];
  refusal?: EventRefusal;
  /** Of what is written: an unchanged item is not written again (a new window round, a replayed change). */
  fingerprint: string;
}

const dayOf = (instant: DateTime, zone: string) => instant.setZone(zone).toISODate()!;

/**
 * The days Outlook no longer has an occurrence on: the master's
 * cancelledOccurrences (beta schema; OGCS reads them in v1.0) and, as they
 * are not documented in v1.0, the days the series' rule gives inside the
 * window that Graph's instances do not list. Outlook keeps at most one
 * occurrence a day (OGCS, Outlook.Graph/O365Recurrence.cs), so a day names it.
 */
function cancelledDaysOf(item: Extract<CalendarItem, { kind: 'series' }>, context: EventMappingContext): string[] {
  const plain = googleEventOf(item.master, context);
  const lines = plain.event.recurrence;
  const zone = plain.event.start?.timeZone ?? 'UTC';
  const days = new Set((item.master.cancelledOccurrences ?? []).map((value) => value.match(/(\d{4}-\d{2}-\d{2})$/)?.[1]).filter((day): day is string => !!day));
  if (!lines || plain.refusal) return [...days];
  const start =
    plain.event.start?.date ??
    DateTime.fromISO(plain.event.start?.dateTime ?? '', { setZone: true })
      .setZone(zone)
      .toFormat("yyyy-LL-dd'T'HH:mm:ss");
  const present = new Set(
    item.instances
      .map((instance) => instance.originalStart)
      .filter((at): at is string => !!at)
      .map((at) => dayOf(DateTime.fromISO(at, { setZone: true }), zone)),
  );
  for (const expected of occurrenceStartsOf(lines, start, zone, new Date(item.window.start), new Date(item.window.end))) {
    const day = dayOf(DateTime.fromJSDate(expected), zone);
    if (!present.has(day)) days.add(day);
  }
  return [...days].sort();
}

/** The Google event (and, for a series, its instance overrides) an item becomes. */
export function planCopy(item: CalendarItem, context: EventMappingContext): PlannedCopy {
  if (item.kind === 'single') {
    const mapped = googleEventOf(item.event, context);
    return { event: mapped.event, overrides: [], lost: mapped.lost, refusal: mapped.refusal, fingerprint: fingerprintOf(mapped.event, []) };
  }
  const mapped = googleEventOf(item.master, { ...context, cancelledOccurrences: cancelledDaysOf(item, context) });
  const overrides = item.instances.filter((instance) => instance.type === 'exception').map((exception) => instanceOverrideOf(exception, item.master, context));
  const lost = [...mapped.lost, ...overrides.flatMap((override) => override.lost)];
  return { event: mapped.event, overrides, lost: [...new Set(lost)], refusal: mapped.refusal, fingerprint: fingerprintOf(mapped.event, overrides) };
}

function fingerprintOf(event: calendar_v3.Schema$Event, overrides: InstanceOverride[]): string {
  return createHash('sha256')
    .update(JSON.stringify([event, overrides.map(({ originalStartTime, patch }) => [originalStartTime, patch])]))
    .digest('base64url');
}

/** An item's title for the items view (kept only where the policy allows subjects). */
export const titleOfItem = (item: CalendarItem): string | null => (item.kind === 'single' ? item.event.subject : item.master.subject) ?? null;
