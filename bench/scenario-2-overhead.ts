import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { PacingSettings } from '../activities/pacing.js';
import type { BenchContext, ScenarioResult } from './harness/context.js';
import { waitForInitialSync } from './harness/copy-progress.js';
import { benchDomain, googleRequests, microsoftRequests, startBenchEmulators, type BenchEmulators, type RouteCounts } from './harness/emulators.js';
import { readThreadCpu, threadCpuDelta, UsageWindow, type UsageOverWindow } from './harness/proc.js';
import { count, decimal } from './harness/report.js';
import { timingDelta } from './harness/store-timing.js';
import { startBenchSync } from './harness/sync-setup.js';
import type { BenchTemporal } from './harness/temporal.js';
import { forkTs } from './harness/worker-control.js';
import type { PlainCopyConfig, PlainCopyResult } from './plain-copy.js';

/**
 * Scenario 2: what Temporal and the database cost. The same mailbox, quotas
 * off, copied twice in the same run: by the sync (a worker process, the
 * Temporal dev server, SQLite) and by a plain script (a process of its own,
 * the same clients, page size and concurrency, no Temporal, no database).
 * Each copy gets fresh emulators seeded identically, served from this
 * process. Ratio = the sync's messages per second ÷ the plain script's,
 * each summed over its two copies.
 */
const deltaPageSize = 100;
const graphConcurrency = 4;
const gmailConcurrency = 8;
const unlimited = 1e9;

async function seededEmulators(messages: number) {
  const emulators = await startBenchEmulators({ m365: { quota: { enabled: false } }, google: { quota: { enabled: false } } });
  const user = emulators.m365.emulator.seed({ seed: 7, users: 1, messagesPerUser: messages, failingItemsPerUser: 0, groups: false }).users[0]!;
  return { emulators, user };
}

async function runPlain(ctx: BenchContext, messages: number): Promise<PlainCopyResult & { cpu: Record<string, UsageOverWindow>; requests: CopyRequests }> {
  const { emulators, user } = await seededEmulators(messages);
  try {
    const local = (user.mail ?? user.userPrincipalName).split('@')[0]!;
    const targetEmail = `${local}@${benchDomain}`;
    emulators.google.emulator.addUser({ primaryEmail: targetEmail, givenName: user.givenName ?? 'Bench', familyName: user.surname ?? 'User' });
    const config: PlainCopyConfig = {
      graph: emulators.m365.graphSettings,
      google: emulators.google.googleSettings,
      sourceUserId: user.id,
      targetEmail,
      pageSize: deltaPageSize,
      graphConcurrency,
      gmailConcurrency,
    };
    const child = forkTs(fileURLToPath(new URL('./plain-copy.ts', import.meta.url)), { ...process.env, BENCH_PLAIN_COPY_CONFIG: JSON.stringify(config) }, ctx.profileDirFor('overhead-plain'));
    const usage = new UsageWindow({ plainCopy: child.pid ?? 0, emulatorsAndDriver: process.pid });
    let cpu: Record<string, UsageOverWindow> = {};
    const result = await new Promise<PlainCopyResult>((resolve, reject) => {
      child.on('message', (message: { type: string; result: PlainCopyResult }) => {
        cpu = usage.finish();
        resolve(message.result);
      });
      child.once('exit', (code) => reject(new Error(`The plain copy exited with code ${code} before reporting.`)));
    });
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    return { ...result, cpu, requests: requestsByRoute(emulators) };
  } finally {
    await emulators.close();
  }
}

async function runOurs(ctx: BenchContext, temporal: BenchTemporal, messages: number) {
  const { emulators, user } = await seededEmulators(messages);
  const pacing: PacingSettings = {
    gmailUserUnitsPerMinute: unlimited,
    gmailConcurrency,
    graphRequestsPerTenMinutes: unlimited,
    graphConcurrency,
    peopleUserRequestsPerMinute: unlimited,
    calendarUserRequestsPerMinute: unlimited,
    calendarAttendeeWritesPerMinute: unlimited,
  };
  const sync = await startBenchSync({ bench: await ctx.syncPlacement('overhead-ours'), temporal, emulators, pacing, deltaPageSize, label: 'overhead' });
  try {
    const usage = new UsageWindow({ worker: sync.worker.pid, temporalServer: temporal.pid, emulatorsAndDriver: process.pid });
    const threadsBefore = readThreadCpu(sync.worker.pid);
    const timingsBefore = sync.worker.storeTimings();
    const [started] = await sync.startUsers([user], { intervalSeconds: 3_600 });
    const cycle = await waitForInitialSync(sync.store, started!.syncUserId, (messages / 20 + 300) * 1000);
    const threads = threadCpuDelta(threadsBefore, readThreadCpu(sync.worker.pid));
    const cpu = usage.finish();
    // The worker reports its store timings every two seconds; wait for a report that covers the whole copy.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const storeCalls = timingDelta(timingsBefore, sync.worker.storeTimings());
    await started!.handle.terminate('benchmark finished').catch(() => undefined);
    return { cycle, cpu, threads, storeCalls, requests: requestsByRoute(emulators), activityFailures: sync.worker.activityFailures() };
  } finally {
    await sync.close();
    await closeQuietly(emulators);
  }
}

