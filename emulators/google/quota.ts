import { GoogleApiError, peopleError } from './errors.js';
import type { GoogleQuotaOptions } from './options.js';

export type QuotaRefusalKind = 'userUnits' | 'projectUnits' | 'concurrency' | 'directoryQueries' | 'peopleReads' | 'peopleWrites' | 'calendarUser' | 'calendarProject' | 'injected';

/**
 * Where an injected refusal says how long to wait. Gmail's quota refusals are
 * 403 or 429 and often name the time only in the message text, with no
 * Retry-After header (googleapis/google-api-ruby-client#20544,
 * taers232c/GAMADV-XTD3#337); some name none at all.
 * - header: 429 RESOURCE_EXHAUSTED with Retry-After: <seconds>;
 * - message: 403 userRateLimitExceeded "User-rate limit exceeded.  Retry after <ISO time>", no header;
 * - none: 429 RESOURCE_EXHAUSTED with neither.
 */
export type RetryAfterForm = 'header' | 'message' | 'none';
export const retryAfterForms: readonly RetryAfterForm[] = ['header', 'message', 'none'];

/** Set through POST /_control/throttle. */
export interface ThrottleSettings {
  /** Multiplies every per-minute quota (0.1 = a tenth of Google's limits). */
  quotaScale: number;
  /** Share of API requests refused at once, 0..1. */
  ratio: number;
  /** The delay those injected refusals name. */
  retryAfterSeconds: number;
  /** How they name it. */
  retryAfterForm: RetryAfterForm;
}

export const defaultThrottle: Readonly<ThrottleSettings> = { quotaScale: 1, ratio: 0, retryAfterSeconds: 1, retryAfterForm: 'header' };

interface Bucket {
  available: number;
  updatedAt: number;
}

/**
 * Per-minute quotas as token buckets that refill continuously, so a refusal
 * can say exactly when enough units are back (Retry-After).
 */
class UnitBuckets {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes `cost` units, or returns the whole seconds until they are available. */
  take(key: string, cost: number, perMinute: number, now: number): number {
    const bucket = this.refill(key, cost, perMinute, now);
    if (bucket.available >= cost) {
      bucket.available -= cost;
      return 0;
    }
    const perMs = perMinute / 60_000;
    return Math.max(1, Math.ceil((cost - bucket.available) / perMs / 1000));
  }

  giveBack(key: string, cost: number): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.available += cost;
  }

  clear(): void {
    this.buckets.clear();
  }

  private refill(key: string, cost: number, perMinute: number, now: number): Bucket {
    // A cost above the whole minute's allowance could never pass otherwise.
    const capacity = Math.max(perMinute, cost);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { available: capacity, updatedAt: now };
      this.buckets.set(key, bucket);
    }
    bucket.available = Math.min(capacity, bucket.available + Math.max(0, now - bucket.updatedAt) * (perMinute / 60_000));
    bucket.updatedAt = now;
    return bucket;
  }
}

function retryAfter(seconds: number): Record<string, string> {
  return { 'Retry-After': String(seconds) };
}

/** Gmail's wording of the per-user refusal, the time only in the text (sources above). */
function userRateLimitExceeded(retryAt: number): GoogleApiError {
  return new GoogleApiError({
    status: 403,
    message: `User-rate limit exceeded.  Retry after ${new Date(retryAt).toISOString()}`,
    reason: 'userRateLimitExceeded',
    domain: 'usageLimits',
  });
}

export class QuotaGuard {
  private throttle: ThrottleSettings = { ...defaultThrottle };
  private readonly units = new UnitBuckets();
  private readonly inFlight = new Map<string, number>();
  private injectedCredit = 0;

  constructor(
    private readonly quota: GoogleQuotaOptions,
    private readonly now: () => number,
    private readonly onRefusal: (kind: QuotaRefusalKind) => void,
  ) {}

  settings(): ThrottleSettings {
    return { ...this.throttle };
  }

  configure(patch: Partial<ThrottleSettings>): ThrottleSettings {
    this.throttle = { ...this.throttle, ...patch };
    this.injectedCredit = 0;
    return this.settings();
  }

  reset(): void {
    this.throttle = { ...defaultThrottle };
    this.injectedCredit = 0;
    this.units.clear();
    this.inFlight.clear();
  }

  /**
   * Answers the configured share of requests with 429. Deterministic (every
   * n-th request for a ratio of 1/n) so tests can count on it.
   */
  refuseInjected(): void {
    if (this.throttle.ratio <= 0) return;
    this.injectedCredit += this.throttle.ratio;
    if (this.injectedCredit < 1) return;
    this.injectedCredit -= 1;
    this.onRefusal('injected');
    const { retryAfterForm, retryAfterSeconds } = this.throttle;
    if (retryAfterForm === 'message') throw userRateLimitExceeded(this.now() + retryAfterSeconds * 1000);
    throw new GoogleApiError({
      status: 429,
      message: 'Resource has been exhausted (e.g. check quota).',
      reason: 'rateLimitExceeded',
      googleStatus: 'RESOURCE_EXHAUSTED',
      ...(retryAfterForm === 'header' ? { headers: retryAfter(retryAfterSeconds) } : {}),
    });
  }

