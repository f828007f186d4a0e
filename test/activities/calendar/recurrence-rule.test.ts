import type { PatternedRecurrence } from '@microsoft/microsoft-graph-types';
import { describe, expect, it } from 'vitest';
import { occurrenceStartsOf } from '../../../activities/calendar/occurrences.js';
import { recurrenceLinesOf, type SeriesStart } from '../../../activities/calendar/recurrence-rule.js';
import { ianaTimeZoneOf } from '../../../activities/calendar/time-zones.js';

const berlin = ianaTimeZoneOf('W. Europe Standard Time', 'UTC').timeZone;
const pacific = ianaTimeZoneOf('Pacific Standard Time', 'UTC').timeZone;

function linesOf(recurrence: PatternedRecurrence, start: SeriesStart, cancelled: string[] = []): string[] {
  const result = recurrenceLinesOf(recurrence, start, cancelled);
  if (!('lines' in result)) throw new Error(`verdict: ${result.verdict.reason}`);
  return result.lines;
}

/** Occurrence starts of a series as ISO instants (UTC), in a window of years. */
function expand(recurrence: PatternedRecurrence, start: SeriesStart, cancelled: string[] = [], from = '2026-01-01T00:00:00Z', to = '2028-01-01T00:00:00Z'): string[] {
  return occurrenceStartsOf(linesOf(recurrence, start, cancelled), start.local, start.timeZone, new Date(from), new Date(to)).map((at) => at.toISOString());
}

const at = (local: string, timeZone = berlin, allDay = false): SeriesStart => ({ local, timeZone, allDay });

