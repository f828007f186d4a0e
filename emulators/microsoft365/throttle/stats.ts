import type { RefusalReason } from './governor.js';

/** What GET /_control/stats reports: requests by route and status, and throttling refusals. */
export interface StatsSnapshot {
  since: string;
  totalRequests: number;
  /** "GET /v1.0/users/:userId" -> { "200": 12, "404": 1 } */
  byRoute: Record<string, Record<string, number>>;
  quotaRefusals: Record<RefusalReason, number> & { total: number };
  tokensIssued: number;
  tokenRefusals: number;
  /** Calendar reads answered 200, for a bench's "requests per calendar" (calendarView delta pages by calendar id). */
  calendar: CalendarCounts;
}

export interface CalendarCounts {
  calendarListPages: number;
  calendarGets: number;
  eventGets: number;
  instancesPages: number;
  deltaPages: number;
  deltaPagesByCalendar: Record<string, number>;
}

const emptyCalendarCounts = (): CalendarCounts => ({ calendarListPages: 0, calendarGets: 0, eventGets: 0, instancesPages: 0, deltaPages: 0, deltaPagesByCalendar: {} });

export class RequestStats {
  private since = new Date();
  private total = 0;
  private byRoute = new Map<string, Map<number, number>>();
  private refusals: Record<RefusalReason, number> = { concurrency: 0, budget: 0, injected: 0 };
  private tokensIssued = 0;
  private tokenRefusals = 0;
  private calendar = emptyCalendarCounts();

  /** One successful calendar read; `calendarId` names the calendar of a calendarView delta page. */
  calendarRead(kind: Exclude<keyof CalendarCounts, 'deltaPagesByCalendar'>, calendarId?: string): void {
    this.calendar[kind]++;
    if (calendarId !== undefined) this.calendar.deltaPagesByCalendar[calendarId] = (this.calendar.deltaPagesByCalendar[calendarId] ?? 0) + 1;
  }

  record(route: string, status: number): void {
    this.total++;
    let statuses = this.byRoute.get(route);
    if (!statuses) {
      statuses = new Map();
      this.byRoute.set(route, statuses);
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }

  refused(reason: RefusalReason): void {
    this.refusals[reason]++;
  }

  tokenIssued(): void {
    this.tokensIssued++;
  }

  tokenRefused(): void {
    this.tokenRefusals++;
  }

  reset(): void {
    this.since = new Date();
    this.total = 0;
    this.byRoute = new Map();
    this.refusals = { concurrency: 0, budget: 0, injected: 0 };
    this.tokensIssued = 0;
    this.tokenRefusals = 0;
    this.calendar = emptyCalendarCounts();
  }

  snapshot(): StatsSnapshot {
    const byRoute: StatsSnapshot['byRoute'] = {};
    for (const [route, statuses] of this.byRoute) byRoute[route] = Object.fromEntries([...statuses].map(([status, count]) => [String(status), count]));
    const { concurrency, budget, injected } = this.refusals;
    return {
      since: this.since.toISOString(),
      totalRequests: this.total,
      byRoute,
      quotaRefusals: { concurrency, budget, injected, total: concurrency + budget + injected },
      tokensIssued: this.tokensIssued,
      tokenRefusals: this.tokenRefusals,
      calendar: { ...this.calendar, deltaPagesByCalendar: { ...this.calendar.deltaPagesByCalendar } },
    };
  }
}
