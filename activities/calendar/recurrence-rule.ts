import type { DayOfWeek, PatternedRecurrence, WeekIndex } from '@microsoft/microsoft-graph-types';
import { DateTime } from 'luxon';

/**
 * Outlook's patternedRecurrence (recurrencepattern.md, recurrencerange.md) as
 * the RFC 5545 lines of Google's `recurrence[]` (Event schema: "RRULE, EXRULE,
 * RDATE and EXDATE lines ... DTSTART and DTEND lines are not allowed"; the
 * event's start.timeZone is the zone the rule is expanded in).
 */

/** What the caller knows of the series' first occurrence, in the recurrence's own zone. */
export interface SeriesStart {
  /** Wall-clock start: "YYYY-MM-DDTHH:mm:ss" (Graph's fraction is ignored), or "YYYY-MM-DD" for an all-day series. */
  local: string;
  /** IANA zone the series is expanded in (ianaTimeZoneOf). */
  timeZone: string;
  allDay: boolean;
}

/** Why a pattern was not written: Google has no way to say it (or Outlook's data is malformed). */
export interface RecurrenceVerdict {
  reason: string;
}

export type RecurrenceLines = { lines: string[] } | { verdict: RecurrenceVerdict };

const weekdayCodes: Record<DayOfWeek, string> = { sunday: 'SU', monday: 'MO', tuesday: 'TU', wednesday: 'WE', thursday: 'TH', friday: 'FR', saturday: 'SA' };
const setPositions: Record<WeekIndex, number> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };

/**
 * Outlook allows at most 999 occurrences (OGCS#89, maintainer); Google warns
 * that past about 700 "events might stop showing up" (GWM answer 9226441),
 * which is unconfirmed: a larger COUNT is written but not refused here.
 */
export const OUTLOOK_MAX_OCCURRENCES = 999;

/** The fewest days a month has: Feb 28, Apr/Jun/Sep/Nov 30, others 31 (index = month 1..12). */
const shortestMonthLength = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Reads Graph's wall-clock ("2026-01-05T09:00:00.0000000") in a zone. */
export function wallClock(local: string, timeZone: string): DateTime {
  const at = DateTime.fromISO(local.replace(/(\.\d{3})\d+$/, '$1'), { zone: timeZone });
  if (!at.isValid) throw new Error(`Not a wall-clock date-time: ${local}`);
  return at;
}

const basicDate = (at: DateTime): string => at.toFormat('yyyyLLdd');
const basicLocal = (at: DateTime): string => at.toFormat("yyyyLLdd'T'HHmmss");
const basicUtc = (at: DateTime): string => at.toUTC().toFormat("yyyyLLdd'T'HHmmss'Z'");

/**
 * BYMONTHDAY for Outlook's "day n of the month": Outlook puts an occurrence
 * for day 29-31 on the last day of a shorter month, Google's plain
 * BYMONTHDAY=31 skips those months (OGCS GoogleRecurrence.cs: "Outlook: Picks
 * last day of month (SKIP=BACKWARD); Google: Skips that month"). Plain RFC
 * 5545 says the same as RFC 7529's SKIP=BACKWARD: take every day from the
 * shortest month's length up to n, and the last of those that exists
 * (BYSETPOS=-1). For day 31: BYMONTHDAY=28,29,30,31;BYSETPOS=-1.
 */
function monthDayParts(dayOfMonth: number, shortest: number): string[] {
  if (dayOfMonth <= shortest) return [`BYMONTHDAY=${dayOfMonth}`];
  const days = Array.from({ length: dayOfMonth - shortest + 1 }, (_, offset) => shortest + offset);
  return [`BYMONTHDAY=${days.join(',')}`, 'BYSETPOS=-1'];
}

/** "The event falls on the first day that satisfies the pattern" when several days are given (recurrencepattern.md): BYSETPOS over the set of those days. */
function relativeDayParts(days: string[], index: WeekIndex): string[] {
  const position = setPositions[index];
  if (days.length === 1) return [`BYDAY=${position}${days[0]}`];
  return [`BYDAY=${days.join(',')}`, `BYSETPOS=${position}`];
}

type Parts = { parts: string[] } | { verdict: RecurrenceVerdict };

