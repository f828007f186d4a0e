import type { DayOfWeek, PatternedRecurrence, WeekIndex } from '@microsoft/microsoft-graph-types';
import { DateTime } from 'luxon';

/**
 * Outlook's recurrence semantics, as Graph documents them
 * (learn.microsoft.com/graph/api/resources/recurrencepattern, ms.date 08/08/2024;
 * .../recurrencerange):
 *  - daily: every `interval` days from the range's startDate;
 *  - weekly: on `daysOfWeek`, every `interval` weeks, weeks starting on
 *    `firstDayOfWeek` (default sunday), the week holding startDate counting as the first;
 *  - absoluteMonthly: on `dayOfMonth` every `interval` months; on days 29–31
 *    a shorter month gets its last day, as Outlook does ("Outlook: Picks last
 *    day of month (SKIP=BACKWARD)", phw198/OutlookGoogleCalendarSync
 *    Google.Graph/GoogleRecurrence.cs);
 *  - relativeMonthly: the `index` (first…fourth, last) day of the month among
 *    `daysOfWeek`; with several days, "the event falls on the first day that
 *    satisfies the pattern" (recurrencepattern.md), so the set of days is
 *    counted as one (BYDAY with BYSETPOS, as OGCS writes it);
 *  - absoluteYearly / relativeYearly: the same within `month`, every `interval` years.
 * Ranges: endDate (inclusive), numbered (numberOfOccurrences), noEnd. At
 * most one occurrence per day (OGCS Outlook.Graph/O365Recurrence.cs): the
 * dates generated here are distinct days by construction.
 * Dates are wall-clock dates in the recurrence time zone; the caller puts the
 * series' time of day on them, so a series keeps its local time across DST.
 */
const weekdays: DayOfWeek[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const weekdayNumber = (day: DayOfWeek): number => weekdays.indexOf(day) + 1;
const indexes: Record<WeekIndex, number> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };

/** Outlook's own ceiling on a numbered series (OGCS#89, maintainer). */
export const maxOccurrences = 999;

export class RecurrenceError extends Error {}

function requirePositive(value: number | undefined, name: string): number {
  const result = value ?? 1;
  if (!Number.isInteger(result) || result < 1) throw new RecurrenceError(`${name} must be a positive whole number.`);
  return result;
}

function daysOf(days: readonly DayOfWeek[] | null | undefined, pattern: string): number[] {
  if (!days || days.length === 0) throw new RecurrenceError(`A ${pattern} pattern needs daysOfWeek.`);
  return [...new Set(days.map(weekdayNumber))].sort((a, b) => a - b);
}

function dateOf(text: string | null | undefined, name: string): DateTime {
  const parsed = text ? DateTime.fromISO(text, { zone: 'UTC' }) : undefined;
  if (!parsed?.isValid) throw new RecurrenceError(`${name} must be a date (YYYY-MM-DD).`);
  return parsed.startOf('day');
}

/** The day-of-month `dayOfMonth`, or the month's last day when it is shorter. */
function clampedDay(month: DateTime, dayOfMonth: number): DateTime {
  return month.set({ day: Math.min(dayOfMonth, month.daysInMonth ?? 28) });
}

function relativeDay(month: DateTime, days: readonly number[], index: WeekIndex): DateTime {
  const matching: DateTime[] = [];
  for (let day = month.startOf('month'); day.month === month.month; day = day.plus({ days: 1 })) if (days.includes(day.weekday)) matching.push(day);
  const position = indexes[index];
  return (position === -1 ? matching[matching.length - 1] : matching[position - 1]) as DateTime;
}

