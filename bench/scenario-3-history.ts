import type { BenchContext, ScenarioResult } from './harness/context.js';
import { chainHistory, type ChainHistory } from './harness/history.js';
import { driveIdleCycles, type IdleCycle } from './harness/idle-cycles.js';
import { count, decimal } from './harness/report.js';
import type { BenchTemporal } from './harness/temporal.js';
import { waitForInitialSync } from './harness/copy-progress.js';
import type { SingleUserSession } from './scenario-1-throughput.js';

/**
 * Scenario 3: workflow history. Events per 1,000 messages of the throughput
 * run's initial sync (the whole chain of runs up to the settled state after
 * it), events per idle recurring cycle (from the idle cycles scenario 4
 * drives), and a check that runs do continue as new: a second, small user
 * with a low maxHistoryEvents is cycled until its run rolls over.
 */
const historyCeiling = 10_000;
// workflows/user-sync/run-length.ts: the patch runs-of-150-events.
const defaultMaxHistoryEvents = 150;

export async function runHistory(ctx: BenchContext, temporal: BenchTemporal, session: SingleUserSession, initial: ChainHistory, idle: IdleCycle[]): Promise<ScenarioResult> {
  const perThousand = initial.total / (session.imported / 1000);
  const ordinary = idle.filter((cycle) => !cycle.rediscoveredFolders);
  const perIdleCycle = ordinary.reduce((sum, cycle) => sum + cycle.events, 0) / Math.max(1, ordinary.length);
  const largestCycle = Math.max(0, ...idle.map((cycle) => cycle.events));
  // Continue-as-new is decided between cycles, so an initial sync runs in one piece however big the mailbox.
  const largestInitialSyncInOneRun = (historyCeiling / perThousand) * 1000;

  const rollover = await demonstrateContinueAsNew(ctx, temporal, session);
  const longestRun = Math.max(...initial.runs.map((run) => run.events), ...rollover.chain.runs.map((run) => run.events));
  const recurringWorstCase = defaultMaxHistoryEvents + largestCycle;

  const details = {
    initialSync: { messages: session.imported, events: initial.total, runs: initial.runs, eventsPerThousandMessages: perThousand },
    idleCycles: idle.map(({ events, rediscoveredFolders }) => ({ events, rediscoveredFolders })),
    eventsPerIdleCycle: perIdleCycle,
    largestIdleCycleEvents: largestCycle,
    defaultMaxHistoryEvents,
    recurringRunWorstCase: recurringWorstCase,
    largestInitialSyncInOneRunUnder10kEvents: Math.floor(largestInitialSyncInOneRun),
    continueAsNewCheck: rollover,
  };
  const rows = [
    { scenario: '3 History', metric: `Events per 1,000 messages, initial sync (${count(initial.total)} events)`, measured: decimal(perThousand), target: '≤ 50', met: perThousand <= 50 },
    { scenario: '3 History', metric: 'Events per idle recurring cycle (retry-signal triggered)', measured: decimal(perIdleCycle), target: '', met: null },
    {
      scenario: '3 History',
      metric: `Runs continue as new before 10,000 events (recurring worst case ${count(recurringWorstCase)}; test run rolled over at ${rollover.chain.runs.map((r) => r.events).join(' → ')})`,
      measured: `longest run ${count(longestRun)}`,
      target: '< 10,000',
      met: rollover.rolledOver && recurringWorstCase < historyCeiling && longestRun < historyCeiling,
    },
    {
      scenario: '3 History',
      metric: 'Largest initial sync that fits one run under 10,000 events (no continue-as-new within it)',
      measured: `${count(largestInitialSyncInOneRun)} messages`,
      target: '',
      met: null,
    },
  ];
  return { rows, details };
}

/** A small second user with maxHistoryEvents 200, cycled until its run continues as new (at most 12 cycles). */
async function demonstrateContinueAsNew(ctx: BenchContext, temporal: BenchTemporal, session: SingleUserSession): Promise<{ maxHistoryEvents: number; rolledOver: boolean; chain: ChainHistory }> {
  const maxHistoryEvents = 200;
  const user = session.emulators.m365.emulator.seed({ seed: 8, users: 1, messagesPerUser: 20, failingItemsPerUser: 0, groups: false }).users[0]!;
  const [started] = await session.sync.startUsers([user], { intervalSeconds: 3_600, tuning: { maxHistoryEvents } });
  await waitForInitialSync(session.sync.store, started!.syncUserId, 120_000);
  let chain = await chainHistory(temporal.client, started!.workflowId);
  for (let cycle = 0; cycle < 12 && chain.runs.length < 2; cycle++) {
    await driveIdleCycles(temporal.client, session.emulators, started!, 1);
    chain = await chainHistory(temporal.client, started!.workflowId);
  }
  ctx.log(`history: with maxHistoryEvents ${maxHistoryEvents} the runs were ${chain.runs.map((r) => r.events).join(', ')} events long`);
  await started!.handle.terminate('benchmark finished').catch(() => undefined);
  return { maxHistoryEvents, rolledOver: chain.runs.length >= 2, chain };
}
