import { defaultPacing, type PacingSettings } from '../activities/pacing.js';
import type { DirectoryUser } from '../emulators/microsoft365/state/directory.js';
import type { BenchContext, ScenarioResult } from './harness/context.js';
import { sampleImports, steadyRate, waitForInitialSync } from './harness/copy-progress.js';
import { googleRequests, microsoftRequests, startBenchEmulators, type BenchEmulators } from './harness/emulators.js';
import { UsageWindow } from './harness/proc.js';
import { count, decimal, percent } from './harness/report.js';
import { startBenchSync, type BenchSync, type StartedUser } from './harness/sync-setup.js';
import type { BenchTemporal } from './harness/temporal.js';

/**
 * Scenario 1: one user's initial sync against quotas at the real services'
 * proportions, all scaled by the same factor k so the copy takes minutes:
 * Gmail 15,000·k units per user per minute (an import costs 25), Graph
 * 10,000·k requests per mailbox per 10 minutes, concurrency at the real
 * values (Graph 4 per mailbox, Gmail 10 per user). The sync is told the same
 * scaled figures as its pacing, as an operator would configure it.
 *
 * Ceiling: the slower of Gmail's imports per second and Graph's requests
 * per second divided by the requests a message costs (its MIME download
 * plus its share of a delta page).
 */
export interface SingleUserSession {
  emulators: BenchEmulators;
  sync: BenchSync;
  user: DirectoryUser;
  started: StartedUser;
  imported: number;
  close(): Promise<void>;
}

const realGmailUnitsPerMinute = 15_000;
const realGraphRequestsPerTenMinutes = 10_000;
const importCost = 25;
const deltaPageSize = 100;
/** Long enough that no scheduled cycle runs during the bench; idle cycles are asked for with the retry signal. */
const sessionIntervalSeconds = 3_600;

