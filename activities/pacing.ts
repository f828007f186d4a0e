import { setTimeout as sleep } from 'node:timers/promises';
import { classifyGoogleError } from '../connectors/google/google-errors.js';
import { classifyGraphError } from '../connectors/microsoft365/graph-errors.js';

/**
 * Keeps one mailbox's calls under the service's own quota instead of running
 * into it: a token bucket refilled continuously at `unitsPerSecond`, plus a
 * cap on calls in flight. Being refused with 429 costs a Retry-After wait;
 * pacing at the ceiling costs nothing.
 */
/** Throttling waits up to this long are taken inside the activity. */
const shortRetryAfterMs = 10_000;
const shortRetries = 3;

/**
 * The wait before in-activity retry `attempt` (0, 1, 2) of a throttled call
 * whose refusal named no delay (Gmail's 429 "Too many concurrent requests
 * for user" and 403 "Rate Limit Exceeded" carry none): 1 s, 2 s, 4 s.
 * Also the floor under a delay the service gave, so "retry now" is no tight loop.
 */
export function throttleBackoffMs(attempt: number): number {
  return 1000 * 2 ** attempt;
}

/** A throttled call's own delay, or the exponential back-off when it named none. */
export type RetryDelayOf = (err: unknown, attempt: number) => number | undefined;

/** In-activity retries of throttled calls: the service's delay, or exponential back-off. */
export const graphRetryAfter: RetryDelayOf = (err, attempt) => throttleRetryDelay(classifyGraphError(err), attempt);
export const googleRetryAfter: RetryDelayOf = (err, attempt) => throttleRetryDelay(classifyGoogleError(err), attempt);

/**
 * The wait before in-activity retry `attempt` of a failed call: for a
 * throttled one, the delay the service named but never less than the
 * back-off for that attempt; undefined (do not retry here) for anything else.
 */
export function throttleRetryDelay(failure: { kind: string; retryAfterMs?: number }, attempt: number): number | undefined {
  return failure.kind === 'throttled' ? Math.max(failure.retryAfterMs ?? 0, throttleBackoffMs(attempt)) : undefined;
}

export class Pacer {
  private available: number;
  private lastRefill = Date.now();
  private lastUsed = Date.now();
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly unitsPerSecond: number,
    private readonly burstUnits: number,
    private readonly maxInFlight: number,
  ) {
    this.available = burstUnits;
  }

  /**
   * No call running or waiting, none for `ms`, and the bucket full again:
   * a pacer in this state behaves exactly as a new one, so it can be dropped.
   */
  isIdleFor(ms: number, now = Date.now()): boolean {
    if (this.inFlight > 0 || this.waiters.length > 0 || now - this.lastUsed < ms) return false;
    this.refill();
    return this.available >= this.burstUnits;
  }

  private refill(): void {
    const now = Date.now();
    this.available = Math.min(this.burstUnits, this.available + ((now - this.lastRefill) / 1000) * this.unitsPerSecond);
    this.lastRefill = now;
  }

  /**
   * Runs `task` once `cost` units are available and fewer than maxInFlight
   * calls are running. A refusal the service asks to retry soon (throttling
   * with a short Retry-After) is retried here after that delay, a few times,
   * so one 429 does not throw away an activity's work; longer or repeated
   * refusals surface, and Temporal retries the activity after the delay.
   */
  async run<T>(cost: number, task: () => Promise<T>, retryDelayOf?: RetryDelayOf): Promise<T> {
    for (let waited = 0; ; waited++) {
      try {
        return await this.runOnce(cost, task);
      } catch (err) {
        const delay = retryDelayOf?.(err, waited);
        if (delay === undefined || delay > shortRetryAfterMs || waited >= shortRetries) throw err;
        await sleep(delay);
      }
    }
  }

  private async runOnce<T>(cost: number, task: () => Promise<T>): Promise<T> {
    while (this.inFlight >= this.maxInFlight) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.inFlight += 1;
    try {
      for (;;) {
        this.refill();
        if (this.available >= cost) break;
        await sleep(Math.ceil(((cost - this.available) / this.unitsPerSecond) * 1000));
      }
      this.available -= cost;
      return await task();
    } finally {
      this.inFlight -= 1;
      this.lastUsed = Date.now();
      this.waiters.shift()?.();
    }
  }
}

export interface PacingSettings {
  /** Gmail per-user quota units per minute (15,000; 6,000 for Cloud projects created since May 2026). */
  gmailUserUnitsPerMinute: number;
  /** Gmail calls in flight per user. */
  gmailConcurrency: number;
  /** Microsoft Graph requests per mailbox per 10 minutes (10,000). */
  graphRequestsPerTenMinutes: number;
  /** Microsoft Graph requests in flight per mailbox (4). */
  graphConcurrency: number;
  /**
   * People API requests per minute per user. Google publishes no number; third-party
   * reports give 60 writes and 90 reads per minute per user (calendar-contacts-files-facts §2.2),
   * so the lower one is the default. One at a time: "Mutate requests for the same user should be
   * sent sequentially" (people.batchCreateContacts reference).
   */
  peopleUserRequestsPerMinute: number;
  /** Calendar API requests per minute per user (600 per user per project: calendar-contacts-files-facts §1.2, §6). */
  calendarUserRequestsPerMinute: number;
  /**
   * Calendar writes of events with attendees per minute per user. Google publishes no number for the
   * anti-spam "Calendar usage limits exceeded" (calendar-contacts-files-facts §0.4), so they go slower
   * than the API quota lets other writes go.
   */
  calendarAttendeeWritesPerMinute: number;
}

