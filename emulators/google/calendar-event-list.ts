import { DateTime } from 'luxon';
import { Hono, type Context } from 'hono';
import { calendarMethod, calendarOf, calendarScopes } from './calendar-auth.js';
import { calendarError, calendarNotFound, invalidValue, timeRangeEmpty } from './calendar-errors.js';
import { startInstant } from './calendar-event-input.js';
import { instancesOf, isRecurring, matchesPrivateProperties, overlaps, resolveEvent, spanOf } from './calendar-events.js';
import { expandOccurrences } from './calendar-recurrence.js';
import type { EventResource, StoredCalendar } from './calendar-store.js';
import type { EmulatorContext } from './context.js';

const base = '/calendar/v3/calendars/:calendarId/events';

/** timeMin/timeMax/updatedMin: "an RFC3339 timestamp with mandatory time zone offset" (events.list reference). */
function timestamp(c: Context, name: string): number | undefined {
  const value = c.req.query(name);
  if (value === undefined) return undefined;
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value) || !parsed.isValid) throw calendarError(400, 'badRequest', `Bad Request`);
  return parsed.toMillis();
}

/** maxResults: default 250, "The page size can never be larger than 2500 events" (events.list reference). */
function pageSize(c: Context): number {
  const value = c.req.query('maxResults');
  if (value === undefined) return 250;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1) throw invalidValue('Invalid maxResults value.');
  return Math.min(size, 2500);
}

interface PageState {
  offset: number;
  /** The query the token belongs to: a token reused with other parameters is refused. */
  query: string;
}

function queryKey(c: Context): string {
  const params = new URLSearchParams(c.req.url.split('?')[1] ?? '');
  params.delete('pageToken');
  params.sort();
  return params.toString();
}

function readPageToken(c: Context): number {
  const token = c.req.query('pageToken');
  if (!token) return 0;
  try {
    const state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageState;
    if (state.query === queryKey(c) && Number.isInteger(state.offset)) return state.offset;
  } catch {
    // answered below
  }
  throw invalidValue('Invalid page token value.');
}

/** The sync token: the last change time the client has seen (emulator's own encoding; Google's is opaque). */
function syncTokenOf(calendar: StoredCalendar): string {
  const last = Math.max(0, ...[...calendar.events.values()].map((stored) => stored.updatedMs));
  return Buffer.from(JSON.stringify({ after: last }), 'utf8').toString('base64url');
}

function readSyncToken(token: string): number {
  try {
    const state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof state.after === 'number') return state.after;
  } catch {
    // answered below
  }
  // "If the syncToken expires, the server will respond with a 410 GONE response code" (events.list reference).
  throw calendarError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.');
}

function page(c: Context, calendar: StoredCalendar, items: EventResource[], withSyncToken: boolean): Response {
  const offset = readPageToken(c);
  const size = pageSize(c);
  const slice = items.slice(offset, offset + size);
  const more = offset + size < items.length;
  return c.json({
    kind: 'calendar#events',
    etag: `"${Math.max(0, ...[...calendar.events.values()].map((stored) => stored.updatedMs))}"`,
    summary: calendar.summary,
    ...(calendar.description !== undefined ? { description: calendar.description } : {}),
    updated: new Date(Math.max(0, ...[...calendar.events.values()].map((stored) => stored.updatedMs))).toISOString(),
    timeZone: calendar.timeZone,
    accessRole: 'owner',
    defaultReminders: calendar.primary ? [{ method: 'popup', minutes: 10 }] : [],
    ...(more ? { nextPageToken: Buffer.from(JSON.stringify({ offset: offset + size, query: queryKey(c) } satisfies PageState), 'utf8').toString('base64url') } : {}),
    ...(!more && withSyncToken ? { nextSyncToken: syncTokenOf(calendar) } : {}),
    items: slice,
  });
}

function byStart(a: EventResource, b: EventResource): number {
  return spanOf(a).startMs - spanOf(b).startMs || (a.id! < b.id! ? -1 : 1);
}

/**
 * events.list. singleEvents expands series into instances; without it the
 * series, single events and instance overrides come back, and "Cancelled
 * instances of recurring events (but not the underlying recurring event) will
 * still be included if showDeleted and singleEvents are both False"
 * (showDeleted parameter). updatedMin: "entries deleted since this time will
 * always be included regardless of showDeleted". syncToken cannot be combined
 * with iCalUID, privateExtendedProperty, timeMin, timeMax or updatedMin (reference).
 */
