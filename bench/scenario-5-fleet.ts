import { setTimeout as sleep } from 'node:timers/promises';
import { defaultPacing } from '../activities/pacing.js';
import type { BenchContext, ScenarioResult } from './harness/context.js';
import { microsoftRequests, routeDelta, startBenchEmulators } from './harness/emulators.js';
import { countUsersPastFirstSync, readCycles, windowFigures, type CycleRow } from './harness/fleet-cycles.js';
import { fleetResult } from './harness/fleet-result.js';
import type { FleetSize } from './harness/options.js';
import { readThreadCpu, threadCpuDelta, UsageWindow } from './harness/proc.js';
import { count, decimal } from './harness/report.js';
import { timingDelta } from './harness/store-timing.js';
import { startBenchSync } from './harness/sync-setup.js';
import { startBenchTemporal } from './harness/temporal.js';

/**
 * Scenario 5: a fleet of users with small mailboxes (2 messages, the 12
 * folders every seeded mailbox has) on one worker and one dev server, each
 * fleet size on a fresh dev server. Quotas are off in both emulators: this
 * measures orchestration, and per-mailbox quotas do not bind on tiny
 * mailboxes (Google's Directory quota would slow the provisioning storm,
 * which is not what is measured here).
 *
 * The workflows are started evenly over one interval, the shape a fleet has
 * in steady state (cycles spread over the interval). Then, for the
 * measurement window: cycles completed per minute against the rate the
 * interval asks for (users ÷ interval), schedule lag (see fleet-cycles.ts),
 * CPU of the worker, the dev server and the bench process (emulators and
 * driver), and their peak memory over the whole run.
 */
export async function runFleet(ctx: BenchContext, size: FleetSize): Promise<ScenarioResult> {
  const { users, intervalSeconds } = size;
  const { measureSeconds, messagesPerUser } = ctx.options.fleet;
  const label = `fleet-${users}`;
  const temporal = await startBenchTemporal(ctx.dataDir);
  const emulators = await startBenchEmulators({ m365: { quota: { enabled: false } }, google: { quota: { enabled: false } } });
  try {
    const seeded = emulators.m365.emulator.seed({ seed: 21, users, messagesPerUser, failingItemsPerUser: 0, groups: false }).users;
    // One cached workflow per user unless --fleet-cache bounds it: an evicted user replays its run's
    // history at its next cycle, which is the price of a worker's memory following its concurrency.
    const cachedWorkflows = ctx.options.fleet.cachedWorkflows ?? users;
    const sync = await startBenchSync({ bench: await ctx.syncPlacement(label), temporal, emulators, pacing: defaultPacing, maxCachedWorkflows: cachedWorkflows, label });
    try {
      const selected = await sync.selectUsers(seeded);
      const processes = { worker: sync.worker.pid, temporalServer: temporal.pid, emulatorsAndDriver: process.pid };
      const wholeRun = new UsageWindow(processes);
      const firstSyncPhase = new UsageWindow(processes);
      const startsPerSecond = users / intervalSeconds;
      ctx.log(`${label}: starting ${count(users)} workflows over ${intervalSeconds} s (${decimal(startsPerSecond)}/s), cycle interval ${intervalSeconds} s`);
      const began = Date.now();
      const progress = setInterval(() => void logProgress(ctx, label, sync.store, users, began), 30_000);
      try {
        await sync.startWorkflows(selected, { intervalSeconds, startsPerSecond });
        const startSeconds = (Date.now() - began) / 1000;
        const rampEnds = began + intervalSeconds * 1000;
        if (Date.now() < rampEnds) await sleep(rampEnds - Date.now());
        // Steady state is what is measured: every user past its first sync (a rollout's day one,
        // provisioning included, costs several recurring cycles), then one more interval so that
        // every user has been through a recurring cycle and the schedule has settled.
        const initialSyncsDoneAfter = await waitForFirstSyncs(sync.store, users, began + ctx.options.fleet.firstSyncsTimeoutSeconds * 1000);
        const drainSeconds = initialSyncsDoneAfter === null ? null : (initialSyncsDoneAfter - began) / 1000;
        const firstSyncCpu = firstSyncPhase.finish();
        const deltaCyclesDuringFirstSyncs = (await readCycles(sync.store)).filter((row) => row.kind === 'delta' && row.finishedAt !== null).length;
        if (initialSyncsDoneAfter !== null) await sleep(intervalSeconds * 1000);

        ctx.log(
          `${label}: starts took ${decimal(startSeconds)} s; first syncs ${drainSeconds === null ? 'still running' : `all done after ${decimal(drainSeconds)} s`}; measuring for ${measureSeconds} s`,
        );
        const window = new UsageWindow(processes);
        const threadsBefore = readThreadCpu(sync.worker.pid);
        const timingsBefore = sync.worker.storeTimings();
        const graphBefore = microsoftRequests(emulators).byRoute;
        const from = Date.now();
        await sleep(measureSeconds * 1000);
        const to = Date.now();
        const cpu = window.finish();
        const workerThreads = threadCpuDelta(threadsBefore, readThreadCpu(sync.worker.pid));
        const storeCalls = timingDelta(timingsBefore, sync.worker.storeTimings());
        const deltaPages = Object.entries(routeDelta(graphBefore, microsoftRequests(emulators).byRoute))
          .filter(([route]) => route.includes('/delta'))
          .reduce((sum, [, made]) => sum + made, 0);
        const eventLoop = summarizeDelays(sync.worker.eventLoopDelays().filter((reading) => reading.at >= from && reading.at <= to));
        const cycleRows = await readCycles(sync.store);
        const figures = windowFigures(cycleRows, users, intervalSeconds, from, to);
        const peak = wholeRun.finish();
        const activityFailures = sync.worker.activityFailures();
        return fleetResult({
          size,
          cachedWorkflows,
          databaseName: ctx.databaseName,
          figures,
          cpu,
          workerThreads,
          storeCalls,
          storeCallsBeforeWindow: timingDelta({}, timingsBefore),
          deltaPages,
          firstSyncsDoneAfterSeconds: drainSeconds,
          firstSyncPhase: drainSeconds === null ? null : { cpu: firstSyncCpu, deltaCycles: deltaCyclesDuringFirstSyncs },
          cyclesLeftRunning: cyclesLeftRunning(cycleRows),
          firstSyncsTimeoutSeconds: ctx.options.fleet.firstSyncsTimeoutSeconds,
          eventLoop,
          activityFailures,
          peak,
          startSeconds,
          workerLoad: sync.worker.peakLoad(),
          messagesPerUser,
          folders: (await sync.store.folders.list(selected[0]!.syncUserId)).length,
        });
      } finally {
        clearInterval(progress);
      }
    } finally {
      await sync.close();
    }
  } finally {
    await emulators.close();
    await temporal.close();
  }
}

