import { DateTime, IANAZone } from 'luxon';
import { findIana } from 'windows-iana';

/**
 * dateTimeTimeZone.timeZone "accepts Windows zone names plus a fixed list of
 * IANA names" (learn.microsoft.com/graph/api/resources/datetimetimezone).
 * Windows names are mapped to IANA through CLDR's windowsZones (the
 * windows-iana package), IANA names pass through, and Graph's own spellings of
 * UTC ("UTC", "tzone://Microsoft/Utc", reported in OGCS#2197) are UTC.
 * Anything else is refused: a series whose zone cannot be resolved cannot be expanded.
 */
const utcNames = new Set(['utc', 'tzone://microsoft/utc', 'etc/utc', 'gmt', 'coordinated universal time']);

/** Zone lookups repeat for every occurrence a window expands; the mapping never changes while the process runs. */
const resolved = new Map<string, string | undefined>();

export function ianaZoneOf(timeZone: string): string | undefined {
  if (resolved.has(timeZone)) return resolved.get(timeZone);
  const zone = lookUpZone(timeZone);
  resolved.set(timeZone, zone);
  return zone;
}

function lookUpZone(timeZone: string): string | undefined {
  const trimmed = timeZone.trim();
  if (utcNames.has(trimmed.toLowerCase())) return 'UTC';
  const mapped = findIana(trimmed)?.[0];
  if (mapped) return mapped;
  return IANAZone.isValidZone(trimmed) ? trimmed : undefined;
}

export function requireZone(timeZone: string): string {
  const zone = ianaZoneOf(timeZone);
  if (!zone) throw new Error(`"${timeZone}" is neither a Windows time zone name nor an IANA one.`);
  return zone;
}

/** Graph writes dateTime without offset and with seven fractional digits ("2026-12-02T09:00:00.0000000"). */
export function graphDateTime(instant: DateTime): string {
  return `${instant.toFormat("yyyy-LL-dd'T'HH:mm:ss")}.0000000`;
}

/** A local wall-clock dateTime of a dateTimeTimeZone, read in its zone. */
export function instantOf(dateTime: string, timeZone: string): DateTime {
  const parsed = DateTime.fromISO(dateTime.replace(/(\.\d{3})\d*$/, '$1'), { zone: requireZone(timeZone) });
  if (!parsed.isValid) throw new Error(`"${dateTime}" is not a dateTime.`);
  return parsed;
}