describe('recurrenceLinesOf: patterns', () => {
  it('daily with an interval: FREQ=DAILY;INTERVAL=n, every nth day', () => {
    const recurrence: PatternedRecurrence = { pattern: { type: 'daily', interval: 3 }, range: { type: 'numbered', numberOfOccurrences: 4 } };
    expect(linesOf(recurrence, at('2026-06-01T09:00:00'))).toEqual(['RRULE:FREQ=DAILY;INTERVAL=3;COUNT=4']);
    expect(expand(recurrence, at('2026-06-01T09:00:00'))).toEqual(['2026-06-01T07:00:00.000Z', '2026-06-04T07:00:00.000Z', '2026-06-07T07:00:00.000Z', '2026-06-10T07:00:00.000Z']);
  });

  it('weekly on several days, interval 2, with WKST from firstDayOfWeek', () => {
    const recurrence: PatternedRecurrence = {
      pattern: { type: 'weekly', interval: 2, daysOfWeek: ['monday', 'thursday'], firstDayOfWeek: 'monday' },
      range: { type: 'numbered', numberOfOccurrences: 4 },
    };
    expect(linesOf(recurrence, at('2026-06-01T10:00:00'))).toEqual(['RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=MO;COUNT=4']);
    // Mon 1 Jun, Thu 4 Jun, then the week of Mon 15 Jun.
    expect(expand(recurrence, at('2026-06-01T10:00:00'))).toEqual(['2026-06-01T08:00:00.000Z', '2026-06-04T08:00:00.000Z', '2026-06-15T08:00:00.000Z', '2026-06-18T08:00:00.000Z']);
  });

  it('WKST changes which weeks an every-other-week Sunday+Monday series falls in', () => {
    const pattern = { type: 'weekly' as const, interval: 2, daysOfWeek: ['sunday' as const, 'monday' as const] };
    const starts = (firstDayOfWeek: 'sunday' | 'monday'): string[] =>
      expand({ pattern: { ...pattern, firstDayOfWeek }, range: { type: 'numbered', numberOfOccurrences: 3 } }, at('2026-06-01T10:00:00', 'UTC'));
    // Week starting Sunday: Mon 1 Jun, then Sun 14 + Mon 15. Week starting Monday: Mon 1 Jun, Sun 7 Jun (same week), Mon 15.
    expect(starts('sunday')).toEqual(['2026-06-01T10:00:00.000Z', '2026-06-14T10:00:00.000Z', '2026-06-15T10:00:00.000Z']);
    expect(starts('monday')).toEqual(['2026-06-01T10:00:00.000Z', '2026-06-07T10:00:00.000Z', '2026-06-15T10:00:00.000Z']);
  });

  it('absoluteMonthly on the 31st falls on the last day of shorter months (February, April), as Outlook does', () => {
    const recurrence: PatternedRecurrence = { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }, range: { type: 'numbered', numberOfOccurrences: 6 } };
    expect(linesOf(recurrence, at('2026-01-31T09:00:00'))).toEqual(['RRULE:FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;COUNT=6']);
    expect(expand(recurrence, at('2026-01-31T09:00:00'))).toEqual([
      '2026-01-31T08:00:00.000Z',
      '2026-02-28T08:00:00.000Z',
      '2026-03-31T07:00:00.000Z',
      '2026-04-30T07:00:00.000Z',
      '2026-05-31T07:00:00.000Z',
      '2026-06-30T07:00:00.000Z',
    ]);
  });

  it('absoluteMonthly on the 30th takes 29 February in a leap year, and a day up to 28 stays plain', () => {
    const thirtieth: PatternedRecurrence = { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 30 }, range: { type: 'numbered', numberOfOccurrences: 3 } };
    expect(expand(thirtieth, at('2028-01-30T09:00:00', 'UTC'), [], '2028-01-01T00:00:00Z', '2029-01-01T00:00:00Z')).toEqual([
      '2028-01-30T09:00:00.000Z',
      '2028-02-29T09:00:00.000Z',
      '2028-03-30T09:00:00.000Z',
    ]);
    expect(linesOf({ pattern: { type: 'absoluteMonthly', interval: 2, dayOfMonth: 15 }, range: { type: 'noEnd' } }, at('2026-01-15T09:00:00'))).toEqual([
      'RRULE:FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15',
    ]);
  });

  it('relativeMonthly, index first with several days: the first day of the month that is one of them', () => {
    const recurrence: PatternedRecurrence = {
      pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], index: 'first' },
      range: { type: 'numbered', numberOfOccurrences: 3 },
    };
    expect(linesOf(recurrence, at('2026-08-03T09:00:00', 'UTC'))).toEqual(['RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1;COUNT=3']);
    // August 2026 starts on a Saturday: first weekday Mon 3rd; September: Tue 1st; October: Thu 1st.
    expect(expand(recurrence, at('2026-08-03T09:00:00', 'UTC'))).toEqual(['2026-08-03T09:00:00.000Z', '2026-09-01T09:00:00.000Z', '2026-10-01T09:00:00.000Z']);
  });

  it('relativeMonthly, index last on one day: BYDAY=-1FR', () => {
    const recurrence: PatternedRecurrence = { pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' }, range: { type: 'numbered', numberOfOccurrences: 2 } };
    expect(linesOf(recurrence, at('2026-01-30T16:00:00', 'UTC'))).toEqual(['RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=2']);
    expect(expand(recurrence, at('2026-01-30T16:00:00', 'UTC'))).toEqual(['2026-01-30T16:00:00.000Z', '2026-02-27T16:00:00.000Z']);
  });

  it('absoluteYearly, and 29 February falling on the 28th in other years', () => {
    expect(linesOf({ pattern: { type: 'absoluteYearly', interval: 1, month: 7, dayOfMonth: 4 }, range: { type: 'noEnd' } }, at('2026-07-04T12:00:00'))).toEqual([
      'RRULE:FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=4',
    ]);
    const leap: PatternedRecurrence = { pattern: { type: 'absoluteYearly', interval: 1, month: 2, dayOfMonth: 29 }, range: { type: 'numbered', numberOfOccurrences: 2 } };
    expect(linesOf(leap, at('2028-02-29T12:00:00', 'UTC'))).toEqual(['RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1;COUNT=2']);
    expect(expand(leap, at('2028-02-29T12:00:00', 'UTC'), [], '2028-01-01T00:00:00Z', '2030-01-01T00:00:00Z')).toEqual(['2028-02-29T12:00:00.000Z', '2029-02-28T12:00:00.000Z']);
  });

  it('relativeYearly: the last Monday of May (index last), every year', () => {
    const recurrence: PatternedRecurrence = { pattern: { type: 'relativeYearly', interval: 1, month: 5, daysOfWeek: ['monday'], index: 'last' }, range: { type: 'numbered', numberOfOccurrences: 2 } };
    expect(linesOf(recurrence, at('2026-05-25T00:00:00', 'UTC'))).toEqual(['RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO;COUNT=2']);
    expect(expand(recurrence, at('2026-05-25T00:00:00', 'UTC'))).toEqual(['2026-05-25T00:00:00.000Z', '2027-05-31T00:00:00.000Z']);
  });

  it('refuses what cannot be written as a rule, with a reason', () => {
    const start = at('2026-06-01T10:00:00');
    expect(recurrenceLinesOf({ pattern: { type: 'weekly', interval: 1, daysOfWeek: [] }, range: { type: 'noEnd' } }, start)).toMatchObject({
      verdict: { reason: expect.stringMatching(/days of the week/) },
    });
    expect(recurrenceLinesOf({ pattern: { type: 'daily', interval: 0 }, range: { type: 'noEnd' } }, start)).toHaveProperty('verdict');
    expect(recurrenceLinesOf({ pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 32 }, range: { type: 'noEnd' } }, start)).toHaveProperty('verdict');
    expect(recurrenceLinesOf({ pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 0 } }, start)).toHaveProperty('verdict');
  });
});

