import { DateTime } from 'luxon';
import type { EventFields, EventRecord } from './event-record.js';
import { seriesDates } from './recurrence.js';
import { instantOf, requireZone } from './time-zones.js';

/** One thing calendarView shows: a single instance, an occurrence of a series, or an exception (a changed occurrence). */
export interface EventInstance {
  record: EventRecord;
  type: 'singleInstance' | 'occurrence' | 'exception';
  /** For occurrences and exceptions: the occurrence's original date in the recurrence time zone. */
  date?: string;
  /** For occurrences and exceptions: when the occurrence was meant to start (UTC). */
  originalStart?: DateTime;
  start: DateTime;
  end: DateTime;
  /** The series' fields with the exception's changes applied. */
  fields: EventFields;
}

/** The zone a series' dates are counted in: range.recurrenceTimeZone, else the start's zone (recurrencerange.md). */
export function recurrenceZone(record: EventRecord): string {
  return requireZone(record.recurrence?.range?.recurrenceTimeZone ?? record.fields.start.timeZone ?? 'UTC');
}

export function eventStart(fields: EventFields): DateTime {
  return instantOf(fields.start.dateTime ?? '', fields.start.timeZone ?? 'UTC');
}

export function eventEnd(fields: EventFields): DateTime {
  return instantOf(fields.end.dateTime ?? '', fields.end.timeZone ?? 'UTC');
}

/** What every occurrence of a series shares: its zone, local time of day and length; worked out once per expansion. */
interface SeriesShape {
  zone: string;
  hour: number;
  minute: number;
  second: number;
  durationMs: number;
}

function shapeOf(record: EventRecord): SeriesShape {
  const zone = recurrenceZone(record);
  const start = eventStart(record.fields);
  const local = start.setZone(zone);
  return { zone, hour: local.hour, minute: local.minute, second: local.second, durationMs: eventEnd(record.fields).toMillis() - start.toMillis() };
}

function startOn(shape: SeriesShape, date: string): DateTime {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return DateTime.fromObject({ year, month, day, hour: shape.hour, minute: shape.minute, second: shape.second }, { zone: shape.zone });
}

/** An occurrence's original start: the series' wall-clock time of day on that date, in the recurrence zone (so DST moves the UTC instant, not the local time). */
export function originalStartOf(record: EventRecord, date: string): DateTime {
  return startOn(shapeOf(record), date);
}

function occurrence(record: EventRecord, date: string, shape: SeriesShape = shapeOf(record)): EventInstance {
  const originalStart = startOn(shape, date).toUTC();
  const exception = record.exceptions.find((candidate) => candidate.date === date);
  const base = { record, date, originalStart };
  if (!exception) return { ...base, type: 'occurrence', start: originalStart, end: originalStart.plus(shape.durationMs), fields: record.fields };
  const fields: EventFields = { ...record.fields, ...exception.fields };
  const start = exception.fields.start ? eventStart(fields).toUTC() : originalStart;
  const end = exception.fields.end ? eventEnd(fields).toUTC() : start.plus(shape.durationMs);
  return { ...base, type: 'exception', start, end, fields };
}

/** Whether an occurrence date belongs to the series (cancelled ones included). */
export function isSeriesDate(record: EventRecord, date: string): boolean {
  if (!record.recurrence) return false;
  for (const candidate of seriesDates(record.recurrence, date)) if (candidate === date) return true;
  return false;
}

/** The series' occurrence (or exception) on a date, unless cancelled or not a date of the series. */
export function occurrenceOn(record: EventRecord, date: string): EventInstance | undefined {
  if (record.cancelledDates.includes(date) || !isSeriesDate(record, date)) return undefined;
  return occurrence(record, date);
}

/** The zone's date of an instant, widened by a day either way: an exception may have moved up to a day from its original date. */
function datesAround(instant: DateTime, zone: string, days: number): string {
  return instant.setZone(zone).plus({ days }).toISODate() as string;
}

/**
 * What a window of calendarView shows of one record: a single instance if it
 * overlaps, or the series' occurrences and exceptions that overlap it,
 * cancelled ones left out. "Overlaps" is start < window end and end > window
 * start (calendarView: events that "occur or overlap" the range,
 * learn.microsoft.com/graph/api/user-list-calendarview).
 */
export function instancesIn(record: EventRecord, windowStart: DateTime, windowEnd: DateTime): EventInstance[] {
  const overlaps = (instance: EventInstance): boolean => instance.start < windowEnd && (instance.end > windowStart || (instance.end.equals(instance.start) && instance.start >= windowStart));
  if (!record.recurrence) {
    const single: EventInstance = { record, type: 'singleInstance', start: eventStart(record.fields).toUTC(), end: eventEnd(record.fields).toUTC(), fields: record.fields };
    return overlaps(single) ? [single] : [];
  }
  const shape = shapeOf(record);
  const zone = shape.zone;
  // A long exception or event could start well before the window; a month of slack covers meetings, and exceptions are checked on their own.
  const from = datesAround(windowStart.minus({ days: 31 }), zone, -1);
  const until = datesAround(windowEnd, zone, 1);
  const result: EventInstance[] = [];
  const seen = new Set<string>();
  for (const date of seriesDates(record.recurrence, until)) {
    if (date < from) continue;
    seen.add(date);
    if (record.cancelledDates.includes(date)) continue;
    const instance = occurrence(record, date, shape);
    if (overlaps(instance)) result.push(instance);
  }
  for (const exception of record.exceptions) {
    if (seen.has(exception.date) || record.cancelledDates.includes(exception.date) || !isSeriesDate(record, exception.date)) continue;
    const instance = occurrence(record, exception.date);
    if (overlaps(instance)) result.push(instance);
  }
  return result.sort((a, b) => a.start.toMillis() - b.start.toMillis());
}