/** Each copy's requests by route: the emulators' CPU follows them, and the two copies should make the same ones. */
interface CopyRequests {
  microsoft: RouteCounts;
  google: RouteCounts;
}

function requestsByRoute(emulators: BenchEmulators): CopyRequests {
  return { microsoft: microsoftRequests(emulators).byRoute, google: googleRequests(emulators).byRoute };
}

async function closeQuietly(emulators: BenchEmulators): Promise<void> {
  await emulators.close().catch(() => undefined);
}

type CopyKind = 'plain' | 'sync';

interface Copy {
  kind: CopyKind;
  messages: number;
  seconds: number;
  /** CPU seconds of the copying processes: the plain script, or the worker and the dev server. */
  clientCpuSeconds: number;
  loadAverage: number;
  details: unknown;
}

async function copyOnce(ctx: BenchContext, temporal: BenchTemporal, kind: CopyKind, messages: number): Promise<Copy> {
  const loadAverage = os.loadavg()[0] ?? 0;
  if (kind === 'plain') {
    const plain = await runPlain(ctx, messages);
    return { kind, messages: plain.messages, seconds: plain.seconds, clientCpuSeconds: plain.cpu.plainCopy?.cpuSeconds ?? 0, loadAverage, details: plain };
  }
  const ours = await runOurs(ctx, temporal, messages);
  const clientCpuSeconds = (ours.cpu.worker?.cpuSeconds ?? 0) + (ours.cpu.temporalServer?.cpuSeconds ?? 0);
  return { kind, messages: ours.cycle.imported, seconds: ours.cycle.seconds, clientCpuSeconds, loadAverage, details: ours };
}

/**
 * Plain, sync, sync, plain: the machine is shared and its load drifts over
 * minutes, and this order puts both copies on the same average of that drift.
 */
const order: readonly CopyKind[] = ['plain', 'sync', 'sync', 'plain'];

export async function runOverhead(ctx: BenchContext, temporal: BenchTemporal): Promise<ScenarioResult> {
  const { messages } = ctx.options.overhead;
  const copies: Copy[] = [];
  for (const kind of order) {
    const copy = await copyOnce(ctx, temporal, kind, messages);
    ctx.log(
      `overhead: ${kind} copy ${copies.length + 1} of ${order.length}: ${count(copy.messages)} in ${decimal(copy.seconds)} s = ${decimal(copy.messages / copy.seconds)}/s (load average ${decimal(copy.loadAverage, 2)})`,
    );
    copies.push(copy);
  }
  const totals = (kind: CopyKind) => {
    const mine = copies.filter((copy) => copy.kind === kind);
    const copied = mine.reduce((sum, copy) => sum + copy.messages, 0);
    const seconds = mine.reduce((sum, copy) => sum + copy.seconds, 0);
    const cpu = mine.reduce((sum, copy) => sum + copy.clientCpuSeconds, 0);
    return { messages: copied, seconds, messagesPerSecond: copied / seconds, cpuSecondsPer1000Messages: (cpu / copied) * 1000 };
  };
  const plain = totals('plain');
  const sync = totals('sync');
  const ratio = sync.messagesPerSecond / plain.messagesPerSecond;
  ctx.log(`overhead: plain ${decimal(plain.messagesPerSecond)}/s, sync ${decimal(sync.messagesPerSecond)}/s, ratio ${decimal(ratio, 2)}`);

  const details = {
    messagesPerCopy: messages,
    order,
    layout: 'emulators in the bench process; the plain copy in a child process; the sync in a worker child process (createSyncWorker) with the Temporal dev server (SQLite file) as another process',
    deltaPageSize,
    concurrency: { graph: graphConcurrency, gmail: gmailConcurrency },
    plain,
    sync,
    ratio,
    copies,
  };
  const rows = [
    {
      scenario: '2 Overhead',
      metric: `Plain script (no Temporal, no DB), ${count(messages)} messages, quotas off, 2 copies`,
      measured: `${decimal(plain.messagesPerSecond)} msg/s`,
      target: '',
      met: null,
    },
    { scenario: '2 Overhead', metric: 'The sync, same mailbox, 2 copies (order plain, sync, sync, plain)', measured: `${decimal(sync.messagesPerSecond)} msg/s`, target: '', met: null },
    { scenario: '2 Overhead', metric: 'Ratio sync ÷ plain', measured: decimal(ratio, 2), target: '≥ 0.80', met: ratio >= 0.8 },
    {
      scenario: '2 Overhead',
      metric: 'CPU seconds per 1,000 messages: sync (worker + dev server) / plain script',
      measured: `${decimal(sync.cpuSecondsPer1000Messages)} / ${decimal(plain.cpuSecondsPer1000Messages)}`,
      target: '',
      met: null,
    },
  ];
  return { rows, details };
}
