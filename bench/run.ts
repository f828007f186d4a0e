import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { BenchDatabases } from './harness/database.js';
import { createContext, type BenchContext, type ScenarioResult } from './harness/context.js';
import { settledHistory } from './harness/history.js';
import { driveIdleCycles, idleCycleCpu } from './harness/idle-cycles.js';
import { parseBenchOptions, type ScenarioId } from './harness/options.js';
import { summarizeProfiles } from './harness/profile.js';
import { codeVersion, formatTable, loadAverage, machineInfo, saveReport, type BenchReport } from './harness/report.js';
import { startBenchTemporal } from './harness/temporal.js';
import { runThroughput } from './scenario-1-throughput.js';
import { runOverhead } from './scenario-2-overhead.js';
import { runHistory } from './scenario-3-history.js';
import { runIdleCost } from './scenario-4-idle-cycles.js';
import { runFleet } from './scenario-5-fleet.js';
import { runApi } from './scenario-6-api.js';
import { runContacts } from './scenario-7-contacts.js';
import { runCalendar } from './scenario-8-calendar.js';

/**
 * The bench itself, started by scripts/bench.ts with DATA_DIR, the trusted
 * CA and TEMPORAL_CLI set. Runs the chosen scenarios one after the other
 * (never two at once: they would share the two cores), prints one table and
 * saves the figures under bench/results/.
 */
Runtime.install({ logger: new DefaultLogger('WARN') });
const resultsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'results');
const options = parseBenchOptions(process.argv.slice(2));
const dataDir = process.env.DATA_DIR;
if (!dataDir || !process.env.NODE_EXTRA_CA_CERTS) throw new Error("Run the benchmark with `npm run bench`: it sets DATA_DIR and trusts the emulators' CA.");

const began = Date.now();
const report: BenchReport = {
  measuredAt: new Date().toISOString(),
  mode: options.quick ? 'quick' : 'full',
  database: options.database,
  machine: machineInfo(),
  code: { atStart: codeVersion() },
  loadAverage: {},
  durationSeconds: 0,
  rows: [],
  scenarios: {},
};

async function scenario(ctx: BenchContext, id: string, run: () => Promise<ScenarioResult>): Promise<void> {
  const start = loadAverage();
  ctx.log(`${id}: starting (load average ${start})`);
  try {
    const result = await run();
    report.rows.push(...result.rows);
    report.scenarios[id] = result.details;
  } catch (error) {
    // One scenario failing must not cost the others' figures; the table says it did not finish.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    ctx.log(`${id}: FAILED: ${message}`);
    report.rows.push({ scenario: id, metric: 'did not finish', measured: message.split('\n')[0]!.slice(0, 120), target: '', met: false });
    report.scenarios[id] = { error: message };
  }
  report.loadAverage[id] = { start, end: loadAverage() };
}

/** With --profile: where each profiled process spent its CPU, by label (written when the process exits). */
function attachProfiles(): void {
  const root = path.join(dataDir!, 'profiles');
  let labels: string[] = [];
  try {
    labels = readdirSync(root);
  } catch {
    return;
  }
  report.profiles = Object.fromEntries(labels.map((label) => [label, summarizeProfiles(path.join(root, label)).filter((summary) => summary.busySeconds > 0)]));
}

const wants = (id: ScenarioId) => options.only.has(id);
const databases = new BenchDatabases(options.database, (line) => console.error(`[postgres] ${line}`));
const ctx = createContext(options, dataDir, databases);
ctx.log(`${options.quick ? 'quick' : 'full'} run of ${[...options.only].join(', ')}, the sync's database in ${ctx.databaseName}`);

if (wants('throughput') || wants('history') || wants('idle') || wants('overhead') || wants('contacts') || wants('calendar')) {
  const temporal = await startBenchTemporal(dataDir);
  try {
    if (wants('throughput') || wants('history') || wants('idle')) {
      let session: Awaited<ReturnType<typeof runThroughput>>['session'] | undefined;
      await scenario(ctx, 'throughput', async () => {
        const result = await runThroughput(ctx, temporal);
        session = result.session;
        return result;
      });
      if (session && (wants('history') || wants('idle'))) {
        const single = session;
        const initialHistory = await settledHistory(temporal.client, single.started.workflowId);
        const idle = await driveIdleCycles(temporal.client, single.emulators, single.started, options.idle.cycles);
        const processes = { worker: single.sync.worker.pid, temporalServer: temporal.pid, emulatorsAndDriver: process.pid };
        const idleCpu = await idleCycleCpu(single.sync, single.started, options.idle.cycles, processes);
        if (options.profile) {
          // A separate pass, so the profiler's own cost stays out of the CPU figures above.
          const file = path.join(dataDir, 'profiles', 'idle-cycles', 'idle-cycles.main.cpuprofile');
          mkdirSync(path.dirname(file), { recursive: true });
          await single.sync.worker.profile(file, () => idleCycleCpu(single.sync, single.started, options.idle.cycles, processes));
        }
        if (wants('history')) await scenario(ctx, 'history', () => runHistory(ctx, temporal, single, initialHistory, idle));
        if (wants('idle')) await scenario(ctx, 'idle', () => runIdleCost(ctx, single, idle, idleCpu));
      }
      await session?.close();
    }
    if (wants('overhead')) await scenario(ctx, 'overhead', () => runOverhead(ctx, temporal));
    if (wants('contacts')) await scenario(ctx, 'contacts', () => runContacts(ctx, temporal));
    if (wants('calendar')) await scenario(ctx, 'calendar', () => runCalendar(ctx, temporal));
  } finally {
    await temporal.close();
  }
}
if (wants('fleet')) {
  for (const size of options.fleet.sizes) await scenario(ctx, `fleet-${size.users}`, () => runFleet(ctx, size));
}
if (wants('api')) await scenario(ctx, 'api', () => runApi(ctx));

await databases.close();
attachProfiles();
report.code.atEnd = codeVersion();
if (JSON.stringify(report.code.atEnd) !== JSON.stringify(report.code.atStart)) {
  ctx.log(`the sync's code changed during the run (${report.code.atStart.commit} → ${report.code.atEnd.commit}); each worker measured the code of its start`);
}
report.durationSeconds = Math.round((Date.now() - began) / 1000);
console.log(formatTable(report.rows));
const files = saveReport(resultsDir, report);
ctx.log(`saved ${files.map((file) => path.relative(process.cwd(), file)).join(' and ')}; ${report.durationSeconds} s in all`);
