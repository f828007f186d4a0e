import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchDatabase } from './database.js';

/** One line of the bench's table: a measured figure beside its target. */
export interface ResultRow {
  scenario: string;
  metric: string;
  measured: string;
  target: string;
  /** null: a figure without a target of its own. */
  met: boolean | null;
}

export interface MachineInfo {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
}

/** Which code was measured: the sync changes while helpers work, so the figures name their commit. */
export interface CodeVersion {
  commit: string;
  /** Sync source files (activities, workflows, store, shared, worker) that differed from the commit. */
  uncommittedSyncFiles: string[];
}

export interface BenchReport {
  measuredAt: string;
  mode: 'full' | 'quick';
  /** The sync's database (`--database`). */
  database: BenchDatabase;
  machine: MachineInfo;
  code: { atStart: CodeVersion; atEnd?: CodeVersion };
  /** 1-minute load average when each scenario started and ended: other work on the machine shows here. */
  loadAverage: Record<string, { start: number; end: number }>;
  durationSeconds: number;
  rows: ResultRow[];
  /** Every figure each scenario measured, for whoever wants more than the table. */
  scenarios: Record<string, unknown>;
  /** With --profile: the worker's CPU profiles summarised (bench/harness/profile.ts). */
  profiles?: Record<string, unknown>;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
  };
}

export function codeVersion(): CodeVersion {
  const git = (...args: string[]) => spawnSync('git', args, { encoding: 'utf8' }).stdout?.trim() ?? '';
  const dirty = git('status', '--porcelain', '--', 'activities', 'workflows', 'store', 'shared', 'worker');
  return { commit: git('rev-parse', '--short', 'HEAD') || 'unknown', uncommittedSyncFiles: dirty ? dirty.split('\n').map((line) => line.slice(3)) : [] };
}

export function loadAverage(): number {
  return Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
}

const verdict = (met: boolean | null): string => (met === null ? '' : met ? 'yes' : 'NO');

/** The table as Markdown, so the same text goes to the terminal and to the README. */
export function formatTable(rows: readonly ResultRow[]): string {
  const cells = [['Scenario', 'Metric', 'Measured', 'Target', 'Met'], ...rows.map((r) => [r.scenario, r.metric, r.measured, r.target, verdict(r.met)])];
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  const [header, ...body] = cells;
  return [line(header!), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** bench/results/latest.json (latest-quick.json for --quick) and a dated copy beside it. */
export function saveReport(resultsDir: string, report: BenchReport): string[] {
  mkdirSync(resultsDir, { recursive: true });
  const suffix = report.mode === 'quick' ? '-quick' : '';
  const stamp = report.measuredAt.replace(/[:]/g, '-').replace(/\..*$/, '');
  const files = [path.join(resultsDir, `latest${suffix}.json`), path.join(resultsDir, `bench-${stamp}${suffix}.json`)];
  const text = `${JSON.stringify(report, null, 2)}\n`;
  for (const file of files) writeFileSync(file, text);
  return files;
}

/** "12,345" */
export const count = (value: number): string => Math.round(value).toLocaleString('en-US');
/** Rounded to `digits` decimals, thousands separated. */
export const decimal = (value: number, digits = 1): string => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const percent = (ratio: number, digits = 1): string => `${decimal(ratio * 100, digits)} %`;
export const megabytes = (bytes: number): string => `${count(bytes / 1024 / 1024)} MB`;