/** Candidate dates of the pattern in order, from the period holding `start` on, before range checks. */
function* candidates(recurrence: PatternedRecurrence, start: DateTime): Generator<DateTime> {
  const pattern = recurrence.pattern ?? {};
  const interval = requirePositive(pattern.interval, 'pattern.interval');
  switch (pattern.type) {
    case 'daily':
      for (let day = start; ; day = day.plus({ days: interval })) yield day;
    case 'weekly': {
      const days = daysOf(pattern.daysOfWeek, 'weekly');
      const firstDay = weekdayNumber(pattern.firstDayOfWeek ?? 'sunday');
      const weekStart = start.minus({ days: (start.weekday - firstDay + 7) % 7 });
      for (let week = weekStart; ; week = week.plus({ weeks: interval })) {
        for (let offset = 0; offset < 7; offset++) {
          const day = week.plus({ days: offset });
          if (days.includes(day.weekday)) yield day;
        }
      }
    }
    case 'absoluteMonthly': {
      const dayOfMonth = requireDayOfMonth(pattern.dayOfMonth);
      for (let month = start.startOf('month'); ; month = month.plus({ months: interval })) yield clampedDay(month, dayOfMonth);
    }
    case 'relativeMonthly': {
      const days = daysOf(pattern.daysOfWeek, 'relativeMonthly');
      for (let month = start.startOf('month'); ; month = month.plus({ months: interval })) yield relativeDay(month, days, pattern.index ?? 'first');
    }
    case 'absoluteYearly': {
      const dayOfMonth = requireDayOfMonth(pattern.dayOfMonth);
      const month = requireMonth(pattern.month);
      for (let year = start.startOf('year'); ; year = year.plus({ years: interval })) yield clampedDay(year.set({ month }), dayOfMonth);
    }
    case 'relativeYearly': {
      const days = daysOf(pattern.daysOfWeek, 'relativeYearly');
      const month = requireMonth(pattern.month);
      for (let year = start.startOf('year'); ; year = year.plus({ years: interval })) yield relativeDay(year.set({ month }), days, pattern.index ?? 'first');
    }
    default:
      throw new RecurrenceError(`pattern.type "${String(pattern.type)}" is not one of daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly, relativeYearly.`);
  }
}

function requireDayOfMonth(value: number | undefined): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 31) throw new RecurrenceError('pattern.dayOfMonth must be 1 to 31.');
  return value as number;
}

function requireMonth(value: number | undefined): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 12) throw new RecurrenceError('pattern.month must be 1 to 12.');
  return value as number;
}

/** Checks a recurrence once, when it is stored: a bad one is refused then, not at every expansion. */
export function validateRecurrence(recurrence: PatternedRecurrence): void {
  const range = recurrence.range ?? {};
  dateOf(range.startDate, 'range.startDate');
  if (range.type === 'endDate') dateOf(range.endDate, 'range.endDate');
  else if (range.type === 'numbered') {
    const count = range.numberOfOccurrences ?? 0;
    if (!Number.isInteger(count) || count < 1 || count > maxOccurrences) throw new RecurrenceError(`range.numberOfOccurrences must be 1 to ${maxOccurrences}.`);
  } else if (range.type !== 'noEnd') throw new RecurrenceError(`range.type "${String(range.type)}" is not one of endDate, numbered, noEnd.`);
  candidates(recurrence, dateOf(range.startDate, 'range.startDate')).next();
}

/**
 * The series' dates (YYYY-MM-DD, wall clock in the recurrence time zone) up
 * to and including `until`, in order. Cancelled occurrences are still dates
 * of the series (they count towards a numbered range, as in Outlook).
 */
export function* seriesDates(recurrence: PatternedRecurrence, until: string): Generator<string> {
  const range = recurrence.range ?? {};
  const start = dateOf(range.startDate, 'range.startDate');
  const last = range.type === 'endDate' ? DateTime.min(dateOf(range.endDate, 'range.endDate'), dateOf(until, 'until')) : dateOf(until, 'until');
  const limit = range.type === 'numbered' ? (range.numberOfOccurrences ?? 0) : Number.POSITIVE_INFINITY;
  let count = 0;
  let previous = '';
  for (const day of candidates(recurrence, start)) {
    if (day < start) continue;
    if (day > last || count >= limit) return;
    const date = day.toISODate() as string;
    if (date === previous) continue;
    previous = date;
    count++;
    yield date;
  }
}
