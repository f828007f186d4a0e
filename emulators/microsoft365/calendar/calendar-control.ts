import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import { asksToGenerate, controlError, parseBody } from '../routes/control-body.js';
import { TenantError, type TenantState } from '../state/tenant.js';
import type { CalendarBook } from './calendar-book.js';
import { addCalendarSchema, addEventSchema, generateEventsSchema, moveEventSchema, updateEventSchema } from './control-schema.js';
import type { EventFields, EventRecord } from './event-record.js';
import { generatedEvent } from './generated-events.js';
import { instancesIn } from './instances.js';
import { RecurrenceError, validateRecurrence } from './recurrence.js';
import { checkedExceptions, checkTimes } from './series-edits.js';

/** A bad recurrence or a zone that cannot be read: the request is refused with a sentence saying why. */
function refusal(c: Context, error: unknown): Response {
  if (error instanceof RecurrenceError || (error instanceof Error && /time zone|dateTime/.test(error.message))) return controlError(c, 400, 'InvalidControlRequest', error.message);
  throw error;
}

/**
 * The calendar part of the control API (issue 14): events in Graph's own
 * JSON shape, with a series' exceptions and cancelled dates; generated
 * events; the events and, on request, the occurrences of a range; updates,
 * deletions and moves between calendars. Calendars are named ("Calendar" is
 * the default one) and created when missing.
 */
