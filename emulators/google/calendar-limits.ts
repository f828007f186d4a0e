import { calendarUsageLimitsExceeded, invalidValue } from './calendar-errors.js';
import type { CalendarAccount, EventResource, StoredCalendar } from './calendar-store.js';
import type { EmulatorContext } from './context.js';

/**
 * Google Calendar's use limits (support.google.com/a/answer/2905486 "Avoid
 * Calendar use limits"): past them the calendar is read-only "for hours" and
 * writes answer 403 quotaExceeded "Calendar usage limits exceeded." (errors guide).
 * Attendees trip them even with sendUpdates=none (inovex/CalendarSync#280,
 * OGCS#1744), so every event write carrying attendees counts, imports included
 * (whether import is spared is unconfirmed: the stricter reading). Actions on
 * secondary calendars "are counted under the user's own account"
 * (team8.freshservice.com article 13000009539), so the count and the read-only
 * state are per user.
 */
function recent(times: number[], windowMs: number, now: number): number[] {
  return times.filter((time) => time > now - windowMs);
}

export function refuseWhileReadOnly(ctx: EmulatorContext, account: CalendarAccount): void {
  if (ctx.options.now() < account.readOnlyUntil) {
    ctx.stats.calendar('usageLimitRefusals');
    throw calendarUsageLimitsExceeded();
  }
}

function trip(ctx: EmulatorContext, account: CalendarAccount): never {
  account.readOnlyUntil = ctx.options.now() + ctx.options.calendar.readOnlyMinutes * 60_000;
  account.touch();
  ctx.stats.calendar('usageLimitRefusals');
  throw calendarUsageLimitsExceeded();
}

/** Before calendars.insert: "more than 60 new calendars in a short period" (answer/2905486). */
export function admitCalendarCreation(ctx: EmulatorContext, account: CalendarAccount): void {
  refuseWhileReadOnly(ctx, account);
  const { calendarsCreatedPerWindow, calendarCreationWindowMinutes } = ctx.options.calendar;
  const now = ctx.options.now();
  account.calendarCreations = recent(account.calendarCreations, calendarCreationWindowMinutes * 60_000, now);
  if (account.calendarCreations.length >= calendarsCreatedPerWindow) trip(ctx, account);
}

/** Before an event write; a write with attendees past the window's threshold trips the limit. */
export function admitEventWrite(ctx: EmulatorContext, account: CalendarAccount, event: EventResource | undefined): void {
  refuseWhileReadOnly(ctx, account);
  if (!event || (event.attendees ?? []).length === 0) return;
  const { attendeeEventWritesPerWindow, attendeeWindowMinutes } = ctx.options.calendar;
  const now = ctx.options.now();
  account.attendeeWrites = recent(account.attendeeWrites, attendeeWindowMinutes * 60_000, now);
  if (account.attendeeWrites.length >= attendeeEventWritesPerWindow) trip(ctx, account);
  account.attendeeWrites.push(now);
  ctx.stats.calendar('attendeeEventWrites');
}

export type SendUpdates = 'all' | 'externalOnly' | 'none';

/**
 * sendUpdates of insert, patch, update and delete: all, externalOnly or none
 * ("The default is false", events.insert). The deprecated sendNotifications=true
 * means all. Anything else is a 400 as Google answers an invalid enum value.
 */
export function sendUpdatesOf(query: (name: string) => string | undefined): SendUpdates {
  const value = query('sendUpdates');
  if (value === 'all' || value === 'externalOnly' || value === 'none') return value;
  if (value !== undefined) throw invalidValue(`Invalid value for sendUpdates: ${value}`);
  return query('sendNotifications') === 'true' ? 'all' : 'none';
}

/**
 * Counts the e-mails a real Calendar would send for one write: one per guest
 * (attendees of the event before or after the change, so removed guests get
 * their cancellation), never to the organizer or the calendar's owner; with
 * externalOnly only guests outside the tenant's domains (events.insert
 * sendUpdates: "Notifications are sent to non-Google Calendar guests only").
 * Import sends none: it adds "a private copy" (events.import reference).
 */
export function countEmails(ctx: EmulatorContext, calendar: StoredCalendar, account: CalendarAccount, sendUpdates: SendUpdates, ...versions: Array<EventResource | undefined>): void {
  if (sendUpdates === 'none') return;
  const excluded = new Set([account.ownerEmail.toLowerCase(), calendar.id.toLowerCase()]);
  const guests = new Set<string>();
  for (const version of versions) {
    if (!version) continue;
    if (version.organizer?.email) excluded.add(version.organizer.email.toLowerCase());
    for (const attendee of version.attendees ?? []) if (attendee.email) guests.add(attendee.email.toLowerCase());
  }
  let count = 0;
  for (const guest of guests) {
    if (excluded.has(guest)) continue;
    if (sendUpdates === 'externalOnly' && ctx.state.isTenantDomain(guest.split('@')[1] ?? '')) continue;
    count++;
  }
  ctx.stats.calendarEmails(count);
}