function patternParts(recurrence: PatternedRecurrence): Parts {
  const pattern = recurrence.pattern ?? {};
  const interval = pattern.interval ?? 1;
  if (!Number.isInteger(interval) || interval < 1) return { verdict: { reason: `The recurrence interval ${interval} is not a positive whole number.` } };
  const days = (pattern.daysOfWeek ?? []).map((day) => weekdayCodes[day]).filter(Boolean);
  const intervalPart = interval > 1 ? [`INTERVAL=${interval}`] : [];
  const month = pattern.month ?? 0;
  const dayOfMonth = pattern.dayOfMonth ?? 0;
  const needsDays = (): RecurrenceVerdict => ({ reason: `A ${pattern.type} recurrence without days of the week cannot be written as a rule.` });
  const needsMonth = (): RecurrenceVerdict | undefined => (month >= 1 && month <= 12 ? undefined : { reason: `The recurrence month ${month} is not 1-12.` });
  const badDay = (limit: number): RecurrenceVerdict | undefined =>
    dayOfMonth >= 1 && dayOfMonth <= limit ? undefined : { reason: `The recurrence day of the month ${dayOfMonth} is not 1-${limit}.` };
  switch (pattern.type) {
    case 'daily':
      return { parts: ['FREQ=DAILY', ...intervalPart] };
    case 'weekly': {
      if (days.length === 0) return { verdict: needsDays() };
      // WKST decides which weeks an INTERVAL>1 rule with several days counts (RFC 5545 3.3.10); Outlook's default week starts on Sunday.
      const weekStart = weekdayCodes[pattern.firstDayOfWeek ?? 'sunday'];
      return { parts: ['FREQ=WEEKLY', ...intervalPart, `BYDAY=${days.join(',')}`, `WKST=${weekStart}`] };
    }
    case 'absoluteMonthly': {
      const wrong = badDay(31);
      return wrong ? { verdict: wrong } : { parts: ['FREQ=MONTHLY', ...intervalPart, ...monthDayParts(dayOfMonth, 28)] };
    }
    case 'relativeMonthly':
      if (days.length === 0) return { verdict: needsDays() };
      return { parts: ['FREQ=MONTHLY', ...intervalPart, ...relativeDayParts(days, pattern.index ?? 'first')] };
    case 'absoluteYearly': {
      const wrong = needsMonth() ?? badDay(month === 2 ? 29 : shortestMonthLength[month]! === 30 ? 30 : 31);
      return wrong ? { verdict: wrong } : { parts: ['FREQ=YEARLY', ...intervalPart, `BYMONTH=${month}`, ...monthDayParts(dayOfMonth, shortestMonthLength[month]!)] };
    }
    case 'relativeYearly': {
      const wrong = needsMonth();
      if (wrong) return { verdict: wrong };
      if (days.length === 0) return { verdict: needsDays() };
      return { parts: ['FREQ=YEARLY', ...intervalPart, `BYMONTH=${month}`, ...relativeDayParts(days, pattern.index ?? 'first')] };
    }
    default:
      return { verdict: { reason: `The recurrence pattern type ${String(pattern.type)} is not one Outlook documents.` } };
  }
}

function rangeParts(recurrence: PatternedRecurrence, start: SeriesStart): Parts {
  const range = recurrence.range ?? {};
  switch (range.type ?? 'noEnd') {
    case 'noEnd':
      return { parts: [] };
    case 'numbered': {
      const count = range.numberOfOccurrences ?? 0;
      if (!Number.isInteger(count) || count < 1) return { verdict: { reason: `A numbered recurrence needs a positive number of occurrences, not ${count}.` } };
      return { parts: [`COUNT=${count}`] };
    }
    case 'endDate': {
      const endDate = DateTime.fromISO(range.endDate ?? '', { zone: start.timeZone });
      if (!endDate.isValid) return { verdict: { reason: `The recurrence end date ${String(range.endDate)} is not a date.` } };
      // Outlook's end date is inclusive. RFC 5545 3.3.10: UNTIL has DTSTART's value type, and is in UTC when DTSTART has a zone.
      if (start.allDay) return { parts: [`UNTIL=${basicDate(endDate)}`] };
      return { parts: [`UNTIL=${basicUtc(endDate.endOf('day').set({ millisecond: 0 }))}`] };
    }
    default:
      return { verdict: { reason: `The recurrence range type ${String(range.type)} is not one Outlook documents.` } };
  }
}

/**
 * The `recurrence[]` lines for an Outlook series: one RRULE, and one EXDATE
 * per cancelled occurrence (`cancelledStarts`: the wall-clock starts, in the
 * series' zone, of the occurrences Outlook no longer has; "YYYY-MM-DD" for an
 * all-day series). Or a verdict when the pattern cannot be written.
 */
export function recurrenceLinesOf(recurrence: PatternedRecurrence, start: SeriesStart, cancelledStarts: readonly string[] = []): RecurrenceLines {
  const pattern = patternParts(recurrence);
  if ('verdict' in pattern) return pattern;
  const range = rangeParts(recurrence, start);
  if ('verdict' in range) return range;
  const lines = [`RRULE:${[...pattern.parts, ...range.parts].join(';')}`];
  const excluded = [...new Set(cancelledStarts)].sort();
  if (excluded.length > 0) {
    const values = excluded.map((local) => (start.allDay ? basicDate(wallClock(local, start.timeZone)) : basicLocal(wallClock(local, start.timeZone))));
    lines.push(start.allDay ? `EXDATE;VALUE=DATE:${values.join(',')}` : `EXDATE;TZID=${start.timeZone}:${values.join(',')}`);
  }
  return { lines };
}
