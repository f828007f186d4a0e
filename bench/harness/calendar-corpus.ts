import { SOURCE_EVENT_ID_KEY } from '../../activities/calendar/event-mapping.js';
import type { BenchEmulators } from './emulators.js';

/**
 * The calendar scenario's Outlook events, made by the Microsoft 365
 * emulator's control API (`{"count": n}`: varied events, one in five a
 * weekly series of ten; emulators/microsoft365/calendar/generated-events.ts),
 * and the check that Google ended up with each of them exactly once.
 * The control API is called in-process (the emulator's Hono app), so no
 * socket or certificate is involved; its requests are in the emulator's
 * stats, which the scenario resets before the sync starts.
 */
export interface OutlookCalendarPart {
  /** The Outlook calendar's name; "Calendar" is the default one. */
  calendar: string;
  count: number;
  /** The date ("YYYY-MM-DD") the generated events start from, three a day. */
  from: string;
}

export interface OutlookEvent {
  immutableId: string;
  calendar: string;
  type: 'seriesMaster' | 'singleInstance';
}

async function control(emulators: BenchEmulators, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await emulators.m365.emulator.app.request(path, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Generates each part's events in its calendar (created when missing); returns every Outlook event and the occurrences in [from, to). */
export async function seedOutlookEvents(
  emulators: BenchEmulators,
  upn: string,
  parts: readonly OutlookCalendarPart[],
  window: { start: string; end: string },
): Promise<{ events: OutlookEvent[]; occurrencesInWindow: number }> {
  const path = `/_control/users/${encodeURIComponent(upn)}/events`;
  for (const part of parts) await control(emulators, 'POST', path, { count: part.count, calendar: part.calendar, from: part.from });
  const listed = await control(emulators, 'GET', `${path}?expand=true&from=${encodeURIComponent(window.start)}&to=${encodeURIComponent(window.end)}`);
  const events = (listed.events as OutlookEvent[]).map(({ immutableId, calendar, type }) => ({ immutableId, calendar, type }));
  return { events, occurrencesInWindow: (listed.occurrences as unknown[]).length };
}

export interface ExactlyOnce {
  expected: number;
  /** Live Google events that are not instance overrides (a series counts once). */
  inGoogle: number;
  distinctGoogleIds: number;
  distinctSourceIds: number;
  withoutSourceId: number;
  /** Source ids in Google that name no Outlook event, and Outlook events with no copy. */
  unknownSourceIds: number;
  missing: number;
  /** Copies in another Google calendar than their Outlook calendar's (the default one goes to primary). */
  misplaced: number;
  byGoogleCalendar: Record<string, number>;
  occurrences: { outlookInWindow: number; googleInWindow: number };
  ok: boolean;
}

export function checkExactlyOnce(
  emulators: BenchEmulators,
  targetEmail: string,
  outlook: { events: OutlookEvent[]; occurrencesInWindow: number },
  window: { start: string; end: string },
  defaultCalendar: string,
): ExactlyOnce {
  const google = emulators.google.emulator;
  const copies = google.calendarEventsOf(targetEmail).filter((event) => event.status !== 'cancelled' && !event.recurringEventId);
  const calendarOf = new Map(outlook.events.map((event) => [event.immutableId, event.calendar]));
  const primaryId = google.calendarsOf(targetEmail).find((calendar) => calendar.primary)?.id;
  const sourceIds: string[] = [];
  let withoutSourceId = 0;
  let unknownSourceIds = 0;
  let misplaced = 0;
  const byGoogleCalendar: Record<string, number> = {};
  for (const copy of copies) {
    const summary = String(copy.calendarSummary);
    byGoogleCalendar[summary] = (byGoogleCalendar[summary] ?? 0) + 1;
    const sourceId = (copy.extendedProperties as { private?: Record<string, string> } | undefined)?.private?.[SOURCE_EVENT_ID_KEY];
    if (!sourceId) {
      withoutSourceId++;
      continue;
    }
    sourceIds.push(sourceId);
    const outlookCalendar = calendarOf.get(sourceId);
    if (outlookCalendar === undefined) unknownSourceIds++;
    else if (outlookCalendar === defaultCalendar ? copy.calendarId !== primaryId : summary !== outlookCalendar) misplaced++;
  }
  const distinct = new Set(sourceIds);
  const missing = outlook.events.filter((event) => !distinct.has(event.immutableId)).length;
  const googleInWindow = google.calendarInstancesOf(targetEmail, window.start, window.end).length;
  const expected = outlook.events.length;
  return {
    expected,
    inGoogle: copies.length,
    distinctGoogleIds: new Set(copies.map((copy) => copy.id)).size,
    distinctSourceIds: distinct.size,
    withoutSourceId,
    unknownSourceIds,
    missing,
    misplaced,
    byGoogleCalendar,
    occurrences: { outlookInWindow: outlook.occurrencesInWindow, googleInWindow },
    ok: copies.length === expected && distinct.size === expected && missing === 0 && unknownSourceIds === 0 && misplaced === 0 && googleInWindow === outlook.occurrencesInWindow,
  };
}
