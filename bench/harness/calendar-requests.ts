import type { BenchEmulators } from './emulators.js';
import { splitRoutes, type RouteSplit } from './route-split.js';

/**
 * The Calendar API's share of the Google emulator's requests (every route
 * under /calendar/v3/): writes (every method but GET: events.import,
 * events.patch of an instance override, events.update, calendars.insert…)
 * and reads (events.get, events.instances, calendarList.list…), each with
 * the answers that refused it for load: 429, and 403 (Calendar's per-user
 * quota answers 403 userRateLimitExceeded, its usage limits 403
 * quotaExceeded; emulators/google/quota.ts, calendar-limits.ts). The
 * emulator's own Calendar counters come along.
 */
export interface CalendarRequests extends RouteSplit {
  /** Invitation, update and cancellation e-mails a real Google Calendar would have sent. */
  emailsSent: number;
  /** The quota's own count of refusals (per user, per project) and of usage-limit refusals. */
  quotaRefusals: { user: number; project: number; usageLimits: number };
  counters: ReturnType<BenchEmulators['google']['emulator']['stats']>['calendar'];
}

const isCalendarRoute = (route: string) => / \/calendar\/v3\//.test(route);
const isRefusal = (status: string) => status === '429' || status === '403';

export function calendarRequests(emulators: BenchEmulators): CalendarRequests {
  const stats = emulators.google.emulator.stats();
  return {
    ...splitRoutes(stats.requests, isCalendarRoute, isRefusal),
    emailsSent: stats.calendarEmailsSent,
    quotaRefusals: { user: stats.quotaRefusals.calendarUser, project: stats.quotaRefusals.calendarProject, usageLimits: stats.calendar.usageLimitRefusals },
    counters: stats.calendar,
  };
}
