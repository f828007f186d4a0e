import { DateTime } from 'luxon';
import { Hono } from 'hono';
import { instancesOf, isRecurring, overlaps, spanOf } from './calendar-events.js';
import type { CalendarAccount } from './calendar-store.js';
import type { EmulatorContext } from './context.js';
import { ControlError } from './errors.js';

export interface ControlCalendarView {
  id: string;
  summary: string;
  primary: boolean;
  timeZone: string;
}

/** One expanded instance (or single event) in a range, as GET /_control/users/{email}/events?expand=true answers. */
export interface ControlInstanceView {
  calendarId: string;
  calendarSummary: string;
  id: string;
  recurringEventId: string | null;
  summary: string | null;
  status: string;
  /** Start and end instants, UTC ISO 8601. */
  start: string;
  end: string;
  /** All-day events: their start date; start and end are then midnight UTC of the dates (end exclusive). */
  allDay: boolean;
  startDate: string | null;
}

export function controlCalendars(account: CalendarAccount): ControlCalendarView[] {
  return [...account.calendars.values()].map(({ id, summary, primary, timeZone }) => ({ id, summary, primary, timeZone }));
}

export function controlEvents(account: CalendarAccount): Array<Record<string, unknown>> {
  return [...account.calendars.values()].flatMap((calendar) =>
    [...calendar.events.values()].map(({ resource }) => ({ calendarId: calendar.id, calendarSummary: calendar.summary, ...structuredClone(resource) })),
  );
}

/** Every instance whose span overlaps [fromMs, toMs): single events and expanded series, cancelled ones left out. */
export function controlInstances(account: CalendarAccount, fromMs: number, toMs: number): ControlInstanceView[] {
  const views: ControlInstanceView[] = [];
  for (const calendar of account.calendars.values()) {
    for (const { resource } of calendar.events.values()) {
      if (resource.status === 'cancelled' || resource.recurringEventId) continue;
      const events = isRecurring(resource) ? instancesOf(calendar, resource, fromMs, toMs, false, 100_000) : overlaps(resource, fromMs, toMs) ? [resource] : [];
      for (const event of events) {
        if (event.status === 'cancelled') continue;
        const { startMs, endMs } = spanOf(event);
        views.push({
          calendarId: calendar.id,
          calendarSummary: calendar.summary,
          id: event.id!,
          recurringEventId: event.recurringEventId ?? null,
          summary: event.summary ?? null,
          status: event.status ?? 'confirmed',
          start: new Date(startMs).toISOString(),
          end: new Date(endMs).toISOString(),
          allDay: Boolean(event.start?.date),
          startDate: event.start?.date ?? null,
        });
      }
    }
  }
  return views.sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
}

function instant(value: string | undefined, name: string): number {
  const parsed = value ? DateTime.fromISO(value, { setZone: true }) : undefined;
  if (!parsed?.isValid) throw new ControlError(400, `expand=true needs ${name} as an ISO 8601 date or date-time.`);
  return parsed.toMillis();
}

/** GET /_control/users/{email}/calendars and /events (no auth, as the rest of /_control). */
export function calendarControlRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();
  const accountOf = (email: string): CalendarAccount => {
    const user = ctx.state.users.find(email);
    if (!user) throw new ControlError(404, `No user ${email} in the emulator.`);
    return ctx.state.calendarAccountOf(user);
  };
  app.get('/_control/users/:email/calendars', (c) => {
    const account = accountOf(c.req.param('email'));
    return c.json({ email: account.ownerEmail, calendars: controlCalendars(account) });
  });
  app.get('/_control/users/:email/events', (c) => {
    const account = accountOf(c.req.param('email'));
    if (c.req.query('expand') !== 'true') return c.json({ email: account.ownerEmail, events: controlEvents(account) });
    const fromMs = instant(c.req.query('from'), 'from');
    const toMs = instant(c.req.query('to'), 'to');
    if (toMs <= fromMs) throw new ControlError(400, '`to` must be after `from`.');
    return c.json({ email: account.ownerEmail, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), instances: controlInstances(account, fromMs, toMs) });
  });
  return app;
}
