/**
 * Outlook's throttling as Graph applies it to mail: per app and mailbox, at
 * most `concurrency` requests in flight (4) and `requestsPerWindow` requests
 * per `windowSeconds` (10,000 per 600 s). The documentation disagrees on
 * whether the concurrency limit is per mailbox or per app across mailboxes,
 * so `scope` chooses. The request budget is a token bucket: a burst of the
 * whole budget, then a steady refill of budget/window per second, which over
 * any window admits what a sliding 10-minute window would.
 *
 * On top of the quotas, a fault ratio answers a share of requests with 429
 * regardless of load (deterministic: every 1/ratio-th request).
 */
export type QuotaScope = 'mailbox' | 'app';

export interface QuotaSettings {
  enabled: boolean;
  concurrency: number;
  requestsPerWindow: number;
  windowSeconds: number;
  scope: QuotaScope;
}

export interface ThrottleAdjustment {
  /** Multiplies both quotas (0.01 turns 10,000 requests into 100 and 4 concurrent into 1). */
  quotaScale?: number;
  /** Share of requests refused with 429 whatever the load, 0 to 1. */
  ratio?: number;
  /** Retry-After for injected refusals, and for quota refusals when set. */
  retryAfterSeconds?: number;
  enabled?: boolean;
}

export type RefusalReason = 'concurrency' | 'budget' | 'injected';

export type Admission = { admitted: true; release: () => void } | { admitted: false; reason: RefusalReason; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const defaultInjectedRetryAfterSeconds = 2;

export class ThrottleGovernor {
  private readonly base: QuotaSettings;
  private quotaScale = 1;
  private enabled: boolean;
  private faultRatio = 0;
  private faultAccumulator = 0;
  private retryAfterOverride: number | undefined;
  private readonly inFlightByKey = new Map<string, number>();
  private readonly buckets = new Map<string, Bucket>();
  private gate: Promise<void> | undefined;

  constructor(
    base: QuotaSettings,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.base = base;
    this.enabled = base.enabled;
  }

  get scope(): QuotaScope {
    return this.base.scope;
  }

  get concurrencyLimit(): number {
    return Math.max(1, Math.round(this.base.concurrency * this.quotaScale));
  }

  get requestBudget(): number {
    return Math.max(1, Math.round(this.base.requestsPerWindow * this.quotaScale));
  }

  adjust(adjustment: ThrottleAdjustment): void {
    if (adjustment.quotaScale !== undefined) {
      this.quotaScale = adjustment.quotaScale;
      this.buckets.clear();
    }
    if (adjustment.ratio !== undefined) {
      this.faultRatio = adjustment.ratio;
      this.faultAccumulator = 0;
    }
    if (adjustment.retryAfterSeconds !== undefined) this.retryAfterOverride = adjustment.retryAfterSeconds;
    if (adjustment.enabled !== undefined) this.enabled = adjustment.enabled;
  }

  reset(): void {
    this.quotaScale = 1;
    this.enabled = this.base.enabled;
    this.faultRatio = 0;
    this.faultAccumulator = 0;
    this.retryAfterOverride = undefined;
    this.buckets.clear();
  }

  /** Retry-After in seconds when this request is one of the injected refusals, else undefined. */
  injectedRefusal(): number | undefined {
    if (this.faultRatio <= 0) return undefined;
    this.faultAccumulator += this.faultRatio;
    if (this.faultAccumulator < 1) return undefined;
    this.faultAccumulator -= 1;
    return this.retryAfterOverride ?? defaultInjectedRetryAfterSeconds;
  }

  /** Admits one request for a mailbox, or says why not; an admitted request must call release(). */
  admit(mailboxKey: string): Admission {
    if (!this.enabled) return { admitted: true, release: () => undefined };
    const key = this.base.scope === 'app' ? 'app' : mailboxKey;
    const inFlight = this.inFlightByKey.get(key) ?? 0;
    if (inFlight >= this.concurrencyLimit) return { admitted: false, reason: 'concurrency', retryAfterSeconds: this.retryAfterOverride ?? 1 };
    const budgetKey = mailboxKey;
    const wait = this.takeFromBudget(budgetKey);
    if (wait > 0) return { admitted: false, reason: 'budget', retryAfterSeconds: this.retryAfterOverride ?? wait };
    this.inFlightByKey.set(key, inFlight + 1);
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        const current = this.inFlightByKey.get(key) ?? 1;
        if (current <= 1) this.inFlightByKey.delete(key);
        else this.inFlightByKey.set(key, current - 1);
      },
    };
  }

  inFlight(mailboxKey: string): number {
    return this.inFlightByKey.get(this.base.scope === 'app' ? 'app' : mailboxKey) ?? 0;
  }

  /**
   * Holds admitted mailbox requests (they keep their concurrency slot) until
   * the returned function is called: lets a test fill the slots and observe
   * the next request being refused without relying on timing.
   */
  hold(): () => void {
    let open: () => void = () => undefined;
    this.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    return () => {
      this.gate = undefined;
      open();
    };
  }

  async passGate(): Promise<void> {
    if (this.gate) await this.gate;
  }

  /** Takes one request from the mailbox's budget; returns 0, or the seconds until one is available. */
  private takeFromBudget(key: string): number {
    const capacity = this.requestBudget;
    const refillPerSecond = capacity / this.base.windowSeconds;
    const now = this.now() / 1000;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) * refillPerSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond));
  }
}
