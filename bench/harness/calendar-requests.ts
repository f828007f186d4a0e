import type { BenchEmulators, RouteCounts } from './emulators.js';

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
export interface CalendarRequests {
  writes: number;
  reads: number;
  refusedWrites: number;
  refusedReads: number;
  writesByRoute: RouteCounts;
  readsByRoute: RouteCounts;
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
  const result: CalendarRequests = {
    writes: 0,
    reads: 0,
    refusedWrites: 0,
    refusedReads: 0,
    writesByRoute: {},
    readsByRoute: {},
    emailsSent: stats.calendarEmailsSent,
    quotaRefusals: { user: stats.quotaRefusals.calendarUser, project: stats.quotaRefusals.calendarProject, usageLimits: stats.calendar.usageLimitRefusals },
    counters: stats.calendar,
  };
  for (const [route, statuses] of Object.entries(stats.requests)) {
    if (!isCalendarRoute(route)) continue;
    const made = Object.values(statuses).reduce((a, b) => a + b, 0);
    const refused = Object.entries(statuses).reduce((sum, [status, n]) => sum + (isRefusal(status) ? n : 0), 0);
    if (route.startsWith('GET ')) {
      result.reads += made;
      result.refusedReads += refused;
      result.readsByRoute[route] = made;
    } else {
      result.writes += made;
      result.refusedWrites += refused;
      result.writesByRoute[route] = made;
    }
  }
  return result;
}
