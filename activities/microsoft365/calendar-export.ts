import type { Calendar, Event } from '@microsoft/microsoft-graph-types';
import type { GraphConnection } from '../../connectors/microsoft365/graph-client.js';
import { allPages, fetchRawDeltaPage, immutableIds, unlessGone, type RawDeltaEntry, type RawDeltaPage } from './graph-reads.js';

/**
 * The Microsoft Graph calls of the calendar export. Graph v1.0 tracks
 * calendar changes only through calendarView delta, over a time window
 * that the state tokens carry from then on (concepts/delta-query-events.md;
 * calendar-contacts-files-facts §0.1); the window therefore travels with
 * the links (delta-window.ts). Event ids are immutable ids, so an event
 * keeps its id when it moves to another calendar.
 */

export type ExportedEvent = Event & { id: string };
export type ExportedCalendar = Calendar & { id: string };

/** A time window of calendarView delta, as ISO instants in UTC. */
export interface CalendarWindow {
  start: string;
  end: string;
}

/**
 * The calendars the user owns. A calendar shared with the user by someone
 * else has that person as `owner` (api-reference/v1.0/resources/calendar.md):
 * its owner's own sync copies it, so only calendars whose owner is the
 * default calendar's owner are kept.
 */
export async function listOwnCalendars(graph: GraphConnection, sourceUserId: string): Promise<ExportedCalendar[]> {
  const calendars = await allPages<ExportedCalendar>(graph, `/users/${encodeURIComponent(sourceUserId)}/calendars`);
  const owner = calendars.find((calendar) => calendar.isDefaultCalendar)?.owner?.address?.toLowerCase();
  return calendars.filter((calendar) => calendar.isDefaultCalendar || !owner || calendar.owner?.address?.toLowerCase() === owner);
}

/**
 * The first request of a calendar's delta over `window`. The default
 * calendar uses the path v1.0 documents (/users/{id}/calendarView/delta);
 * the others the per-calendar path the concept article lists ("track each
 * calendar individually").
 */
export function initialCalendarDeltaPath(sourceUserId: string, sourceCalendarId: string, isDefault: boolean, window: CalendarWindow): string {
  const user = `/users/${encodeURIComponent(sourceUserId)}`;
  const base = isDefault ? `${user}/calendarView/delta` : `${user}/calendars/${encodeURIComponent(sourceCalendarId)}/calendarView/delta`;
  return `${base}?startDateTime=${encodeURIComponent(window.start)}&endDateTime=${encodeURIComponent(window.end)}`;
}

export type CalendarDeltaEntry = ExportedEvent & RawDeltaEntry;

/** One page of calendarView delta: single events, occurrences and exceptions (never series masters). */
export function fetchCalendarDeltaPage(graph: GraphConnection, link: string, pageSize: number): Promise<RawDeltaPage<CalendarDeltaEntry>> {
  return fetchRawDeltaPage<CalendarDeltaEntry>(graph, link, pageSize);
}

/** One event by its immutable id (a series master with its recurrence), or null when it is gone. */
export function readEventOrNull(graph: GraphConnection, sourceUserId: string, eventId: string, isNotFound: (err: unknown) => boolean): Promise<ExportedEvent | null> {
  return unlessGone(
    async () =>
      (await graph.client
        .api(`/users/${encodeURIComponent(sourceUserId)}/events/${encodeURIComponent(eventId)}`)
        .header('Prefer', immutableIds)
        .get()) as ExportedEvent,
    isNotFound,
  );
}

/** The occurrences and exceptions of a series inside the window (cancelled occurrences are absent: event-list-instances). */
export function listSeriesInstances(graph: GraphConnection, sourceUserId: string, masterId: string, window: CalendarWindow): Promise<ExportedEvent[]> {
  const range = `startDateTime=${encodeURIComponent(window.start)}&endDateTime=${encodeURIComponent(window.end)}`;
  return allPages<ExportedEvent>(graph, `/users/${encodeURIComponent(sourceUserId)}/events/${encodeURIComponent(masterId)}/instances?${range}`);
}
