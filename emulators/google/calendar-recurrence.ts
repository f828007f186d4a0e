import { DateTime } from 'luxon';
import { rruleLibrary } from '../../shared/rrule-library.js';
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar/v3.js';

const { RRule, RRuleSet } = rruleLibrary;

/**
 * RFC 5545 expansion of an event's `recurrence` lines (RRULE, EXRULE, RDATE,
 * EXDATE) with the `rrule` library, in the time zone of `start.timeZone`:
 * "For recurring events this field is required and specifies the time zone in
 * which the recurrence is expanded" (Event schema, Calendar v3 discovery).
 *
 * The library runs on "floating" times (a Date whose UTC fields are the wall
 * clock in the event's zone), so a 09:00 meeting stays at 09:00 across a
 * daylight-saving change; luxon turns each wall time back into an instant.
 * This is the emulator's own reading of the lines; the product writes them
 * with other code.
 */

export interface Occurrence {
  /** The instant the occurrence starts, per the recurrence (originalStartTime), epoch ms. */
  startMs: number;
  /** Google's originalStartTime / start of the unmodified instance. */
  start: calendar_v3.Schema$EventDateTime;
  end: calendar_v3.Schema$EventDateTime;
  /** `{eventId}_{yyyyMMddTHHmmssZ}` (timed) or `{eventId}_{yyyyMMdd}` (all-day), as Google names instances. */
  instanceId: string;
}

export class RecurrenceError extends Error {}

interface SeriesStart {
  allDay: boolean;
  zone: string;
  /** Wall time of the first start as a floating Date. */
  floatingStart: Date;
  durationMs: number;
}

function floating(dt: DateTime): Date {
  return new Date(Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second));
}

function fromFloating(date: Date, zone: string): DateTime {
  return DateTime.fromObject(
    { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds() },
    { zone },
  );
}

/** An RFC 5545 DATE or DATE-TIME value (with its TZID parameter) as a floating wall time in `zone`. */
function valueToFloating(value: string, tzid: string | undefined, series: SeriesStart): Date {
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (date) {
    const day = DateTime.fromObject({ year: Number(date[1]), month: Number(date[2]), day: Number(date[3]) }, { zone: 'UTC' });
    // A DATE value names that day at the series' own start time.
    return new Date(floating(day).getTime() + (series.floatingStart.getTime() % 86_400_000));
  }
  const time = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(value);
  if (!time) throw new RecurrenceError(`Invalid recurrence date ${value}.`);
  const parts = { year: Number(time[1]), month: Number(time[2]), day: Number(time[3]), hour: Number(time[4]), minute: Number(time[5]), second: Number(time[6]) };
  const sourceZone = time[7] === 'Z' ? 'UTC' : (tzid ?? series.zone);
  const instant = DateTime.fromObject(parts, { zone: sourceZone });
  if (!instant.isValid) throw new RecurrenceError(`Invalid time zone ${sourceZone} in recurrence.`);
  return floating(instant.setZone(series.zone));
}

/** RRULE/EXRULE text as rrule options, UNTIL moved into the floating frame of the series. */
function ruleOf(body: string, series: SeriesStart): InstanceType<typeof RRule> {
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(body);
  } catch {
    throw new RecurrenceError('Invalid recurrence rule.');
  }
  if (options.freq === undefined) throw new RecurrenceError('Invalid recurrence rule.');
  const until = /(?:^|;)UNTIL=([0-9TZ]+)/i.exec(body)?.[1];
  if (until) {
    const isDate = /^\d{8}$/.test(until);
    // An UNTIL date includes that whole day.
    options.until = isDate ? new Date(valueToFloating(until, undefined, { ...series, floatingStart: new Date(86_399_000) }).getTime()) : valueToFloating(until, undefined, series);
  }
  return new RRule({ ...options, dtstart: series.floatingStart, tzid: null });
}

