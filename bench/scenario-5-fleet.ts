import { setTimeout as sleep } from 'node:timers/promises';
import { defaultPacing } from '../activities/pacing.js';
import type { BenchContext, ScenarioResult } from './harness/context.js';
import { microsoftRequests, routeDelta, startBenchEmulators } from './harness/emulators.js';
import { countUsersPastFirstSync, readCycles, windowFigures, type WindowFigures } from './harness/fleet-cycles.js';
import type { FleetSize } from './harness/options.js';
import { readThreadCpu, threadCpuDelta, UsageWindow } from './harness/proc.js';
import { count, decimal, megabytes } from './harness/report.js';
import { timingDelta } from './harness/store-timing.js';
import type { ActivityFailures } from './harness/worker-log.js';
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
const fifteenMinutes = 900;

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
        const figures = windowFigures(await readCycles(sync.store), users, intervalSeconds, from, to);
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

function summarizeDelays(readings: Array<{ mean: number; p99: number }>): { meanMs: number; worstP99Ms: number } {
  const mean = readings.reduce((sum, reading) => sum + reading.mean, 0) / Math.max(1, readings.length);
  return { meanMs: Math.round(mean * 10) / 10, worstP99Ms: Math.round(Math.max(0, ...readings.map((reading) => reading.p99))) };
}

interface FleetMeasurement {
  size: FleetSize;
  cachedWorkflows: number;
  databaseName: BenchContext['databaseName'];
  figures: WindowFigures;
  cpu: ReturnType<UsageWindow['finish']>;
  workerThreads: Record<string, number>;
  storeCalls: ReturnType<typeof timingDelta>;
  /** Repository calls from the first start until the window: the first syncs and one interval of cycles. */
  storeCallsBeforeWindow: ReturnType<typeof timingDelta>;
  /** Folder delta pages Graph served in the window (the emulator's count). */
  deltaPages: number;
  /** From the first start until every user had finished a first sync; null if they had not by the deadline. */
  firstSyncsDoneAfterSeconds: number | null;
  firstSyncsTimeoutSeconds: number;
  eventLoop: { meanMs: number; worstP99Ms: number };
  activityFailures: ActivityFailures;
  peak: ReturnType<UsageWindow['finish']>;
  startSeconds: number;
  workerLoad: ReturnType<Awaited<ReturnType<typeof startBenchSync>>['worker']['peakLoad']>;
  messagesPerUser: number;
  folders: number;
}

