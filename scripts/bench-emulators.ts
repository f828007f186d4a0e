import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchGoogleEmulator, type GoogleBenchResult } from '../emulators/google/bench.js';
import { benchMicrosoft365Emulator, type Microsoft365BenchResult } from '../emulators/microsoft365/bench.js';

/**
 * `npm run bench:emulators`: how fast and how small the two emulators are,
 * so that neither is what limits a demo or a test run. The two run one after
 * the other so they do not share the cores. Prints a table and saves the
 * figures to bench/results/emulators.json.
 */
interface EmulatorBenchReport {
  measuredAt: string;
  machine: { node: string; platform: string; cpus: number; cpuModel: string };
  /** Without --expose-gc the memory figure includes garbage and reads high. */
  gcAvailable: boolean;
  microsoft365: Microsoft365BenchResult & { megabytesPer100kMessages: number };
  google: GoogleBenchResult;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = path.join(root, 'bench', 'results', 'emulators.json');

function formatTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const [header, ...body] = rows;
  return [line(header ?? []), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

const gcAvailable = typeof (globalThis as { gc?: unknown }).gc === 'function';
if (!gcAvailable) console.error('Run with --expose-gc (npm run bench:emulators does) for a clean memory figure.');

console.error('Microsoft 365 emulator: throughput (5 s), then memory for 100,000 messages...');
const microsoft365 = await benchMicrosoft365Emulator();
console.error('Google Workspace emulator: requests (5 s), then imports (5 s)...');
const google = await benchGoogleEmulator();

const cpus = os.cpus();
const report: EmulatorBenchReport = {
  measuredAt: new Date().toISOString(),
  machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown' },
  gcAvailable,
  microsoft365: { ...microsoft365, megabytesPer100kMessages: Math.round(microsoft365.bytesPer100kMessages / 1e5) / 10 },
  google,
};

const number = (value: number) => value.toLocaleString('en-US');
console.log(
  formatTable([
    ['emulator', 'requests per second', 'imports per second', 'memory per 100,000 messages'],
    ['Microsoft 365', number(report.microsoft365.requestsPerSecond), 'n/a', `${report.microsoft365.megabytesPer100kMessages} MB`],
    ['Google Workspace', number(report.google.requestsPerSecond), number(report.google.importsPerSecond), 'n/a'],
  ]),
);

mkdirSync(path.dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
console.error(`Saved to ${path.relative(root, resultsFile)}`);
