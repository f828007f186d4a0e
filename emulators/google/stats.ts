import type { QuotaRefusalKind } from './quota.js';

export interface StatsView {
  since: string;
  totalRequests: number;
  /** `METHOD /route/pattern` → HTTP status → count. */
  requests: Record<string, Record<string, number>>;
  quotaRefusals: Record<QuotaRefusalKind, number>;
}

function noRefusals(): Record<QuotaRefusalKind, number> {
  return { userUnits: 0, projectUnits: 0, concurrency: 0, directoryQueries: 0, injected: 0 };
}

export class StatsRecorder {
  private requests = new Map<string, Map<number, number>>();
  private refusals = noRefusals();
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
  }

  view(): StatsView {
    const requests: StatsView['requests'] = {};
    for (const [route, byStatus] of this.requests) {
      requests[route] = Object.fromEntries([...byStatus].map(([status, count]) => [String(status), count]));
    }
    return { since: new Date(this.since).toISOString(), totalRequests: this.total, requests, quotaRefusals: { ...this.refusals } };
  }

  reset(): void {
    this.requests = new Map();
    this.refusals = noRefusals();
    this.total = 0;
    this.since = this.now();
  }
}