describe('recurrenceLinesOf: ranges, zones, cancellations', () => {
  it('endDate → UNTIL at the end of that day in the series zone, in UTC; the end date itself is included', () => {
    const recurrence: PatternedRecurrence = { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', startDate: '2026-06-01', endDate: '2026-06-03' } };
    expect(linesOf(recurrence, at('2026-06-01T23:30:00'))).toEqual(['RRULE:FREQ=DAILY;UNTIL=20260603T215959Z']);
    expect(expand(recurrence, at('2026-06-01T23:30:00'))).toEqual(['2026-06-01T21:30:00.000Z', '2026-06-02T21:30:00.000Z', '2026-06-03T21:30:00.000Z']);
  });

  it('noEnd has neither COUNT nor UNTIL and goes on', () => {
    const lines = linesOf({ pattern: { type: 'weekly', interval: 1, daysOfWeek: ['friday'] }, range: { type: 'noEnd' } }, at('2026-01-02T09:00:00'));
    expect(lines).toEqual(['RRULE:FREQ=WEEKLY;BYDAY=FR;WKST=SU']);
    expect(occurrenceStartsOf(lines, '2026-01-02T09:00:00', berlin, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-08T00:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2030-01-04T08:00:00.000Z',
    ]);
  });

  it('keeps 09:00 wall-clock across the spring change in W. Europe Standard Time', () => {
    const recurrence: PatternedRecurrence = { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['wednesday'] }, range: { type: 'numbered', numberOfOccurrences: 3 } };
    // Europe/Berlin moves to summer time on Sunday 29 March 2026.
    expect(expand(recurrence, at('2026-03-18T09:00:00'))).toEqual(['2026-03-18T08:00:00.000Z', '2026-03-25T08:00:00.000Z', '2026-04-01T07:00:00.000Z']);
  });

  it('keeps 09:00 wall-clock across the autumn change in Pacific Standard Time', () => {
    const recurrence: PatternedRecurrence = { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', startDate: '2026-10-31', endDate: '2026-11-02' } };
    // America/Los_Angeles leaves daylight time on Sunday 1 November 2026.
    expect(expand(recurrence, at('2026-10-31T09:00:00', pacific))).toEqual(['2026-10-31T16:00:00.000Z', '2026-11-01T17:00:00.000Z', '2026-11-02T17:00:00.000Z']);
  });

  it('cancelled occurrences become one EXDATE line in the series zone, and drop out of the expansion (COUNT still counts them)', () => {
    const recurrence: PatternedRecurrence = { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'] }, range: { type: 'numbered', numberOfOccurrences: 4 } };
    const lines = linesOf(recurrence, at('2026-06-02T14:00:00'), ['2026-06-16T14:00:00']);
    expect(lines).toEqual(['RRULE:FREQ=WEEKLY;BYDAY=TU;WKST=SU;COUNT=4', `EXDATE;TZID=${berlin}:20260616T140000`]);
    expect(occurrenceStartsOf(lines, '2026-06-02T14:00:00', berlin, new Date('2026-01-01'), new Date('2027-01-01')).map((d) => d.toISOString())).toEqual([
      '2026-06-02T12:00:00.000Z',
      '2026-06-09T12:00:00.000Z',
      '2026-06-23T12:00:00.000Z',
    ]);
  });

  it('an all-day series uses DATE values for UNTIL and EXDATE, occurrences at midnight', () => {
    const recurrence: PatternedRecurrence = { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'endDate', startDate: '2026-06-01', endDate: '2026-06-22' } };
    const start = at('2026-06-01', 'UTC', true);
    const lines = linesOf(recurrence, start, ['2026-06-08']);
    expect(lines).toEqual(['RRULE:FREQ=WEEKLY;BYDAY=MO;WKST=SU;UNTIL=20260622', 'EXDATE;VALUE=DATE:20260608']);
    expect(occurrenceStartsOf(lines, start.local, 'UTC', new Date('2026-01-01'), new Date('2027-01-01')).map((d) => d.toISOString())).toEqual([
      '2026-06-01T00:00:00.000Z',
      '2026-06-15T00:00:00.000Z',
      '2026-06-22T00:00:00.000Z',
    ]);
  });
});
