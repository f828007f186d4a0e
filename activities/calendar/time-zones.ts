import { findIana } from 'windows-iana';

/**
 * Graph names a zone either by its Windows name ("W. Europe Standard Time")
 * or by one of a fixed list of IANA names (dateTimeTimeZone.md); Google
 * Calendar wants an IANA name ("Formatted as an IANA Time Zone Database
 * name", Event schema start.timeZone).
 */
export interface ResolvedTimeZone {
  /** The IANA name to give Google. */
  timeZone: string;
  /**
   * True when the source zone could not be read (tzone://Microsoft/Custom,
   * an unknown name) and the caller's fallback was used instead: the caller
   * lists it, since the wall-clock time in Google may then differ.
   */
  fellBack: boolean;
}

/** Outlook's own names for UTC (OGCS#2197, #2275 for the tzone:// form). */
const utcNames = new Set(['utc', 'tzone://microsoft/utc', 'etc/utc', 'etc/gmt', 'gmt', 'z']);

/**
 * IANA renames Google has been slow to take. Google rejected Europe/Kyiv
 * ("Invalid time zone definition") until March 2023, which is why OGCS sends
 * Europe/Kiev (phw198/OutlookGoogleCalendarSync: Google/GoogleCalendar.cs).
 * Europe/Kiev is still a valid IANA link to the same zone (tzdata `backward`),
 * it is what CLDR windowsZones maps "FLE Standard Time" to, and Google takes it
 * before and after 2023: so the old name is the one that works everywhere.
 */
const googleSafeNames: Record<string, string> = { 'Europe/Kyiv': 'Europe/Kiev' };

/** Whether the runtime's tz database knows the name (the same database Google's and our tests' expansions use). */
export function isIanaTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}

/**
 * The IANA zone for a Graph zone name. Windows names go through CLDR's
 * windowsZones mapping (the windows-iana package; its first answer is CLDR's
 * territory "001" primary zone, as OGCS's NodaTime PrimaryMapping), IANA names
 * pass through, UTC in any spelling is UTC, and tzone://Microsoft/Custom (a
 * legacy custom zone from desktop Outlook, OGCS#2148/#2339) or anything
 * unknown takes `fallback` (the mailbox's zone, else UTC) and says so.
 */
export function ianaTimeZoneOf(name: string | null | undefined, fallback: string): ResolvedTimeZone {
  const trimmed = (name ?? '').trim();
  if (utcNames.has(trimmed.toLowerCase())) return { timeZone: 'UTC', fellBack: false };
  const windows = findIana(trimmed)[0];
  const iana = windows ?? (isIanaTimeZone(trimmed) ? trimmed : undefined);
  if (iana) return { timeZone: googleSafeNames[iana] ?? iana, fellBack: false };
  const usable = isIanaTimeZone(fallback) ? (googleSafeNames[fallback] ?? fallback) : 'UTC';
  return { timeZone: usable, fellBack: true };
}
