import { DateTime } from 'luxon';
import type { EventFields, EventRecord, ExceptionFields } from './event-record.js';
import { eventStart, isSeriesDate, recurrenceZone } from './instances.js';
import { RecurrenceError } from './recurrence.js';
import type { ExceptionBody } from './control-schema.js';
import { instantOf } from './time-zones.js';

/** The occurrence date an exception's `originalStart` names: a date as given, or an instant's date in the recurrence zone. */
export function occurrenceDateOf(record: EventRecord, originalStart: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(originalStart)) return originalStart;
  const instant = DateTime.fromISO(originalStart, { zone: 'UTC', setZone: true });
  if (!instant.isValid) throw new RecurrenceError(`originalStart "${originalStart}" is neither a date nor an ISO 8601 instant.`);
  return instant.setZone(recurrenceZone(record)).toISODate() as string;
}

function newDateOf(record: EventRecord, date: string, fields: ExceptionFields): string {
  if (!fields.start) return date;
  return instantOf(fields.start.dateTime ?? '', fields.start.timeZone ?? 'UTC')
    .setZone(recurrenceZone(record))
    .toISODate() as string;
}

/**
 * Exceptions and cancellations of a series, checked as Outlook checks them:
 * each names a date of the series, and "Outlook does not allow two
 * occurrences of a series on the same day, even if the original occurrence
 * has been deleted" (phw198/OutlookGoogleCalendarSync Outlook.Graph/O365Recurrence.cs),
 * so an occurrence cannot move onto a day that holds (or held) another one.
 */
export function checkedExceptions(record: EventRecord, exceptions: readonly ExceptionBody[], cancelled: readonly string[]): { date: string; fields: ExceptionFields }[] {
  if (!record.recurrence && (exceptions.length > 0 || cancelled.length > 0)) throw new RecurrenceError('Only a series (an event with recurrence) has exceptions and cancelled occurrences.');
  for (const date of cancelled) if (!isSeriesDate(record, date)) throw new RecurrenceError(`${date} is not a date of this series.`);
  const result = exceptions.map(({ originalStart, ...fields }) => {
    const date = occurrenceDateOf(record, originalStart);
    if (!isSeriesDate(record, date)) throw new RecurrenceError(`originalStart ${originalStart} is not an occurrence of this series.`);
    return { date, fields: fields as ExceptionFields };
  });
  const days = new Map<string, string>();
  const claim = (day: string, owner: string): void => {
    const holder = days.get(day);
    if (holder !== undefined && holder !== owner)
      throw new RecurrenceError(`The occurrence of ${owner} cannot move to ${day}: Outlook allows one occurrence of a series per day, and ${holder}'s occupies it.`);
    days.set(day, owner);
  };
  const moved = new Map([...record.exceptions.map((exception) => [exception.date, exception.fields] as const), ...result.map((exception) => [exception.date, exception.fields] as const)]);
  for (const [date, fields] of moved) claim(newDateOf(record, date, fields), date);
  for (const [date] of moved) {
    const target = newDateOf(record, date, moved.get(date) ?? {});
    if (target !== date && isSeriesDate(record, target) && !moved.has(target))
      throw new RecurrenceError(`The occurrence of ${date} cannot move to ${target}: Outlook allows one occurrence of a series per day, even where the original one was deleted.`);
  }
  return result;
}

/** A check the fields of an event or exception must pass: a start the zone can read, and an end not before it. */
export function checkTimes(fields: Pick<EventFields, 'start' | 'end'>): void {
  const start = eventStart(fields as EventFields);
  const end = instantOf(fields.end.dateTime ?? '', fields.end.timeZone ?? 'UTC');
  if (end < start) throw new RecurrenceError('end is before start.');
}