function fleetResult(m: FleetMeasurement): ScenarioResult {
  const { users, intervalSeconds } = m.size;
  const needed = (users / intervalSeconds) * 60;
  const done = m.figures.cyclesPerMinute;
  const cores = (name: string) => m.cpu[name]?.cores ?? 0;
  const cpuSecondsPerCycle = (name: string) => (done > 0 ? (m.cpu[name]?.cpuSeconds ?? 0) / (done * (m.figures.windowSeconds / 60)) : Number.NaN);
  const totalCpuPerCycle = cpuSecondsPerCycle('worker') + cpuSecondsPerCycle('temporalServer') + cpuSecondsPerCycle('emulatorsAndDriver');
  // What two whole cores would sustain at the measured CPU cost of a cycle, and how many users that is at 15 minutes.
  const cpuBoundCyclesPerMinute = (2 / totalCpuPerCycle) * 60;
  const keptUp = done >= needed * 0.95;
  // Throughput that does not depend on when cycles happen to finish: folder delta pages read
  // (one per folder in a cycle of a small mailbox), in idle cycles' worth.
  const windowMinutes = m.figures.windowSeconds / 60;
  const pages = m.deltaPages;
  const pagesPerMinute = pages / windowMinutes;
  const cycleEquivalentsPerMinute = pagesPerMinute / m.folders;
  const usersAtFifteenMinutes = Math.floor((keptUp ? needed : Math.max(done, cycleEquivalentsPerMinute)) * (fifteenMinutes / 60));
  const storeCalls = m.storeCalls.reduce((sum, call) => sum + call.calls, 0);
  const storeWaitSeconds = m.storeCalls.reduce((sum, call) => sum + call.totalSeconds, 0);
  const lag = m.figures.lagSeconds;
  const name = `5 Fleet ${count(users)}`;
  const details = {
    users,
    intervalSeconds,
    messagesPerUser: m.messagesPerUser,
    foldersPerUser: m.folders,
    workerCachedWorkflows: m.cachedWorkflows,
    secondsToStartAllWorkflows: m.startSeconds,
    secondsUntilEveryFirstSyncDone: m.firstSyncsDoneAfterSeconds,
    neededCyclesPerMinute: needed,
    window: m.figures,
    cpu: m.cpu,
    workerThreadsCpuSeconds: m.workerThreads,
    workerEventLoopDelay: m.eventLoop,
    workerActivityFailures: m.activityFailures,
    /** Repository calls the worker made in the window: how often, how long each waited and ran. */
    workerStoreCalls: m.storeCalls,
    workerStoreCallsBeforeWindow: m.storeCallsBeforeWindow,
    cpuSecondsPerCycle: { worker: cpuSecondsPerCycle('worker'), temporalServer: cpuSecondsPerCycle('temporalServer'), emulatorsAndDriver: cpuSecondsPerCycle('emulatorsAndDriver') },
    cpuBoundCyclesPerMinuteOnTwoCores: cpuBoundCyclesPerMinute,
    folderPagesPerMinute: pagesPerMinute,
    idleCycleEquivalentsPerMinute: cycleEquivalentsPerMinute,
    storeCallsPerFolderPage: pages ? storeCalls / pages : Number.NaN,
    storeCallMeanMs: storeCalls ? (storeWaitSeconds * 1000) / storeCalls : Number.NaN,
    peakMemory: Object.fromEntries(Object.entries(m.peak).map(([process, usage]) => [process, usage.peakRssBytes])),
    workerPeakLoad: m.workerLoad,
    keptUp,
    usersSupportedAtFifteenMinutes: usersAtFifteenMinutes,
  };
  const rows = [
    {
      scenario: name,
      metric: `Every user through provisioning and a first sync, from the first start (starts spread over ${intervalSeconds} s)`,
      measured:
        m.firstSyncsDoneAfterSeconds === null
          ? `not within ${count(m.firstSyncsTimeoutSeconds)} s`
          : `${decimal(m.firstSyncsDoneAfterSeconds, 0)} s (${decimal(m.size.users / m.firstSyncsDoneAfterSeconds, 1)} users/s)`,
      target: '',
      met: null,
    },
    {
      scenario: name,
      metric: `Cycles completed per minute (interval ${intervalSeconds} s asks for ${decimal(needed, 0)}/min; ${count(m.figures.usersWithoutInitialSync)} users still without a first sync at the end)`,
      measured: `${decimal(done, 0)}/min`,
      target: `≥ ${decimal(needed * 0.95, 0)}/min`,
      met: keptUp,
    },
    {
      scenario: name,
      metric: `Schedule lag (start − due) p50 / p95, ${count(lag.samples)} cycles (${count(lag.overdueAtEnd)} still waiting at the end)`,
      measured: `${decimal(lag.p50)} s / ${decimal(lag.p95)} s`,
      target: '< 30 s at p95',
      met: lag.p95 < 30,
    },
    {
      scenario: name,
      metric: `Folder delta pages read per minute (÷ ${m.folders} folders = idle cycles' worth)`,
      measured: `${decimal(pagesPerMinute, 0)}/min = ${decimal(cycleEquivalentsPerMinute, 0)} cycles/min`,
      target: '',
      met: null,
    },
    {
      scenario: name,
      metric: `Worker database calls per folder page, and their mean time (${m.databaseName === 'SQLite' ? 'one SQLite connection' : 'PostgreSQL'}, queueing included)`,
      measured: `${decimal(pages ? storeCalls / pages : Number.NaN)} calls, ${decimal(storeCalls ? (storeWaitSeconds * 1000) / storeCalls : Number.NaN)} ms`,
      target: '',
      met: null,
    },
    {
      scenario: name,
      metric: 'Failed activity attempts, whole run (retried by Temporal; causes in the JSON)',
      measured: count(m.activityFailures.attempts),
      target: '',
      met: null,
    },
    {
      scenario: name,
      metric: 'CPU in cores: worker / dev server / emulators+driver',
      measured: `${decimal(cores('worker'), 2)} / ${decimal(cores('temporalServer'), 2)} / ${decimal(cores('emulatorsAndDriver'), 2)}`,
      target: '',
      met: null,
    },
    {
      scenario: name,
      metric: `Peak memory: worker (${count(m.cachedWorkflows)} cached workflows) / dev server`,
      measured: `${megabytes(m.peak.worker?.peakRssBytes ?? 0)} / ${megabytes(m.peak.temporalServer?.peakRssBytes ?? 0)}`,
      target: '',
      met: null,
    },
    {
      scenario: name,
      metric: `Users at a 15-minute interval at the rate measured (${keptUp ? 'kept up: lower bound' : 'saturated: the limit'})`,
      measured: count(usersAtFifteenMinutes),
      target: '≥ 10,000',
      met: usersAtFifteenMinutes >= 10_000 && lag.p95 < 30,
    },
  ];
  return { rows, details };
}
