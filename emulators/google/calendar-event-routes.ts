import { Hono, type Context } from 'hono';
import { calendarMethod, calendarOf, calendarScopes, type CalendarCall } from './calendar-auth.js';
import { calendarError, calendarNotFound, identifierExists, invalidValue, participantIsNeitherOrganizerNorAttendee, requiredField } from './calendar-errors.js';
import { checkEvent, checkEventId, writableCopy } from './calendar-event-input.js';
import { completeNewEvent, decorateAttendees, mergePatch } from './calendar-event-resource.js';
import { resolveEvent } from './calendar-events.js';
import { admitEventWrite, countEmails, sendUpdatesOf } from './calendar-limits.js';
import { jsonBody } from './calendar-routes.js';
import { newEventId, type EventResource, type StoredCalendar } from './calendar-store.js';
import type { EmulatorContext } from './context.js';

const base = '/calendar/v3/calendars/:calendarId/events';

/** Fields of a stored event a patch or update cannot change (Event schema: read-only or immutable). */
const keptFields = ['kind', 'id', 'htmlLink', 'created', 'creator', 'organizer', 'iCalUID', 'recurringEventId', 'originalStartTime', 'eventType'] as const;

function keepReadOnly(next: EventResource, previous: EventResource): EventResource {
  const kept = { ...next } as Record<string, unknown>;
  for (const field of keptFields) {
    const value = (previous as Record<string, unknown>)[field];
    if (value === undefined) delete kept[field];
    else kept[field] = structuredClone(value);
  }
  return kept as EventResource;
}

/** "The requested identifier already exists" for an id taken by a live or deleted event (python-client#846). */
function claimId(calendar: StoredCalendar, requested: unknown): string {
  if (requested === undefined || requested === null) return newEventId();
  const id = checkEventId(requested);
  if (calendar.events.has(id)) throw identifierExists();
  return id;
}

function emailsOf(event: EventResource): string[] {
  return [event.organizer?.email, ...(event.attendees ?? []).map((attendee) => attendee.email)].filter((email): email is string => Boolean(email)).map((email) => email.toLowerCase());
}

/** events.insert (sendUpdates) and events.import (no sendUpdates; organizer writable; iCalUID required). */
function create(ctx: EmulatorContext, isImport: boolean) {
  return async (c: Context, { account }: CalendarCall): Promise<Response> => {
    const calendar = calendarOf(account, c.req.param('calendarId'));
    const body = await jsonBody(c);
    const sendUpdates = isImport ? 'none' : sendUpdatesOf((name) => c.req.query(name));
    const input = writableCopy(body);
    delete input.recurringEventId;
    delete input.originalStartTime;
    const organizer = isImport ? (input.organizer ?? undefined) : undefined;
    delete input.organizer;
    if (isImport) {
      // iCalUID "is required" for import (events.import reference).
      if (typeof input.iCalUID !== 'string' || input.iCalUID === '') throw requiredField('Missing iCalUID.');
      // GAM refuses cancelled events before import ("Event is canceled"); the emulator answers them 400 (stricter).
      if (input.status === 'cancelled') throw invalidValue('A cancelled event cannot be imported.');
      const selves = [account.ownerEmail.toLowerCase(), calendar.id.toLowerCase()];
      const participants = emailsOf({ ...input, organizer: organizer ?? { email: account.ownerEmail } });
      if (!participants.some((email) => selves.includes(email))) throw participantIsNeitherOrganizerNorAttendee();
      // Re-import evidence conflicts (gcalcli#599 replaced, #712/#784 rejected): the stricter reading rejects a live duplicate.
      const duplicate = [...calendar.events.values()].some(({ resource }) => resource.iCalUID === input.iCalUID && !resource.recurringEventId && resource.status !== 'cancelled');
      if (duplicate) throw identifierExists();
    }
    input.id = claimId(calendar, input.id);
    checkEvent(input, ctx.options.calendar, false);
    const event = completeNewEvent(input, calendar, account.ownerEmail, new Date(ctx.options.now()).toISOString(), organizer);
    admitEventWrite(ctx, account, event);
    const stored = account.saveEvent(calendar, event);
    ctx.stats.calendar('eventWrites');
    countEmails(ctx, calendar, account, sendUpdates, event);
    return c.json(stored.resource);
  };
}

