import type { Context } from 'hono';
import { authenticate, requireScope } from './api-auth.js';
import { calendarError, calendarNotFound } from './calendar-errors.js';
import type { CalendarAccount, StoredCalendar } from './calendar-store.js';
import type { EmulatorContext } from './context.js';
import type { AccessGrant } from './credentials.js';
import type { DirectoryUser } from './users.js';

const calendarScope = 'https://www.googleapis.com/auth/calendar';

/**
 * Scopes per Calendar API method ("Authorization scopes" of each reference
 * page): every method takes .../auth/calendar; reads also take calendar.readonly,
 * event methods calendar.events (and its readonly form for reads).
 */
export const calendarScopes = {
  calendarsRead: [calendarScope, `${calendarScope}.readonly`],
  calendarsWrite: [calendarScope],
  eventsRead: [calendarScope, `${calendarScope}.readonly`, `${calendarScope}.events`, `${calendarScope}.events.readonly`],
  eventsWrite: [calendarScope, `${calendarScope}.events`],
} as const;

export interface CalendarCall {
  grant: AccessGrant;
  user: DirectoryUser;
  account: CalendarAccount;
}

export type CalendarHandler = (c: Context, call: CalendarCall) => Response | Promise<Response>;

/**
 * Runs a Calendar API method as Google does before any work: token, scopes,
 * the delegated account, injected throttling, the per-user and per-project
 * per-minute quotas; counts the request for its user (stats.calendar.requestsByUser).
 * Emulator's choice: a token without a subject or of a suspended account is
 * answered 403 forbidden (no quoted Google answer found).
 */
export function calendarMethod(ctx: EmulatorContext, accepted: readonly string[], handler: CalendarHandler): (c: Context) => Promise<Response> {
  return async (c) => {
    const grant = authenticate(ctx, c);
    requireScope(grant, accepted);
    const user = grant.subject === null ? undefined : ctx.state.users.find(grant.subject);
    if (!user || user.suspended) throw calendarError(403, 'forbidden', 'Forbidden');
    ctx.stats.calendarRequest(user.primaryEmail);
    ctx.quota.refuseInjected();
    ctx.quota.admitCalendar(user.primaryEmail, grant.projectId);
    return handler(c, { grant, user, account: ctx.state.calendarAccountOf(user) });
  };
}

/** The calendar a calendarId names among the user's own (others' calendars are not modelled: 404 as for an unknown one). */
export function calendarOf(account: CalendarAccount, calendarId: string | undefined): StoredCalendar {
  const calendar = account.find(calendarId ?? '');
  if (!calendar) throw calendarNotFound();
  return calendar;
}
