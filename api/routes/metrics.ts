import type { OpenAPIHono } from '@hono/zod-openapi';
import { metricsText, processMetricsRegistry, prometheusContentType } from '../../shared/metrics/process-metrics.js';
import { createStoreMetricsRegistry } from '../../store/metrics/store-gauges.js';
import { bearerAuth } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { DEFAULT_STALLED_AFTER_MS } from '../services/index.js';

/**
 * GET /metrics: Prometheus text, gauges computed from the database at each
 * scrape (store/metrics/store-gauges.ts) and the process's own metrics. Outside
 * /api, so the API token is not needed: the figures carry no personal data.
 * With METRICS_TOKEN set, a scrape must send it as a bearer token.
 */
export function registerMetricsRoute(app: OpenAPIHono, deps: ApiDeps): void {
  const registry = createStoreMetricsRegistry(deps.store, { stalledAfterMs: deps.stalledAfterMs ?? DEFAULT_STALLED_AFTER_MS });
  if (deps.metricsToken)
    app.use(
      '/metrics',
      bearerAuth(deps.metricsToken, () => false),
    );
  app.get('/metrics', async (c) => c.body(await metricsText([registry, processMetricsRegistry()]), 200, { 'content-type': prometheusContentType }));
}
