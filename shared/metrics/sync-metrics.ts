import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What the worker counts while it syncs, defined once. Every metric here is
 * served by the worker's metrics endpoint (worker-endpoint.ts); README,
 * "Metrics", lists them with the alert rules built on them. Labels carry
 * only words of the product's vocabulary (data types, codes, services,
 * cycle kinds): never an address, a name, a subject or an id.
 */
export const syncMetricsRegistry = new Registry();

/** The services the connectors talk to, as the failures' details name them (activities/failures.ts). */
export type ServiceLabel = 'microsoft365' | 'google-workspace';

const itemsCopied = new Counter({
  name: 'continuity_items_copied_total',
  help: 'Items copied to Google Workspace (accepted by Gmail and recorded), by data type.',
  labelNames: ['data_type'] as const,
  registers: [syncMetricsRegistry],
});

const itemsFailed = new Counter({
  name: 'continuity_items_failed_total',
  help: "Items that could not be copied, or whose change Gmail refused, by data type and item error code (each listed in the user's items view).",
  labelNames: ['data_type', 'code'] as const,
  registers: [syncMetricsRegistry],
});

const throttledResponses = new Counter({
  name: 'continuity_throttled_responses_total',
  help: "Responses in which a service refused a request for its rate limits or quotas (429, Gmail's 403 rate-limit reasons, Graph's 503 with Retry-After), by service and HTTP status.",
  labelNames: ['service', 'status_code'] as const,
  registers: [syncMetricsRegistry],
});

const cycleLag = new Histogram({
  name: 'continuity_cycle_lag_seconds',
  help: 'How late a scheduled sync cycle started: its start minus the time it was due.',
  labelNames: ['kind'] as const,
  buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
  registers: [syncMetricsRegistry],
});

const cycleDuration = new Histogram({
  name: 'continuity_cycle_duration_seconds',
  help: 'How long a sync cycle ran, from its start to its finish, by kind (initial or delta) and outcome.',
  labelNames: ['kind', 'outcome'] as const,
  buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200, 14400],
  registers: [syncMetricsRegistry],
});

/** Set by activities/download-budget.ts, the worker's one budget for items downloaded and not yet imported. */
export const downloadBudgetInUse = new Gauge({
  name: 'continuity_download_budget_bytes_in_use',
  help: 'Bytes of downloaded items this worker holds and has not yet written to Google (bounded by WORKER_DOWNLOAD_BUDGET_MB).',
  registers: [syncMetricsRegistry],
});

export const downloadBudgetWaits = new Counter({
  name: 'continuity_download_budget_waits_total',
  help: "Downloads that waited because the worker's download budget was full (back-pressure; a steady rise means the budget, not the services, sets the pace).",
  registers: [syncMetricsRegistry],
});

export function countItemsCopied(dataType: string, count: number): void {
  if (count > 0) itemsCopied.inc({ data_type: dataType }, count);
}

/** One entry per item, its error code. */
export function countItemsFailed(dataType: string, codes: readonly string[]): void {
  for (const code of codes) itemsFailed.inc({ data_type: dataType, code });
}

/** A refused response; `status` is undefined when the refusal came without an HTTP answer of its own. */
export function countThrottledResponse(service: ServiceLabel, status: number | undefined, count = 1): void {
  if (count > 0) throttledResponses.inc({ service, status_code: status === undefined ? 'none' : String(status) }, count);
}

/**
 * A cycle has begun. Only a cycle that ran because it was due has a lag; one
 * an operator (or fixed credentials) asked for runs ahead of its time, and the
 * first cycle of a workflow run has no due time yet.
 */
export function observeCycleStart(cycle: { kind: string; trigger: string; dueAt: string | null }, startedAt: Date = new Date()): void {
  if (cycle.trigger !== 'schedule' || cycle.dueAt === null) return;
  const due = Date.parse(cycle.dueAt);
  if (Number.isNaN(due)) return;
  cycleLag.observe({ kind: cycle.kind }, Math.max(0, (startedAt.getTime() - due) / 1000));
}

export function observeCycleDuration(cycle: { kind: string; outcome: string; startedAt: Date }, finishedAt: Date = new Date()): void {
  cycleDuration.observe({ kind: cycle.kind, outcome: cycle.outcome }, Math.max(0, (finishedAt.getTime() - cycle.startedAt.getTime()) / 1000));
}