  /** Admits one Gmail call for `user` of `project`; the returned function ends it. */
  admitGmail(user: string, project: string, cost: number): () => void {
    if (!this.quota.enabled) return () => {};
    const running = this.inFlight.get(user) ?? 0;
    if (running >= this.quota.perUserConcurrency) {
      this.onRefusal('concurrency');
      throw new GoogleApiError({
        status: 429,
        message: 'Too many concurrent requests for user',
        reason: 'rateLimitExceeded',
        googleStatus: 'RESOURCE_EXHAUSTED',
      });
    }
    this.takeUnits(user, project, cost);
    this.inFlight.set(user, running + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(user) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(user);
      else this.inFlight.set(user, left);
    };
  }

  /** One Directory query by `user` (the admin the service account impersonates). */
  admitDirectory(user: string): void {
    if (!this.quota.enabled) return;
    const wait = this.units.take(`directory:${user}`, 1, this.scaled(this.quota.directoryQueriesPerMinute), this.now());
    if (wait === 0) return;
    this.onRefusal('directoryQueries');
    throw new GoogleApiError({
      status: 403,
      message: "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'.",
      reason: 'userRateLimitExceeded',
      domain: 'usageLimits',
      headers: retryAfter(wait),
    });
  }

  /**
   * One People API request for `user`: a read or a write against its per-minute
   * bucket. The 429 is the People API's: RESOURCE_EXHAUSTED with the quota named in
   * the message and a google.rpc.ErrorInfo detail, no Retry-After header (the read
   * refusal quoted in mrmattwilkins/google-contacts-sync#1 and taers232c/GAMADV-XTD3#315).
   */
  admitPeople(user: string, projectNumber: string, kind: 'read' | 'write'): void {
    if (!this.quota.enabled) return;
    const perMinute = this.scaled(kind === 'read' ? this.quota.peopleReadsPerMinute : this.quota.peopleWritesPerMinute);
    if (this.units.take(`people-${kind}:${user}`, 1, perMinute, this.now()) === 0) return;
    this.onRefusal(kind === 'read' ? 'peopleReads' : 'peopleWrites');
    // The read wording is Google's; the write one mirrors it (emulator's choice: no write refusal was found quoted).
    const metric = kind === 'read' ? 'Critical read requests (Contact and Profile Reads)' : 'Write requests (Contact and Contact Group Writes)';
    const limitName = kind === 'read' ? 'CriticalReadsPerMinutePerProjectPerUser' : 'WritesPerMinutePerProjectPerUser';
    throw peopleError(
      429,
      'RESOURCE_EXHAUSTED',
      `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute per user' of service 'people.googleapis.com' for consumer 'project_number:${projectNumber}'.`,
      [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'RATE_LIMIT_EXCEEDED',
          domain: 'googleapis.com',
          metadata: {
            quota_limit: limitName,
            service: 'people.googleapis.com',
            quota_metric: kind === 'read' ? 'people.googleapis.com/critical_read_requests' : 'people.googleapis.com/write_requests',
            consumer: `projects/${projectNumber}`,
          },
        },
      ],
    );
  }

  /**
   * One Calendar API request for `user` of `project`: 600 per minute per user per project and
   * 10,000 per minute per project (Calendar API "Usage limits" page). "You can exceed quota …
   * 403 usageLimits or 429 usageLimits" (same page); the texts are the errors guide's:
   * 403 userRateLimitExceeded "User Rate Limit Exceeded" for the user's quota,
   * 429 rateLimitExceeded "Rate Limit Exceeded" for the project's. No Retry-After header.
   */
  admitCalendar(user: string, project: string): void {
    if (!this.quota.enabled) return;
    const now = this.now();
    const userKey = `calendar-user:${project}:${user}`;
    if (this.units.take(userKey, 1, this.scaled(this.quota.calendarUserRequestsPerMinute), now) > 0) {
      this.onRefusal('calendarUser');
      throw new GoogleApiError({ status: 403, message: 'User Rate Limit Exceeded', reason: 'userRateLimitExceeded', domain: 'usageLimits' });
    }
    if (this.units.take(`calendar-project:${project}`, 1, this.scaled(this.quota.calendarProjectRequestsPerMinute), now) > 0) {
      this.units.giveBack(userKey, 1);
      this.onRefusal('calendarProject');
      throw new GoogleApiError({ status: 429, message: 'Rate Limit Exceeded', reason: 'rateLimitExceeded', domain: 'usageLimits' });
    }
  }

  private takeUnits(user: string, project: string, cost: number): void {
    const now = this.now();
    const userKey = `gmail-user:${user}`;
    const userWait = this.units.take(userKey, cost, this.scaled(this.quota.userUnitsPerMinute), now);
    if (userWait > 0) {
      this.onRefusal('userUnits');
      // As Gmail does: the time only in the message, no Retry-After header.
      throw userRateLimitExceeded(now + userWait * 1000);
    }
    const projectWait = this.units.take(`gmail-project:${project}`, cost, this.scaled(this.quota.projectUnitsPerMinute), now);
    if (projectWait > 0) {
      this.units.giveBack(userKey, cost);
      this.onRefusal('projectUnits');
      // Gmail names no delay here (seen in GAM-team/got-your-back#309, #333): the client backs off.
      throw new GoogleApiError({
        status: 403,
        message: 'Rate Limit Exceeded',
        reason: 'rateLimitExceeded',
        domain: 'usageLimits',
      });
    }
  }

  private scaled(perMinute: number): number {
    return perMinute * this.throttle.quotaScale;
  }
}
