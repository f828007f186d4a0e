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
}

export class RequestStats {
  private since = new Date();
  private total = 0;
  private byRoute = new Map<string, Map<number, number>>();
  private refusals: Record<RefusalReason, number> = { concurrency: 0, budget: 0, injected: 0 };
  private tokensIssued = 0;
  private tokenRefusals = 0;

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
    };
  }
}
