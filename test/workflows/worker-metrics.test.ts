import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryUser } from '../../emulators/microsoft365/state/directory.js';
import { startWorkerMetricsServer, temporalRuntimeMetrics, type WorkerMetricsServer } from '../../shared/metrics/worker-endpoint.js';
import { SyncStatus } from '../../shared/vocabulary.js';
import { parsePrometheusText, sampleSum, sampleValue, type Family } from '../helpers/prometheus-text.js';
import type { SyncFixture } from '../helpers/sync-fixture.js';
import { control } from '../helpers/emulator-control.js';

describe('worker metrics endpoint', () => {
  let fixture: SyncFixture;
  let helpers: typeof import('../helpers/sync-fixture.js');
  let server: WorkerMetricsServer;
  let users: DirectoryUser[];

  async function scrape(): Promise<{ text: string; families: Map<string, Family> }> {
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    return { text, families: parsePrometheusText(text) };
  }

  beforeAll(async () => {
    // The SDK's metrics must be configured before anything in this process talks to Temporal,
    // as worker/main.ts does; the test helpers (imported below) install a runtime of their own otherwise.
    const sdkMetrics = await temporalRuntimeMetrics();
    Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: sdkMetrics.telemetryOptions });
    helpers = await import('../helpers/sync-fixture.js');
    fixture = await helpers.createSyncFixture();
    server = await startWorkerMetricsServer({ host: '127.0.0.1', port: 0, temporalMetricsUrl: sdkMetrics.url });
    users = fixture.m365.emulator.seed({ seed: 71, users: 2, messagesPerUser: 30, failingItemsPerUser: [0, 4], groups: false }).users;
  });
  afterAll(async () => {
    await server?.close();
    await fixture?.close();
  });

  it('counts the messages copied and every throttled answer of each service, through a sync both services throttle', async () => {
    // Every fifth request refused with 429 and a one-second Retry-After: the sync waits and carries on.
    await control(fixture.google.url, '/_control/throttle', { ratio: 0.2, retryAfterSeconds: 1 });
    await control(fixture.m365.url, '/_control/throttle', { ratio: 0.2, retryAfterSeconds: 1 });
    try {
      const { syncUserId, handle } = await fixture.startSync(users[0]!);
      const snapshot = await helpers.waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced || s.status === SyncStatus.Failed, 110_000);
      expect(snapshot.lastError).toBeNull();
      const row = await fixture.store.syncUsers.get(syncUserId);
      const arrived = fixture.google.emulator.messagesOf(row!.targetEmail);
      expect(arrived.length).toBeGreaterThan(0);
      expect(row!.counts.imported).toBe(arrived.length);
    } finally {
      await control(fixture.google.url, '/_control/throttle', { ratio: 0 });
      await control(fixture.m365.url, '/_control/throttle', { ratio: 0 });
    }

    const { families } = await scrape();
    const arrived = fixture.google.emulator.messagesOf(`${users[0]!.mail!.split('@')[0]}@${helpers.targetDomain}`).length;
    expect(sampleValue(families, 'continuity_items_copied_total', { data_type: 'mail' })).toBe(arrived);

    const googleRefusals = Object.values(fixture.google.emulator.stats().quotaRefusals).reduce((sum, n) => sum + n, 0);
    const graphRefusals = fixture.m365.emulator.stats.snapshot().quotaRefusals.total;
    expect(googleRefusals).toBeGreaterThan(0);
    expect(graphRefusals).toBeGreaterThan(0);
    expect(sampleSum(families, 'continuity_throttled_responses_total', { service: 'google-workspace' })).toBe(googleRefusals);
    expect(sampleValue(families, 'continuity_throttled_responses_total', { service: 'google-workspace', status_code: '429' })).toBe(googleRefusals);
    expect(sampleSum(families, 'continuity_throttled_responses_total', { service: 'microsoft365' })).toBe(graphRefusals);

    // One finished initial cycle so far, with its duration.
    expect(sampleValue(families, 'continuity_cycle_duration_seconds_count', { kind: 'initial', outcome: 'succeeded' })).toBe(1);
    expect(sampleValue(families, 'continuity_cycle_duration_seconds_sum', { kind: 'initial', outcome: 'succeeded' })).toBeGreaterThan(0);
  });

  it('counts items that could not be copied by code, and the lag of cycles that ran on schedule', async () => {
    const before = sampleValue((await scrape()).families, 'continuity_items_copied_total', { data_type: 'mail' }) ?? 0;
    const { syncUserId, handle } = await fixture.startSync(users[1]!, { intervalSeconds: 1 });
    await helpers.waitForSnapshot(handle, (s) => s.cyclesCompleted >= 3 && s.status === SyncStatus.Synced, 110_000);

    const { families } = await scrape();
    const row = await fixture.store.syncUsers.get(syncUserId);
    expect(sampleValue(families, 'continuity_items_copied_total', { data_type: 'mail' })).toBe(before + row!.counts.imported);
    const listed = (await fixture.store.items.list({ syncUserId, limit: 100 })).items;
    expect(listed).toHaveLength(4);
    for (const code of new Set(listed.map((item) => item.errorCode))) {
      expect(sampleValue(families, 'continuity_items_failed_total', { data_type: 'mail', code }), code).toBe(listed.filter((item) => item.errorCode === code).length);
    }

    // The first cycle runs at once (no due time); each later one ran because it was due.
    const lagged = sampleValue(families, 'continuity_cycle_lag_seconds_count', { kind: 'delta' }) ?? 0;
    expect(lagged).toBeGreaterThanOrEqual(2);
    expect(sampleValue(families, 'continuity_cycle_lag_seconds_bucket', { kind: 'delta', le: '+Inf' })).toBe(lagged);
    expect(sampleValue(families, 'continuity_cycle_lag_seconds_count', { kind: 'initial' }) ?? 0).toBe(0);
    expect(sampleValue(families, 'continuity_cycle_duration_seconds_count', { kind: 'delta', outcome: 'succeeded' })).toBeGreaterThanOrEqual(2);
  });

  it("serves the Temporal SDK's own runtime metrics on the same endpoint", async () => {
    const { families } = await scrape();
    const sdkFamilies = [...families.keys()].filter((name) => name.startsWith('temporal_'));
    expect(sdkFamilies.length).toBeGreaterThan(5);
    // Core's counters for the activities and workflow tasks this worker ran.
    expect(sampleSum(families, 'temporal_activity_execution_latency_count')).toBeGreaterThan(0);
    expect(families.get('process_resident_memory_bytes')?.type).toBe('gauge');
  });
});
