import { createServer, type Server } from 'node:http';
import { freePort } from '../free-port.js';
import type { AddressInfo } from 'node:net';
import type { TelemetryOptions } from '@temporalio/worker';
import { metricsText, processMetricsRegistry, prometheusContentType } from './process-metrics.js';
import { syncMetricsRegistry } from './sync-metrics.js';

/**
 * The worker's Prometheus endpoint: the sync's own metrics (sync-metrics.ts),
 * the process's, and the Temporal SDK's runtime metrics, on one address.
 *
 * The SDK's metrics are produced by its native Core, which exports them to
 * Prometheus through an HTTP listener of its own (telemetryOptions.metrics.
 * prometheus.bindAddress). That listener is bound to a free port on the
 * loopback interface, and each scrape of this endpoint reads it and appends
 * its text, so an operator scrapes one target per worker. (The SDK's other
 * way to reach its metrics from JavaScript, the buffered exporter, is marked
 * experimental in 1.24.) Core's names keep their own prefix, `temporal_`.
 */

export interface WorkerMetricsSettings {
  host: string;
  /** 0 picks a free port (printed at start). */
  port: number;
}

/** WORKER_METRICS_PORT turns the endpoint on (unset: off); WORKER_METRICS_HOST is where it listens (default all interfaces). */
export function workerMetricsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerMetricsSettings | null {
  const raw = env.WORKER_METRICS_PORT;
  if (raw === undefined || raw === '') return null;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`WORKER_METRICS_PORT must be a whole number between 0 and 65535, got "${raw}"`);
  return { host: env.WORKER_METRICS_HOST || '0.0.0.0', port };
}

export interface TemporalRuntimeMetrics {
  /** For Runtime.install({ telemetryOptions }), before any connection to Temporal is made. */
  telemetryOptions: TelemetryOptions;
  /** Where Core serves them. */
  url: string;
}

/** Telemetry options that make Core export its metrics on a loopback port this endpoint reads. */
export async function temporalRuntimeMetrics(): Promise<TemporalRuntimeMetrics> {
  const bindAddress = `127.0.0.1:${await freePort()}`;
  return { telemetryOptions: { metrics: { prometheus: { bindAddress } } }, url: `http://${bindAddress}/metrics` };
}

/** Core's text, or nothing when it cannot be read (the sync's own metrics are still served). */
async function readTemporalRuntimeMetrics(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return '';
    const text = await response.text();
    return text.endsWith('\n') || text === '' ? text : `${text}\n`;
  } catch {
    return '';
  }
}

/** Everything the endpoint serves, as Prometheus text. */
export async function readWorkerMetrics(temporalMetricsUrl?: string): Promise<string> {
  const [own, temporal] = await Promise.all([metricsText([syncMetricsRegistry, processMetricsRegistry()]), temporalMetricsUrl ? readTemporalRuntimeMetrics(temporalMetricsUrl) : Promise.resolve('')]);
  return own + temporal;
}

export interface WorkerMetricsServer {
  /** e.g. http://0.0.0.0:9464/metrics */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves GET /metrics; anything else is 404. */
export async function startWorkerMetricsServer(settings: WorkerMetricsSettings & { temporalMetricsUrl?: string }): Promise<WorkerMetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
      return;
    }
    readWorkerMetrics(settings.temporalMetricsUrl).then(
      (text) => response.writeHead(200, { 'content-type': prometheusContentType }).end(text),
      (err: Error) => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`Could not collect the metrics: ${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(settings.port, settings.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
