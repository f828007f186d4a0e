import { Hono, type Context } from 'hono';
import type { GraphContext, GraphEnv } from '../http/env.js';
import { originOf } from '../http/env.js';
import { graphError, itemNotFound, malformedId } from '../http/graph-error.js';
import { lookupMailbox } from '../http/mailbox-lookup.js';
import { linkWith, parsePrefer, parseSkip, parseTop } from '../http/odata.js';
import type { TenantState } from '../state/tenant.js';
import type { RequestStats } from '../throttle/stats.js';
import type { CalendarBook } from './calendar-book.js';
import { decodeCalendarId, decodeEventId } from './calendar-ids.js';
import { buildCalendarDeltaPage, decodeCalendarToken, encodeCalendarToken, type CalendarDeltaPosition } from './calendar-delta.js';
import { outlookTimeZone, queryParam, timeWindow } from './calendar-request.js';
import type { CalendarRecord } from './event-record.js';
import { calendarJson, eventJson, instanceJson, type EventView } from './event-json.js';
import { instancesIn } from './instances.js';
import { DateTime } from 'luxon';

const defaultPageSize = 10;
const maxPageSize = 1000;

function viewOf(c: GraphContext): EventView {
  const zone = outlookTimeZone(c);
  return { immutableIds: parsePrefer(c.req.header('prefer')).immutableIds, ...(zone ? { timeZone: zone } : {}) };
}

function applied(c: GraphContext, view: EventView, pageSize?: number): void {
  const preferences = [
    ...(pageSize !== undefined ? [`odata.maxpagesize=${pageSize}`] : []),
    ...(view.immutableIds ? ['IdType="ImmutableId"'] : []),
    ...(view.timeZone ? [`outlook.timezone="${view.timeZone}"`] : []),
  ];
  if (preferences.length > 0) c.header('Preference-Applied', preferences.join(', '));
}

function lookupCalendar(c: GraphContext, book: CalendarBook, id: string): CalendarRecord | Response {
  const calendar = book.resolveCalendar(id);
  if (calendar) return calendar;
  return decodeCalendarId(id) ? itemNotFound(c) : malformedId(c);
}

/**
 * calendarView delta refuses the OData options the docs list as unsupported:
 * "`$select` is not supported"; "`$expand`, `$filter`, `$orderby`, and
 * `$search` aren't supported" (v1.0 event-delta, concepts/delta-query-events.md;
 * microsoftgraph/microsoft-graph-docs#13204). The docs give no error body:
 * the emulator answers 400 ErrorInvalidUrlQuery naming the option (its choice; refusing is the stricter reading).
 */
const unsupportedDeltaOptions = ['$select', '$filter', '$expand', '$orderby', '$search', '$top', '$skip', '$count'];

function refuseUnsupportedOptions(c: GraphContext): Response | undefined {
  for (const option of unsupportedDeltaOptions) {
    if (queryParam(c, option) !== undefined)
      return graphError(c, 400, 'ErrorInvalidUrlQuery', `The query parameter '${option}' is not supported with change tracking over the 'CalendarView' resource.`);
  }
  return undefined;
}

/** 410 SyncStateNotFound, as reported for calendarView delta (microsoftgraph/microsoft-graph-docs#2350; concepts/delta-query-overview.md). */
const syncStateNotFound = (c: GraphContext, generation: number, highest: number): Response =>
  graphError(c, 410, 'SyncStateNotFound', `The sync state generation is not found; generation=${generation};[highest=${highest}][${highest}].`);

/**
 * Calendars and events, Graph v1.0:
 *  - GET /users/{id}/calendars, /calendars/{id} (user-list-calendars, calendar-get);
 *  - GET /users/{id}/events/{id}: a single instance, a series master (with
 *    `recurrence`; `cancelledOccurrences` on $select), or one occurrence or exception (event-get);
 *  - GET /users/{id}/events/{id}/instances?startDateTime&endDateTime (event-list-instances):
 *    the series' occurrences and exceptions in the range, cancelled ones absent;
 *  - GET /users/{id}/calendarView/delta (default calendar) and
 *    /users/{id}/calendars/{id}/calendarView/delta (event-delta; "track each calendar individually").
 */
