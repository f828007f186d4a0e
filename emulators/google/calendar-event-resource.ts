import type { calendar_v3 } from 'googleapis/build/src/apis/calendar/v3.js';
import type { EventResource, StoredCalendar } from './calendar-store.js';

/** htmlLink as Google forms it: the event id and calendar id, base64url, behind calendar/event?eid= (Event.htmlLink). */
export function htmlLinkOf(eventId: string, calendarId: string): string {
  return `https://www.google.com/calendar/event?eid=${Buffer.from(`${eventId} ${calendarId}`).toString('base64url')}`;
}

/**
 * Marks the attendee that is the calendar (self) and the organizer's own
 * entry (organizer), and defaults responseStatus to needsAction (Event.attendees[]).
 */
export function decorateAttendees(event: EventResource, calendar: StoredCalendar, ownerEmail: string): void {
  if (!event.attendees) return;
  const selves = new Set([ownerEmail.toLowerCase(), calendar.id.toLowerCase()]);
  const organizer = event.organizer?.email?.toLowerCase();
  event.attendees = event.attendees.map((attendee: calendar_v3.Schema$EventAttendee) => {
    const email = attendee.email!.toLowerCase();
    const decorated: calendar_v3.Schema$EventAttendee = { ...attendee, email: attendee.email, responseStatus: attendee.responseStatus ?? 'needsAction' };
    if (selves.has(email)) decorated.self = true;
    else delete decorated.self;
    if (organizer && email === organizer) decorated.organizer = true;
    else delete decorated.organizer;
    return decorated;
  });
}

/** Read-only fields Google fills on creation (Event schema). */
export function completeNewEvent(event: EventResource, calendar: StoredCalendar, ownerEmail: string, nowIso: string, organizer: calendar_v3.Schema$Event['organizer']): EventResource {
  const organizerEmail = organizer?.email ?? calendar.id;
  const complete: EventResource = {
    kind: 'calendar#event',
    ...event,
    status: event.status ?? 'confirmed',
    htmlLink: htmlLinkOf(event.id!, calendar.id),
    created: nowIso,
    creator: { email: ownerEmail, ...(ownerEmail === calendar.id ? { self: true } : {}) },
    organizer: { ...organizer, email: organizerEmail, ...([ownerEmail.toLowerCase(), calendar.id.toLowerCase()].includes(organizerEmail.toLowerCase()) ? { self: true } : {}) },
    iCalUID: event.iCalUID ?? `${event.id!}@google.com`,
    sequence: event.sequence ?? 0,
    reminders: event.reminders ?? { useDefault: true },
    eventType: 'default',
  };
  if (!complete.organizer!.self) delete complete.organizer!.self;
  if (!calendar.primary && organizerEmail === calendar.id) complete.organizer!.displayName = calendar.summary;
  decorateAttendees(complete, calendar, ownerEmail);
  return complete;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Patch semantics: objects merge field by field, arrays and scalars replace, null clears. */
export function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (isPlainObject(value) && isPlainObject(merged[key])) merged[key] = mergePatch(merged[key] as Record<string, unknown>, value);
    else merged[key] = structuredClone(value);
  }
  return merged;
}
