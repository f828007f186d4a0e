import type { QuotaRefusalKind } from './quota.js';

export interface StatsView {
  since: string;
  totalRequests: number;
  /** `METHOD /route/pattern` → HTTP status → count. */
  requests: Record<string, Record<string, number>>;
  quotaRefusals: Record<QuotaRefusalKind, number>;
  /**
   * People API writes that succeeded, mutates that overlapped another for the same user,
   * 429s; inFlightMutates is how many mutates are being served right now.
   */
  people: Record<PeopleEvent, number> & { inFlightMutates: number };
  /**
   * Invitation, update and cancellation e-mails a real Google Calendar would have sent
   * (one per guest per write with sendUpdates=all or externalOnly; README "Calendar").
   */
  calendarEmailsSent: number;
  calendar: {
    /** Calendar API requests by the user they act for (the token's subject). */
    requestsByUser: Record<string, number>;
    /** Event writes that succeeded (insert, import, patch, update, delete), and those carrying attendees. */
    eventWrites: number;
    attendeeEventWrites: number;
    calendarsCreated: number;
    /** Writes refused with 403 quotaExceeded "Calendar usage limits exceeded.". */
    usageLimitRefusals: number;
  };
}

export type PeopleEvent = 'creates' | 'updates' | 'deletes' | 'photoUpdates' | 'groupWrites' | 'concurrentMutates' | 'throttled';

function noPeopleEvents(): Record<PeopleEvent, number> {
  return { creates: 0, updates: 0, deletes: 0, photoUpdates: 0, groupWrites: 0, concurrentMutates: 0, throttled: 0 };
}

function noRefusals(): Record<QuotaRefusalKind, number> {
  return { userUnits: 0, projectUnits: 0, concurrency: 0, directoryQueries: 0, peopleReads: 0, peopleWrites: 0, calendarUser: 0, calendarProject: 0, injected: 0 };
}

export type CalendarEvent = 'eventWrites' | 'attendeeEventWrites' | 'calendarsCreated' | 'usageLimitRefusals';

function noCalendarEvents(): Record<CalendarEvent, number> {
  return { eventWrites: 0, attendeeEventWrites: 0, calendarsCreated: 0, usageLimitRefusals: 0 };
}

export class StatsRecorder {
  private calendarEvents = noCalendarEvents();
  private calendarRequests = new Map<string, number>();
  private emailsSent = 0;
  private requests = new Map<string, Map<number, number>>();
  private refusals = noRefusals();
  private peopleEvents = noPeopleEvents();
  private readonly mutatesInFlight = new Map<string, number>();
  private total = 0;
  private since: number;

  constructor(private readonly now: () => number) {
    this.since = now();
  }

  record(route: string, status: number): void {
    this.total++;
    let byStatus = this.requests.get(route);
    if (!byStatus) this.requests.set(route, (byStatus = new Map()));
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  refusal(kind: QuotaRefusalKind): void {
    this.refusals[kind]++;
    if (kind === 'peopleReads' || kind === 'peopleWrites') this.peopleEvents.throttled++;
  }

  calendar(event: CalendarEvent, count = 1): void {
    this.calendarEvents[event] += count;
  }

  calendarRequest(user: string): void {
    this.calendarRequests.set(user, (this.calendarRequests.get(user) ?? 0) + 1);
  }

  calendarEmails(count: number): void {
    this.emailsSent += count;
  }

  people(event: PeopleEvent, count = 1): void {
    this.peopleEvents[event] += count;
  }

  /**
   * "Mutate requests for the same user should be sent sequentially to avoid increased latency
   * and failures" (people.createContact reference). No public report quotes what Google answers
   * a concurrent mutate, so the emulator serves it and counts it (concurrentMutates).
   */
  beginPeopleMutate(user: string): () => void {
    const running = this.mutatesInFlight.get(user) ?? 0;
    if (running > 0) this.peopleEvents.concurrentMutates++;
    this.mutatesInFlight.set(user, running + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = (this.mutatesInFlight.get(user) ?? 1) - 1;
      if (left <= 0) this.mutatesInFlight.delete(user);
      else this.mutatesInFlight.set(user, left);
    };
  }

  view(): StatsView {
    const requests: StatsView['requests'] = {};
    for (const [route, byStatus] of this.requests) {
      requests[route] = Object.fromEntries([...byStatus].map(([status, count]) => [String(status), count]));
    }
    return {
      since: new Date(this.since).toISOString(),
      totalRequests: this.total,
      requests,
      quotaRefusals: { ...this.refusals },
      people: { ...this.peopleEvents, inFlightMutates: [...this.mutatesInFlight.values()].reduce((sum, count) => sum + count, 0) },
      calendarEmailsSent: this.emailsSent,
      calendar: { requestsByUser: Object.fromEntries(this.calendarRequests), ...this.calendarEvents },
    };
  }

  reset(): void {
    this.requests = new Map();
    this.refusals = noRefusals();
    this.peopleEvents = noPeopleEvents();
    this.calendarEvents = noCalendarEvents();
    this.calendarRequests = new Map();
    this.emailsSent = 0;
    this.total = 0;
    this.since = this.now();
  }
}
