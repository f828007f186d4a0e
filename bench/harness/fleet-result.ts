import type { BenchContext, ScenarioResult } from './context.js';
import type { WindowFigures } from './fleet-cycles.js';
import type { FleetSize } from './options.js';
import type { UsageWindow } from './proc.js';
import { count, decimal, megabytes } from './report.js';
import type { timingDelta } from './store-timing.js';
import type { startBenchSync } from './sync-setup.js';
import type { ActivityFailures } from './worker-log.js';

const fifteenMinutes = 900;

/** What scenario 5 measured on one fleet; fleetResult turns it into the table's rows and the JSON's details. */
export interface FleetMeasurement {
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
  /** CPU from the first start until every first sync was done, and the recurring cycles finished in that time. */
  firstSyncPhase: { cpu: ReturnType<UsageWindow['finish']>; deltaCycles: number } | null;
  cyclesLeftRunning: number;
  eventLoop: { meanMs: number; worstP99Ms: number };
  activityFailures: ActivityFailures;
  peak: ReturnType<UsageWindow['finish']>;
  startSeconds: number;
  workerLoad: ReturnType<Awaited<ReturnType<typeof startBenchSync>>['worker']['peakLoad']>;
  messagesPerUser: number;
  folders: number;
}

export function fleetResult(m: FleetMeasurement): ScenarioResult {
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
  // A first sync's own cost: the phase's CPU less the recurring cycles it also ran, at the window's cost per cycle.
  const perFirstSync = (name: string) =>
    m.firstSyncPhase ? Math.max(0, (m.firstSyncPhase.cpu[name]?.cpuSeconds ?? 0) - m.firstSyncPhase.deltaCycles * (cpuSecondsPerCycle(name) || 0)) / users : Number.NaN;
  const cpuSecondsPerFirstSync = { worker: perFirstSync('worker'), temporalServer: perFirstSync('temporalServer'), emulatorsAndDriver: perFirstSync('emulatorsAndDriver') };
  const firstSyncCpu = cpuSecondsPerFirstSync.worker + cpuSecondsPerFirstSync.temporalServer + cpuSecondsPerFirstSync.emulatorsAndDriver;
  const cpuBoundFirstSyncsPerSecond = 2 / firstSyncCpu;
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
    firstSyncPhase: m.firstSyncPhase,
    cpuSecondsPerFirstSync,
    cpuBoundFirstSyncsPerSecondOnTwoCores: cpuBoundFirstSyncsPerSecond,
    cyclesLeftRunning: m.cyclesLeftRunning,
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
      metric: `CPU seconds per provisioning and first sync (less the ${count(m.firstSyncPhase?.deltaCycles ?? 0)} recurring cycles of that time): worker / dev server / emulators+driver, and first syncs two whole cores sustain at that cost`,
      measured: m.firstSyncPhase
        ? `${decimal(cpuSecondsPerFirstSync.worker, 3)} / ${decimal(cpuSecondsPerFirstSync.temporalServer, 3)} / ${decimal(cpuSecondsPerFirstSync.emulatorsAndDriver, 3)} s; ${decimal(cpuBoundFirstSyncsPerSecond, 1)}/s`
        : 'first syncs not done',
      target: '',
      met: null,
    },
    {
      scenario: name,
      metric: 'Cycles left running although their user started a later one (a cycle recorded twice or never finished)',
      measured: count(m.cyclesLeftRunning),
      target: '0',
      met: m.cyclesLeftRunning === 0,
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