export const defaultPacing: PacingSettings = {
  gmailUserUnitsPerMinute: 15_000,
  gmailConcurrency: 8,
  graphRequestsPerTenMinutes: 10_000,
  graphConcurrency: 4,
  peopleUserRequestsPerMinute: 60,
  calendarUserRequestsPerMinute: 600,
  calendarAttendeeWritesPerMinute: 60,
};

/** Gmail quota units per method (api-facts B3). */
export const gmailCost = { import: 25, labelsCreate: 5, labelsList: 1, messagesGet: 5, messagesList: 5, modify: 5, trash: 5 } as const;

export function pacingFromEnv(env: NodeJS.ProcessEnv = process.env): PacingSettings {
  const num = (name: string, fallback: number) => {
    const raw = env[name];
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
    return value;
  };
  return {
    gmailUserUnitsPerMinute: num('GMAIL_USER_UNITS_PER_MINUTE', defaultPacing.gmailUserUnitsPerMinute),
    gmailConcurrency: num('GMAIL_CONCURRENCY', defaultPacing.gmailConcurrency),
    graphRequestsPerTenMinutes: num('GRAPH_REQUESTS_PER_10_MINUTES', defaultPacing.graphRequestsPerTenMinutes),
    graphConcurrency: num('GRAPH_CONCURRENCY', defaultPacing.graphConcurrency),
    peopleUserRequestsPerMinute: num('PEOPLE_USER_REQUESTS_PER_MINUTE', defaultPacing.peopleUserRequestsPerMinute),
    calendarUserRequestsPerMinute: num('CALENDAR_USER_REQUESTS_PER_MINUTE', defaultPacing.calendarUserRequestsPerMinute),
    calendarAttendeeWritesPerMinute: num('CALENDAR_ATTENDEE_WRITES_PER_MINUTE', defaultPacing.calendarAttendeeWritesPerMinute),
  };
}

/**
 * The pacers of each mailbox and Google user, shared by every activity of
 * that user in this worker. A user's pacers are dropped once idle (nothing in
 * flight, bucket full, unused for `idleMs`), so the worker holds pacers for
 * the users it is working on, not for every user it has ever served.
 */
export class MailboxPacers {
  private readonly pacers = new Map<string, Pacer>();
  private lastSweep = Date.now();

  constructor(
    private readonly settings: PacingSettings,
    private readonly idleMs = 5 * 60_000,
  ) {}

  /** Pacers held now (for tests and the bench). */
  get size(): number {
    return this.pacers.size;
  }

  /** One pacer per service and user, made on first use. */
  private cached(service: string, userKey: string, make: () => Pacer): Pacer {
    this.dropIdle();
    const key = `${service}\u0000${userKey}`;
    let pacer = this.pacers.get(key);
    if (!pacer) this.pacers.set(key, (pacer = make()));
    return pacer;
  }

  /** At most once per idle period, so a busy worker does not walk the map on every call. */
  dropIdle(now = Date.now()): void {
    if (now - this.lastSweep < this.idleMs) return;
    this.lastSweep = now;
    for (const [key, pacer] of this.pacers) if (pacer.isIdleFor(this.idleMs, now)) this.pacers.delete(key);
  }

  gmailFor(userKey: string): Pacer {
    const perSecond = this.settings.gmailUserUnitsPerMinute / 60;
    // A one-second burst: Google's quota is a moving average, so a short burst is fine.
    return this.cached('gmail', userKey, () => new Pacer(perSecond, perSecond, this.settings.gmailConcurrency));
  }

  graphFor(mailboxKey: string): Pacer {
    const perSecond = this.settings.graphRequestsPerTenMinutes / 600;
    return this.cached('graph', mailboxKey, () => new Pacer(perSecond, Math.max(1, perSecond * 5), this.settings.graphConcurrency));
  }

  peopleFor(userKey: string): Pacer {
    const perSecond = this.settings.peopleUserRequestsPerMinute / 60;
    return this.cached('people', userKey, () => new Pacer(perSecond, Math.max(1, perSecond * 5), 1));
  }

  /** Every Calendar API request of one Google user; a few in flight, as for Gmail. */
  calendarFor(userKey: string): Pacer {
    const perSecond = this.settings.calendarUserRequestsPerMinute / 60;
    return this.cached('calendar', userKey, () => new Pacer(perSecond, Math.max(1, perSecond * 5), 4));
  }

  /** Writes of events with attendees, on top of calendarFor: one at a time, slower. */
  calendarAttendeeWritesFor(userKey: string): Pacer {
    const perSecond = this.settings.calendarAttendeeWritesPerMinute / 60;
    return this.cached('calendar-attendees', userKey, () => new Pacer(perSecond, Math.max(1, perSecond * 5), 1));
  }
}