export function createCalendarControlRoutes(tenant: TenantState): Hono {
  const app = new Hono();
  const bookOf = (c: Context): { upn: string; book: CalendarBook } => {
    const user = tenant.requireUser(c.req.param('idOrUpn') ?? '');
    return { upn: user.userPrincipalName, book: tenant.mailboxOf(user).calendars };
  };
  const eventOf = (c: Context): { book: CalendarBook; record: EventRecord; date?: string } => {
    const { upn, book } = bookOf(c);
    const id = c.req.param('eventId') ?? '';
    const hit = book.find(id);
    if (!hit) throw new TenantError('EventNotFound', `No event with id "${id}" in the calendars of ${upn}.`);
    return { book, record: hit.record, ...(hit.instance?.date ? { date: hit.instance.date } : {}) };
  };
  const ids = (book: CalendarBook, record: EventRecord): Record<string, string> => ({
    id: book.idOf(record, false),
    immutableId: book.idOf(record, true),
    calendarId: book.calendarIdOf(record.calendar),
    calendar: book.calendar(record.calendar)?.name ?? '',
  });

  app.post('/_control/users/:idOrUpn/calendars', async (c) => {
    const { book } = bookOf(c);
    const body = await parseBody(c, addCalendarSchema);
    if (!body.ok) return body.response;
    const sharer = body.value.sharedBy ? tenant.requireUser(body.value.sharedBy) : undefined;
    const calendar = book.ensureCalendar(body.value.name, sharer ? { name: sharer.displayName, address: sharer.userPrincipalName } : undefined);
    tenant.changed();
    return c.json({ id: book.calendarIdOf(calendar), name: calendar.name, owner: calendar.owner }, 201);
  });

  app.post('/_control/users/:idOrUpn/events', async (c) => {
    const { book } = bookOf(c);
    if (asksToGenerate(await c.req.text())) {
      const body = await parseBody(c, generateEventsSchema);
      if (!body.ok) return body.response;
      const calendar = book.ensureCalendar(body.value.calendar ?? book.defaultCalendar.name);
      const from = body.value.from ?? (DateTime.utc().toISODate() as string);
      const records = Array.from({ length: body.value.count }, (_, index) => {
        const generated = generatedEvent(book.mailboxNumber, book.currentSeq, index, from);
        return book.addEvent(calendar, generated.fields, generated.recurrence);
      });
      tenant.changed();
      return c.json({ ids: records.map((record) => book.idOf(record, false)), immutableIds: records.map((record) => book.idOf(record, true)) }, 201);
    }
    const body = await parseBody(c, addEventSchema);
    if (!body.ok) return body.response;
    const { calendar: name, recurrence, exceptions, cancelledOccurrences, ...fields } = body.value;
    try {
      checkTimes(fields);
      if (recurrence) validateRecurrence(recurrence);
      const draft: EventRecord = {
        number: 0,
        calendar: 0,
        moveCount: 0,
        fields: fields as EventFields,
        exceptions: [],
        cancelledDates: [],
        createdAt: 0,
        lastModifiedAt: 0,
        changeCount: 0,
        ...(recurrence ? { recurrence } : {}),
      };
      const checked = checkedExceptions(draft, exceptions ?? [], cancelledOccurrences ?? []);
      const calendar = book.ensureCalendar(name ?? book.defaultCalendar.name);
      const record = book.addEvent(calendar, fields as EventFields, recurrence);
      for (const exception of checked) record.exceptions.push({ date: exception.date, fields: exception.fields, changeCount: 0, lastModifiedAt: record.createdAt });
      record.cancelledDates = [...new Set(cancelledOccurrences ?? [])].sort();
      tenant.changed();
      return c.json(ids(book, record), 201);
    } catch (error) {
      return refusal(c, error);
    }
  });

  app.get('/_control/users/:idOrUpn/events', (c) => {
    const { book } = bookOf(c);
    const calendarName = (record: EventRecord): string => book.calendar(record.calendar)?.name ?? '';
    const events = book.allEvents().map((record) => ({
      ...ids(book, record),
      type: record.recurrence ? 'seriesMaster' : 'singleInstance',
      subject: record.fields.subject ?? '',
      start: record.fields.start,
      end: record.fields.end,
      isAllDay: record.fields.isAllDay ?? false,
      recurrence: record.recurrence ?? null,
      exceptions: record.exceptions.map((exception) => ({ originalDate: exception.date, ...exception.fields })),
      cancelledOccurrences: record.cancelledDates,
    }));
    if (c.req.query('expand') !== 'true') return c.json({ events });
    const from = DateTime.fromISO(c.req.query('from') ?? '', { zone: 'UTC', setZone: true });
    const to = DateTime.fromISO(c.req.query('to') ?? '', { zone: 'UTC', setZone: true });
    if (!from.isValid || !to.isValid || to <= from) return controlError(c, 400, 'InvalidControlRequest', 'With expand=true give from and to as ISO 8601 instants, to after from.');
    const occurrences = book
      .allEvents()
      .flatMap((record) => instancesIn(record, from.toUTC(), to.toUTC()))
      .sort((a, b) => a.start.toMillis() - b.start.toMillis())
      .map((instance) => ({
        id: book.instanceIdOf(instance, false),
        immutableId: book.instanceIdOf(instance, true),
        type: instance.type,
        seriesId: instance.type === 'singleInstance' ? null : book.idOf(instance.record, false),
        seriesImmutableId: instance.type === 'singleInstance' ? null : book.idOf(instance.record, true),
        originalDate: instance.date ?? null,
        start: instance.start.toUTC().toISO({ suppressMilliseconds: true }),
        end: instance.end.toUTC().toISO({ suppressMilliseconds: true }),
        subject: instance.fields.subject ?? '',
        isAllDay: instance.fields.isAllDay ?? false,
        calendar: calendarName(instance.record),
      }));
    return c.json({ events, occurrences });
  });

  app.post('/_control/users/:idOrUpn/events/:eventId/update', async (c) => {
    const { book, record, date } = eventOf(c);
    const body = await parseBody(c, updateEventSchema);
    if (!body.ok) return body.response;
    const { recurrence, exceptions, cancelledOccurrences, ...fields } = body.value;
    try {
      // An occurrence's id: the change becomes an exception of that date.
      const asException = date !== undefined ? [{ originalStart: date, ...fields }] : (exceptions ?? []);
      const masterFields = date !== undefined ? {} : (fields as Partial<EventFields>);
      if (recurrence) validateRecurrence(recurrence);
      const draft: EventRecord = { ...record, fields: { ...record.fields, ...masterFields } };
      if (recurrence) draft.recurrence = recurrence;
      if (recurrence === null) delete draft.recurrence;
      checkTimes(draft.fields);
      const checked = checkedExceptions(draft, asException, cancelledOccurrences ?? []);
      book.updateEvent(record, { fields: masterFields, ...(recurrence !== undefined ? { recurrence } : {}), exceptions: checked, cancelledDates: cancelledOccurrences ?? [] });
      tenant.changed();
      return c.json(ids(book, record));
    } catch (error) {
      return refusal(c, error);
    }
  });

  app.post('/_control/users/:idOrUpn/events/:eventId/delete', (c) => {
    const { book, record, date } = eventOf(c);
    // An occurrence's id cancels that occurrence; the event's id deletes the event (a whole series).
    if (date !== undefined) book.updateEvent(record, { cancelledDates: [date] });
    else book.deleteEvent(record);
    tenant.changed();
    return c.json({ ok: true });
  });

  app.post('/_control/users/:idOrUpn/events/:eventId/move', async (c) => {
    const { book, record, date } = eventOf(c);
    if (date !== undefined) return controlError(c, 400, 'InvalidControlRequest', 'An occurrence moves with its series: give the series id.');
    const body = await parseBody(c, moveEventSchema);
    if (!body.ok) return body.response;
    book.moveEvent(record, book.ensureCalendar(body.value.calendar));
    tenant.changed();
    return c.json(ids(book, record));
  });

  return app;
}