function listEvents(c: Context, calendar: StoredCalendar): Response {
  const syncToken = c.req.query('syncToken');
  const fromMs = timestamp(c, 'timeMin');
  const toMs = timestamp(c, 'timeMax');
  const updatedMin = timestamp(c, 'updatedMin');
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) throw timeRangeEmpty();
  const singleEvents = c.req.query('singleEvents') === 'true';
  let showDeleted = c.req.query('showDeleted') === 'true';
  const iCalUID = c.req.query('iCalUID');
  const privateConstraints = c.req.queries('privateExtendedProperty') ?? [];
  const orderBy = c.req.query('orderBy');
  if (orderBy === 'startTime' && !singleEvents) throw invalidValue('The requested ordering is not available for the particular query.');
  let changedAfter: number | undefined;
  if (syncToken !== undefined) {
    if (fromMs !== undefined || toMs !== undefined || updatedMin !== undefined || iCalUID !== undefined || privateConstraints.length > 0) {
      throw invalidValue('Sync token cannot be combined with timeMin, timeMax, updatedMin, iCalUID or privateExtendedProperty.');
    }
    changedAfter = readSyncToken(syncToken);
    showDeleted = true;
  }

  const stored = [...calendar.events.values()];
  const changedEnough = (updatedMs: number) => (changedAfter === undefined || updatedMs > changedAfter) && (updatedMin === undefined || updatedMs >= updatedMin);
  const includeCancelled = (event: EventResource) => showDeleted || updatedMin !== undefined || (!singleEvents && Boolean(event.recurringEventId));
  const items: EventResource[] = [];
  for (const { resource: event, updatedMs } of stored) {
    if (!changedEnough(updatedMs)) continue;
    if (iCalUID !== undefined && event.iCalUID !== iCalUID) continue;
    if (!matchesPrivateProperties(event, privateConstraints)) continue;
    const current = resolveEvent(calendar, event.id!) ?? event;
    if (current.status === 'cancelled' && !includeCancelled(current)) continue;
    if (singleEvents && isRecurring(current) && current.status !== 'cancelled') {
      // Overrides are stored events and come through their own entries; generated instances here.
      for (const instance of instancesOf(calendar, current, fromMs, toMs, showDeleted)) {
        if (instance.id && calendar.events.has(instance.id)) continue;
        items.push(instance);
      }
      continue;
    }
    if (isRecurring(current)) {
      if ((fromMs !== undefined || toMs !== undefined) && current.status !== 'cancelled' && expandOccurrences(current, fromMs, toMs, 1).length === 0) continue;
    } else if (current.status !== 'cancelled' && !overlaps(current, fromMs, toMs)) continue;
    items.push(current);
  }
  if (singleEvents) items.sort(byStart);
  return page(c, calendar, items, true);
}

export function calendarEventListRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();
  app.get(
    base,
    calendarMethod(ctx, calendarScopes.eventsRead, (c, { account }) => listEvents(c, calendarOf(account, c.req.param('calendarId')))),
  );

  /** events.instances: the instances of one series; originalStart picks one. */
  app.get(
    `${base}/:eventId/instances`,
    calendarMethod(ctx, calendarScopes.eventsRead, (c, { account }) => {
      const calendar = calendarOf(account, c.req.param('calendarId'));
      const master = calendar.events.get(c.req.param('eventId') ?? '')?.resource;
      if (!master || master.recurringEventId) throw calendarNotFound();
      if (!isRecurring(master)) throw invalidValue('The event is not a recurring event.');
      const fromMs = timestamp(c, 'timeMin');
      const toMs = timestamp(c, 'timeMax');
      if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) throw timeRangeEmpty();
      const showDeleted = c.req.query('showDeleted') === 'true';
      let items = instancesOf(calendar, master, fromMs, toMs, showDeleted);
      const originalStart = c.req.query('originalStart');
      if (originalStart !== undefined) {
        const wanted = DateTime.fromISO(originalStart, { setZone: true });
        if (!wanted.isValid) throw invalidValue('Invalid originalStart value.');
        items = items.filter((instance) => startInstant(instance.originalStartTime) === wanted.toMillis());
      }
      return page(c, calendar, items, false);
    }),
  );

  app.get(
    `${base}/:eventId`,
    calendarMethod(ctx, calendarScopes.eventsRead, (c, { account }) => {
      const event = resolveEvent(calendarOf(account, c.req.param('calendarId')), c.req.param('eventId') ?? '');
      if (!event) throw calendarNotFound();
      return c.json(event);
    }),
  );
  return app;
}