/** events.patch and events.update, on an event, a series or one instance of it (an instance override). */
function change(ctx: EmulatorContext, replace: boolean) {
  return async (c: Context, { account }: CalendarCall): Promise<Response> => {
    const calendar = calendarOf(account, c.req.param('calendarId'));
    const previous = resolveEvent(calendar, c.req.param('eventId') ?? '');
    if (!previous) throw calendarNotFound();
    const body = await jsonBody(c);
    const sendUpdates = sendUpdatesOf((name) => c.req.query(name));
    const input = writableCopy(body);
    const next = keepReadOnly(replace ? { ...input } : (mergePatch(previous as Record<string, unknown>, input as Record<string, unknown>) as EventResource), previous);
    if (replace && !next.reminders) next.reminders = { useDefault: true };
    checkEvent(next, ctx.options.calendar, Boolean(next.recurringEventId));
    decorateAttendees(next, calendar, account.ownerEmail);
    if (next.status === undefined) next.status = 'confirmed';
    // A change to a series that moves its times keeps the instance overrides (emulator's simplification).
    admitEventWrite(ctx, account, next);
    const stored = account.saveEvent(calendar, next);
    ctx.stats.calendar('eventWrites');
    countEmails(ctx, calendar, account, sendUpdates, previous, next);
    return c.json(stored.resource);
  };
}

export function calendarEventRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();

  app.post(`${base}/import`, calendarMethod(ctx, calendarScopes.eventsWrite, create(ctx, true)));
  app.post(base, calendarMethod(ctx, calendarScopes.eventsWrite, create(ctx, false)));
  app.patch(`${base}/:eventId`, calendarMethod(ctx, calendarScopes.eventsWrite, change(ctx, false)));
  app.put(`${base}/:eventId`, calendarMethod(ctx, calendarScopes.eventsWrite, change(ctx, true)));

  /**
   * events.delete: the event stays as a cancelled tombstone whose id is reserved
   * (python-client#846) and that get still answers; deleting an instance cancels
   * it; a second delete answers 410 "Resource has been deleted" (reason deleted).
   */
  app.delete(
    `${base}/:eventId`,
    calendarMethod(ctx, calendarScopes.eventsWrite, (c, { account }) => {
      const calendar = calendarOf(account, c.req.param('calendarId'));
      const previous = resolveEvent(calendar, c.req.param('eventId') ?? '');
      if (!previous) throw calendarNotFound();
      if (previous.status === 'cancelled') throw calendarError(410, 'deleted', 'Resource has been deleted');
      const sendUpdates = sendUpdatesOf((name) => c.req.query(name));
      admitEventWrite(ctx, account, undefined);
      account.saveEvent(calendar, { ...structuredClone(previous), status: 'cancelled' });
      ctx.stats.calendar('eventWrites');
      countEmails(ctx, calendar, account, sendUpdates, previous);
      return c.body(null, 204);
    }),
  );
  /**
   * events.move: "Moves an event to another calendar, i.e. changes an event's
   * organizer. Note that only default events can be moved" (Calendar v3
   * discovery document, events.move; `destination` required). The event goes
   * with its instance overrides and keeps its id; an id the destination already
   * holds (live or deleted) answers 409 as an insert would. The source keeps a
   * cancelled tombstone, as a deletion there would (the stricter reading: the
   * id stays reserved where the event was).
   */
  app.post(
    `${base}/:eventId/move`,
    calendarMethod(ctx, calendarScopes.eventsWrite, (c, { account }) => {
      const source = calendarOf(account, c.req.param('calendarId'));
      const destinationId = c.req.query('destination');
      if (!destinationId) throw requiredField('Missing destination.');
      const destination = calendarOf(account, destinationId);
      const eventId = c.req.param('eventId') ?? '';
      const event = source.events.get(eventId)?.resource;
      if (!event || event.status === 'cancelled' || event.recurringEventId) throw calendarNotFound();
      if (destination.id === source.id) return c.json(event);
      if (destination.events.has(eventId)) throw identifierExists();
      const sendUpdates = sendUpdatesOf((name) => c.req.query(name));
      admitEventWrite(ctx, account, event);
      const parts = [...source.events.values()].filter(({ resource }) => resource.recurringEventId === eventId).map(({ resource }) => resource);
      for (const resource of [event, ...parts]) {
        account.saveEvent(destination, structuredClone(resource));
        account.saveEvent(source, { ...structuredClone(resource), status: 'cancelled' });
      }
      ctx.stats.calendar('eventWrites');
      countEmails(ctx, destination, account, sendUpdates, event);
      return c.json(destination.events.get(eventId)!.resource);
    }),
  );
  return app;
}