async function logProgress(ctx: BenchContext, label: string, store: Awaited<ReturnType<typeof startBenchSync>>['store'], users: number, began: number): Promise<void> {
  const rows = await readCycles(store).catch(() => []);
  const finished = rows.filter((row) => row.finishedAt !== null);
  const initial = finished.filter((row) => row.kind === 'initial').length;
  ctx.log(
    `${label}: ${Math.round((Date.now() - began) / 1000)} s: ${count(initial)}/${count(users)} initial syncs done, ${count(finished.length - initial)} delta cycles done, ${count(rows.length - finished.length)} running`,
  );
}

/** When every user has finished a first sync (epoch ms), or null at the deadline. */
async function waitForFirstSyncs(syncStore: Awaited<ReturnType<typeof startBenchSync>>['store'], users: number, deadline: number): Promise<number | null> {
  for (;;) {
    if ((await countUsersPastFirstSync(syncStore).catch(() => 0)) >= users) return Date.now();
    if (Date.now() >= deadline) return null;
    await sleep(5_000);
  }
}

/** Cycles still 'running' although the same user started a later one: a cycle recorded twice, or never finished. */
function cyclesLeftRunning(rows: readonly CycleRow[]): number {
  const latestStart = new Map<string, number>();
  for (const row of rows) latestStart.set(row.syncUserId, Math.max(latestStart.get(row.syncUserId) ?? 0, row.startedAt));
  return rows.filter((row) => row.finishedAt === null && row.startedAt < latestStart.get(row.syncUserId)!).length;
}

function summarizeDelays(readings: Array<{ mean: number; p99: number }>): { meanMs: number; worstP99Ms: number } {
  const mean = readings.reduce((sum, reading) => sum + reading.mean, 0) / Math.max(1, readings.length);
  return { meanMs: Math.round(mean * 10) / 10, worstP99Ms: Math.round(Math.max(0, ...readings.map((reading) => reading.p99))) };
}
