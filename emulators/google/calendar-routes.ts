import { Hono, type Context } from 'hono';
import { IANAZone } from 'luxon';
import { calendarMethod, calendarOf, calendarScopes } from './calendar-auth.js';
import { calendarError, invalidValue, requiredField } from './calendar-errors.js';
import { admitCalendarCreation, refuseWhileReadOnly } from './calendar-limits.js';
import type { StoredCalendar } from './calendar-store.js';
import type { EmulatorContext } from './context.js';

/** Calendar resource (Calendar v3 discovery, schema Calendar). */
export function calendarResource(calendar: StoredCalendar): Record<string, unknown> {
  return {
    kind: 'calendar#calendar',
    etag: `"${calendar.etagRevision}"`,
    id: calendar.id,
    summary: calendar.summary,
    ...(calendar.description !== undefined ? { description: calendar.description } : {}),
    ...(calendar.location !== undefined ? { location: calendar.location } : {}),
    timeZone: calendar.timeZone,
    conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
  };
}

/** CalendarListEntry (schema CalendarListEntry): the user owns every calendar listed. */
function calendarListEntry(calendar: StoredCalendar): Record<string, unknown> {
  return {
    ...calendarResource(calendar),
    kind: 'calendar#calendarListEntry',
    colorId: calendar.primary ? '14' : '1',
    backgroundColor: calendar.primary ? '#9fe1e7' : '#ac725e',
    foregroundColor: '#000000',
    selected: true,
    accessRole: 'owner',
    defaultReminders: calendar.primary ? [{ method: 'popup', minutes: 10 }] : [],
    ...(calendar.primary ? { primary: true, notificationSettings: { notifications: [] } } : {}),
  };
}

export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw calendarError(400, 'parseError', 'Parse Error');
}

function checkTimeZone(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !IANAZone.isValidZone(value)) throw invalidValue('Invalid time zone definition.');
  return value;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * calendarList.list, calendars.get/insert/patch/update/delete (Calendar v3
 * reference). The primary calendar's id is the user's address, alias
 * `primary`; it cannot be deleted ("Use calendars.clear for clearing all
 * events on primary calendars instead", calendars.delete reference).
 */
export function calendarRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();
  const base = '/calendar/v3';

  app.get(
    `${base}/users/me/calendarList`,
    calendarMethod(ctx, calendarScopes.calendarsRead, (c, { account }) => {
      const calendars = [...account.calendars.values()].sort((a, b) => Number(b.primary) - Number(a.primary));
      return c.json({
        kind: 'calendar#calendarList',
        etag: `"${calendars.reduce((sum, calendar) => sum + calendar.etagRevision, 0)}"`,
        nextSyncToken: 'CAA=',
        items: calendars.map(calendarListEntry),
      });
    }),
  );
  app.get(
    `${base}/users/me/calendarList/:calendarId`,
    calendarMethod(ctx, calendarScopes.calendarsRead, (c, { account }) => c.json(calendarListEntry(calendarOf(account, c.req.param('calendarId'))))),
  );

  app.get(
    `${base}/calendars/:calendarId`,
    calendarMethod(ctx, calendarScopes.calendarsRead, (c, { account }) => c.json(calendarResource(calendarOf(account, c.req.param('calendarId'))))),
  );

  app.post(
    `${base}/calendars`,
    calendarMethod(ctx, calendarScopes.calendarsWrite, async (c, { account }) => {
      const body = await jsonBody(c);
      if (typeof body.summary !== 'string' || body.summary.trim() === '') throw requiredField('Missing title.');
      const fields = { summary: body.summary, description: optionalText(body.description), location: optionalText(body.location), timeZone: checkTimeZone(body.timeZone) };
      admitCalendarCreation(ctx, account);
      const calendar = account.createCalendar(fields);
      ctx.stats.calendar('calendarsCreated');
      return c.json(calendarResource(calendar));
    }),
  );

  const change = (replace: boolean) =>
    calendarMethod(ctx, calendarScopes.calendarsWrite, async (c, { account }) => {
      const calendar = calendarOf(account, c.req.param('calendarId'));
      const body = await jsonBody(c);
      refuseWhileReadOnly(ctx, account);
      if (replace && (typeof body.summary !== 'string' || body.summary.trim() === '')) throw requiredField('Missing title.');
      if (body.summary !== undefined) {
        if (typeof body.summary !== 'string' || body.summary.trim() === '') throw requiredField('Missing title.');
        calendar.summary = body.summary;
      }
      if (replace || body.description !== undefined) calendar.description = optionalText(body.description);
      if (replace || body.location !== undefined) calendar.location = optionalText(body.location);
      const timeZone = checkTimeZone(body.timeZone);
      if (timeZone) calendar.timeZone = timeZone;
      calendar.etagRevision++;
      account.touch();
      return c.json(calendarResource(calendar));
    });
  app.patch(`${base}/calendars/:calendarId`, change(false));
  app.put(`${base}/calendars/:calendarId`, change(true));

  app.delete(
    `${base}/calendars/:calendarId`,
    calendarMethod(ctx, calendarScopes.calendarsWrite, (c, { account }) => {
      const calendar = calendarOf(account, c.req.param('calendarId'));
      if (calendar.primary) throw calendarError(400, 'cannotDeletePrimaryCalendar', 'Cannot delete primary calendar.');
      refuseWhileReadOnly(ctx, account);
      account.deleteCalendar(calendar);
      return c.body(null, 204);
    }),
  );
  return app;
}