export async function runThroughput(ctx: BenchContext, temporal: BenchTemporal): Promise<ScenarioResult & { session: SingleUserSession }> {
  const { messages, quotaScale: k } = ctx.options.throughput;
  const gmailUnitsPerMinute = realGmailUnitsPerMinute * k;
  const graphRequestsPerTenMinutes = realGraphRequestsPerTenMinutes * k;
  const emulators = await startBenchEmulators({
    m365: { quota: { enabled: true, concurrency: 4, requestsPerWindow: graphRequestsPerTenMinutes, windowSeconds: 600, scope: 'mailbox' } },
    google: { quota: { enabled: true, userUnitsPerMinute: gmailUnitsPerMinute, projectUnitsPerMinute: 1_200_000 * k, perUserConcurrency: 10, importCost } },
  });
  const user = emulators.m365.emulator.seed({ seed: 7, users: 1, messagesPerUser: messages, failingItemsPerUser: 0, groups: false }).users[0]!;
  const pacing: PacingSettings = {
    gmailUserUnitsPerMinute: gmailUnitsPerMinute,
    gmailConcurrency: 8,
    graphRequestsPerTenMinutes,
    graphConcurrency: 4,
    peopleUserRequestsPerMinute: defaultPacing.peopleUserRequestsPerMinute,
    calendarUserRequestsPerMinute: defaultPacing.calendarUserRequestsPerMinute,
    calendarAttendeeWritesPerMinute: defaultPacing.calendarAttendeeWritesPerMinute,
  };
  const sync = await startBenchSync({ bench: await ctx.syncPlacement('throughput'), temporal, emulators, pacing, deltaPageSize, label: 'throughput' });

  const gmailCeiling = gmailUnitsPerMinute / 60 / importCost;
  const graphCeiling = graphRequestsPerTenMinutes / 600 / (1 + 1 / deltaPageSize);
  const ceiling = Math.min(gmailCeiling, graphCeiling);
  ctx.log(`throughput: ${count(messages)} messages, k = ${k}, ceiling ${decimal(ceiling)} messages/s; copying...`);

  const usage = new UsageWindow({ worker: sync.worker.pid, temporalServer: temporal.pid, emulatorsAndDriver: process.pid });
  const timeline = sampleImports(emulators);
  const [started] = await sync.startUsers([user], { intervalSeconds: sessionIntervalSeconds });
  const cycle = await waitForInitialSync(sync.store, started!.syncUserId, ((messages / ceiling) * 4 + 300) * 1000);
  timeline.stop();
  const cpu = usage.finish();

  const microsoft = microsoftRequests(emulators);
  const google = googleRequests(emulators);
  const rate = cycle.imported / cycle.seconds;
  const cruising = steadyRate(timeline.samples);
  const refusedShare = (microsoft.refused + google.refused) / Math.max(1, microsoft.total + google.total);
  // Whether two cores could carry the ceiling at all: CPU per message of the worker and the emulators, times the ceiling.
  const cpuPerMessage = ((cpu.worker?.cpuSeconds ?? 0) + (cpu.emulatorsAndDriver?.cpuSeconds ?? 0) + (cpu.temporalServer?.cpuSeconds ?? 0)) / Math.max(1, cycle.imported);
  const coresAtCeiling = cpuPerMessage * ceiling;
  const workerWaitShare = (cpu.worker?.runQueueWaitSeconds ?? 0) / cycle.seconds;
  ctx.log(`throughput: ${count(cycle.imported)} imported in ${decimal(cycle.seconds)} s = ${decimal(rate)} messages/s (${percent(rate / ceiling)} of the ceiling)`);

  const details = {
    messages,
    quotaScale: k,
    quotas: { gmailUnitsPerMinute, importCost, gmailPerUserConcurrency: 10, graphRequestsPerTenMinutes, graphConcurrency: 4 },
    pacing,
    deltaPageSize,
    ceilingMessagesPerSecond: { gmail: gmailCeiling, graph: graphCeiling, binding: ceiling },
    initialCycle: cycle,
    messagesPerSecond: { wholeInitialCycle: rate, cruising },
    fractionOfCeiling: { wholeInitialCycle: rate / ceiling, cruising: cruising / ceiling },
    requests: { microsoft, google },
    refusedShare,
    cpu,
    cpuSecondsPerMessage: cpuPerMessage,
    workerActivityFailures: sync.worker.activityFailures(),
    coresNeededAtCeiling: coresAtCeiling,
    timeline: timeline.samples,
  };
  const rows = [
    {
      scenario: '1 Throughput',
      metric: `Initial sync of ${count(cycle.imported)} messages: msg/s ÷ quota ceiling (${decimal(ceiling)}/s, k=${k})`,
      measured: `${decimal(rate)}/s = ${percent(rate / ceiling)}`,
      target: '≥ 90 %',
      met: rate / ceiling >= 0.9,
    },
    { scenario: '1 Throughput', metric: 'Same, cruising (between 10 % and 90 % of the copy)', measured: `${decimal(cruising)}/s = ${percent(cruising / ceiling)}`, target: '', met: null },
    {
      scenario: '1 Throughput',
      metric: 'CPU the ceiling needs (worker + dev server + emulators) / worker time spent waiting for a core',
      measured: `${decimal(coresAtCeiling, 2)} cores / ${percent(workerWaitShare, 0)}`,
      target: '',
      met: null,
    },
    {
      scenario: '1 Throughput',
      metric: 'Requests refused with 429/403 rate limit ÷ all requests',
      measured: `${count(microsoft.refused + google.refused)} of ${count(microsoft.total + google.total)} = ${percent(refusedShare, 2)}`,
      target: '< 1 %',
      met: refusedShare < 0.01,
    },
  ];
  const session: SingleUserSession = {
    emulators,
    sync,
    user,
    started: started!,
    imported: cycle.imported,
    async close() {
      await started!.handle.terminate('benchmark finished').catch(() => undefined);
      await sync.close();
      await emulators.close();
    },
  };
  return { rows, details, session };
}
