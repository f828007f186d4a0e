import { DateTime } from 'luxon';
import { rruleLibrary } from '../../shared/rrule-library.js';
import { wallClock } from './recurrence-rule.js';

const { RRule } = rruleLibrary;

/**
 * Expands `recurrence[]` lines as Google does (in the event's zone, so a
 * 09:00 series stays at 09:00 across a daylight-saving change), with the rrule
 * library rather than our own writer. The rule is expanded on wall-clock
 * times held as if they were UTC ("floating"), and each wall-clock result is
 * then placed in the zone with luxon: rrule's own TZID support converts
 * through the host's zone and is not DST-safe for every host.
 */

/** A wall-clock DateTime as the "floating" Date rrule computes with. */
const floating = (at: DateTime): Date => new Date(Date.UTC(at.year, at.month - 1, at.day, at.hour, at.minute, at.second));
const fromFloating = (at: Date, timeZone: string): DateTime =>
  DateTime.fromObject(
    { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate(), hour: at.getUTCHours(), minute: at.getUTCMinutes(), second: at.getUTCSeconds() },
    { zone: timeZone },
  );

/** EXDATE values as floating wall-clock times of the series' zone. */
function excludedOf(line: string, timeZone: string): number[] {
  const [head, values = ''] = line.split(/:(.*)/s);
  const zoneParameter = /;TZID=([^;:]+)/.exec(head ?? '')?.[1];
  return values
    .split(',')
    .filter(Boolean)
    .map((value) => {
      const utc = value.endsWith('Z');
      const parsed = DateTime.fromFormat(value.replace(/Z$/, ''), value.includes('T') ? "yyyyLLdd'T'HHmmss" : 'yyyyLLdd', { zone: utc ? 'UTC' : (zoneParameter ?? timeZone) });
      return floating(parsed.setZone(timeZone)).getTime();
    });
}

/**
 * The start instants of the occurrences of a series that fall in [from, to),
 * for comparing with Outlook's occurrences (which of them are missing, which
 * Google instance an exception's originalStart names). `start` is the
 * series' wall-clock start in `timeZone` ("YYYY-MM-DDTHH:mm:ss", or
 * "YYYY-MM-DD" for an all-day series, whose occurrences start at midnight).
 */
export function occurrenceStartsOf(lines: readonly string[], start: string, timeZone: string, from: Date, to: Date): Date[] {
  const ruleLine = lines.find((line) => line.startsWith('RRULE:'));
  const first = wallClock(start, timeZone);
  if (!ruleLine) return first.toJSDate() >= from && first.toJSDate() < to ? [first.toJSDate()] : [];
  const options = RRule.parseString(ruleLine.slice('RRULE:'.length));
  // UNTIL in UTC (timed series) names an instant; the floating expansion needs it as the zone's wall clock.
  const until = options.until && /UNTIL=\d{8}T\d{6}Z/.test(ruleLine) ? floating(DateTime.fromJSDate(options.until).setZone(timeZone)) : options.until;
  const rule = new RRule({ ...options, until, dtstart: floating(first) });
  const excluded = new Set(lines.filter((line) => line.startsWith('EXDATE')).flatMap((line) => excludedOf(line, timeZone)));
  const day = 24 * 60 * 60 * 1000;
  // A day of slack either side: the floating window is off from the real one by at most the zone's offset.
  const candidates = rule.between(new Date(from.getTime() - day), new Date(to.getTime() + day), true);
  return candidates
    .filter((candidate) => !excluded.has(candidate.getTime()))
    .map((candidate) => fromFloating(candidate, timeZone).toJSDate())
    .filter((instant) => instant >= from && instant < to);
}
