import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | null = null;

/**
 * prom-client's standard process and Node.js metrics (CPU, memory, event
 * loop lag, GC), once per process whatever number of endpoints serve them:
 * collecting them sets up event-loop and GC observers.
 */
export function processMetricsRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The Prometheus text of several registries (whose metric names do not overlap), one after the other. */
export async function metricsText(registries: readonly Registry[]): Promise<string> {
  const texts = await Promise.all(registries.map((registry) => registry.metrics()));
  return texts.map((text) => (text.endsWith('\n') || text === '' ? text : `${text}\n`)).join('');
}

/** Prometheus text exposition format 0.0.4, as prom-client writes it. */
export const prometheusContentType: string = Registry.PROMETHEUS_CONTENT_TYPE;