function seriesStart(event: calendar_v3.Schema$Event): SeriesStart {
  const zone = event.start?.timeZone ?? 'UTC';
  if (event.start?.date) {
    const start = DateTime.fromISO(event.start.date, { zone: 'UTC' });
    const end = DateTime.fromISO(event.end?.date ?? event.start.date, { zone: 'UTC' });
    return { allDay: true, zone, floatingStart: floating(start), durationMs: end.toMillis() - start.toMillis() };
  }
  const start = DateTime.fromISO(event.start?.dateTime ?? '', { setZone: true }).setZone(zone);
  const end = DateTime.fromISO(event.end?.dateTime ?? '', { setZone: true });
  return { allDay: false, zone, floatingStart: floating(start), durationMs: end.toMillis() - start.toMillis() };
}

function recurrenceSet(event: calendar_v3.Schema$Event, series: SeriesStart): InstanceType<typeof RRuleSet> {
  const set = new RRuleSet();
  for (const line of event.recurrence ?? []) {
    const match = /^(RRULE|EXRULE|RDATE|EXDATE)([;:])(.*)$/i.exec(line.trim());
    if (!match) throw new RecurrenceError(`Invalid recurrence line ${line}.`);
    const name = match[1]!.toUpperCase();
    if (name === 'RRULE' || name === 'EXRULE') {
      const rule = ruleOf(match[3]!, series);
      if (name === 'RRULE') set.rrule(rule);
      else set.exrule(rule);
      continue;
    }
    // RDATE/EXDATE[;TZID=zone][;VALUE=DATE]:v1,v2
    const text = match[2] === ';' ? match[3]! : `:${match[3]!}`;
    const colon = text.indexOf(':');
    const params = text.slice(0, colon);
    const tzid = /TZID=([^;:]+)/i.exec(params)?.[1];
    for (const value of text
      .slice(colon + 1)
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const when = valueToFloating(value, tzid, series);
      if (name === 'RDATE') set.rdate(when);
      else set.exdate(when);
    }
  }
  return set;
}

/** Checks the lines without expanding them (write-time validation). */
export function checkRecurrence(event: calendar_v3.Schema$Event): void {
  const series = seriesStart(event);
  const set = recurrenceSet(event, series);
  if (set.rrules().length === 0 && set.rdates().length === 0) throw new RecurrenceError('Invalid recurrence rule.');
}

const compact = (dt: DateTime): string => dt.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");

function occurrenceOf(eventId: string, floatingStart: Date, series: SeriesStart): Occurrence {
  if (series.allDay) {
    const day = DateTime.fromMillis(floatingStart.getTime(), { zone: 'UTC' });
    const endDay = day.plus({ milliseconds: series.durationMs });
    return {
      startMs: fromFloating(floatingStart, series.zone).toMillis(),
      start: { date: day.toISODate() },
      end: { date: endDay.toISODate() },
      instanceId: `${eventId}_${day.toFormat('yyyyMMdd')}`,
    };
  }
  const start = fromFloating(floatingStart, series.zone);
  const end = start.plus({ milliseconds: series.durationMs });
  return {
    startMs: start.toMillis(),
    start: { dateTime: start.toISO({ suppressMilliseconds: true }), timeZone: series.zone },
    end: { dateTime: end.toISO({ suppressMilliseconds: true }), timeZone: series.zone },
    instanceId: `${eventId}_${compact(start)}`,
  };
}

/**
 * The occurrences of a recurring event whose span overlaps [fromMs, toMs),
 * at most `limit`, in start order. Unbounded ends default to ±infinity.
 */
export function expandOccurrences(event: calendar_v3.Schema$Event, fromMs = -8.64e15, toMs = 8.64e15, limit = 2500): Occurrence[] {
  const series = seriesStart(event);
  const set = recurrenceSet(event, series);
  const day = 86_400_000;
  // Floating bounds widened by a day either side (any zone offset), then filtered on instants.
  const floatFrom = new Date(Math.max(-8.64e15, fromMs - series.durationMs - day));
  const floatTo = new Date(Math.min(8.64e15, toMs + day));
  const found: Occurrence[] = [];
  const starts = set.between(floatFrom, floatTo, true, (_date, index) => index < limit + 64);
  for (const floatingStart of starts) {
    const occurrence = occurrenceOf(event.id!, floatingStart, series);
    if (occurrence.startMs + series.durationMs <= fromMs && !(series.durationMs === 0 && occurrence.startMs >= fromMs)) continue;
    if (occurrence.startMs >= toMs) continue;
    found.push(occurrence);
    if (found.length >= limit) break;
  }
  return found;
}