export function createCalendarRoutes(tenant: TenantState, stats: RequestStats): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();

  app.get('/v1.0/users/:userId/calendars', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const book = found.mailbox.calendars;
    const top = parseTop(c.req.query('$top'), defaultPageSize, maxPageSize);
    const skip = parseSkip(c.req.query('$skip'));
    const calendars = book.allCalendars();
    stats.calendarRead('calendarListPages');
    return c.json({
      '@odata.context': `${originOf(c)}/v1.0/$metadata#users('${found.user.id}')/calendars`,
      value: calendars.slice(skip, skip + top).map((calendar) => calendarJson(book, calendar)),
      ...(skip + top < calendars.length ? { '@odata.nextLink': linkWith(c, { $skip: String(skip + top), $top: String(top) }) } : {}),
    });
  });

  app.get('/v1.0/users/:userId/calendars/:calendarId', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const book = found.mailbox.calendars;
    const calendar = lookupCalendar(c, book, c.req.param('calendarId'));
    if (calendar instanceof Response) return calendar;
    stats.calendarRead('calendarGets');
    return c.json({ '@odata.context': `${originOf(c)}/v1.0/$metadata#users('${found.user.id}')/calendars/$entity`, ...calendarJson(book, calendar) });
  });

  /** The mailbox and the event a route names: 404 for an id of no event, 400 for one that is not an event id at all. */
  const eventOf = (c: Context) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const book = found.mailbox.calendars;
    const id = c.req.param('eventId') ?? '';
    const hit = book.find(id);
    if (!hit) return decodeEventId(id) ? itemNotFound(c) : malformedId(c);
    return { found, book, hit };
  };

  app.get('/v1.0/users/:userId/events/:eventId', (c) => {
    const lookup = eventOf(c);
    if (lookup instanceof Response) return lookup;
    const { found, book, hit } = lookup;
    const select = (queryParam(c, '$select') ?? '').split(',').map((part) => part.trim());
    const view: EventView = { ...viewOf(c), withCancelledOccurrences: select.includes('cancelledOccurrences') || select.includes('*') };
    applied(c, view);
    stats.calendarRead('eventGets');
    const json = hit.instance ? instanceJson(book, hit.instance, view) : eventJson(book, hit.record, view);
    return c.json({ '@odata.context': `${originOf(c)}/v1.0/$metadata#users('${found.user.id}')/events/$entity`, ...json });
  });

  app.get('/v1.0/users/:userId/events/:eventId/instances', (c) => {
    const lookup = eventOf(c);
    if (lookup instanceof Response) return lookup;
    const { book, hit } = lookup;
    const window = timeWindow(c);
    if (window instanceof Response) return window;
    const view = viewOf(c);
    const preferences = parsePrefer(c.req.header('prefer'));
    const top = Math.min(maxPageSize, preferences.maxPageSize ?? parseTop(c.req.query('$top'), defaultPageSize, maxPageSize));
    const skip = parseSkip(c.req.query('$skip'));
    applied(c, view, preferences.maxPageSize !== undefined ? top : undefined);
    // Instances of a single instance or of an occurrence: Graph lists only a master's; the emulator lists none.
    const all = hit.instance || !hit.record.recurrence ? [] : instancesIn(hit.record, window.start, window.end);
    stats.calendarRead('instancesPages');
    return c.json({
      '@odata.context': `${originOf(c)}/v1.0/$metadata#Collection(event)`,
      value: all.slice(skip, skip + top).map((instance) => instanceJson(book, instance, view)),
      ...(skip + top < all.length ? { '@odata.nextLink': linkWith(c, { $skip: String(skip + top), $top: String(top) }) } : {}),
    });
  });

  const serveCalendarDelta = (c: GraphContext, calendarReference: string | undefined): Response => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const { mailbox } = found;
    const book = mailbox.calendars;
    const calendar = calendarReference === undefined ? book.defaultCalendar : lookupCalendar(c, book, calendarReference);
    if (calendar instanceof Response) return calendar;
    const token = queryParam(c, '$skiptoken') ?? queryParam(c, '$deltatoken');
    let position: CalendarDeltaPosition;
    if (token !== undefined) {
      const decoded = decodeCalendarToken(tenant.stateKey, token);
      const usable =
        decoded !== undefined &&
        decoded.mailbox === mailbox.number &&
        decoded.calendar === calendar.number &&
        decoded.generation === mailbox.deltaGeneration &&
        (decoded.phase === 'initial' || book.canServe(decoded.seq));
      if (!usable) return syncStateNotFound(c, decoded?.generation ?? 0, mailbox.deltaGeneration);
      position = decoded;
    } else {
      const refused = refuseUnsupportedOptions(c);
      if (refused) return refused;
      const window = timeWindow(c);
      if (window instanceof Response) return window;
      position = {
        kind: 'calendarView',
        mailbox: mailbox.number,
        calendar: calendar.number,
        generation: mailbox.deltaGeneration,
        start: window.start.toISO() as string,
        end: window.end.toISO() as string,
        phase: 'initial',
        seq: book.currentSeq,
      };
    }
    const view = viewOf(c);
    const preferences = parsePrefer(c.req.header('prefer'));
    const pageSize = Math.min(maxPageSize, preferences.maxPageSize ?? defaultPageSize);
    applied(c, view, preferences.maxPageSize !== undefined ? pageSize : undefined);
    const window = { start: DateTime.fromISO(position.start, { zone: 'UTC' }), end: DateTime.fromISO(position.end, { zone: 'UTC' }) };
    const page = buildCalendarDeltaPage(book, calendar, position, window, pageSize, view);
    stats.calendarRead('deltaPages', book.calendarIdOf(calendar));
    const link = `${originOf(c)}${c.req.path}?${page.finished ? '$deltatoken' : '$skiptoken'}=${encodeCalendarToken(tenant.stateKey, page.next)}`;
    return c.json({
      '@odata.context': `${originOf(c)}/v1.0/$metadata#Collection(event)`,
      value: page.items,
      [page.finished ? '@odata.deltaLink' : '@odata.nextLink']: link,
    });
  };

  app.get('/v1.0/users/:userId/calendarView/delta', (c) => serveCalendarDelta(c, undefined));
  app.get('/v1.0/users/:userId/calendars/:calendarId/calendarView/delta', (c) => serveCalendarDelta(c, c.req.param('calendarId')));

  return app;
}
