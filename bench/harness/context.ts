import path from 'node:path';
import type { BenchOptions } from './options.js';
import type { ResultRow } from './report.js';

/** What every scenario gets from the run: its options and a scratch directory. */
export interface BenchContext {
  options: BenchOptions;
  /** The run's temporary directory (CA, stores, dev server data); removed at the end. */
  dataDir: string;
  /** Where a worker started for `label` writes its CPU profiles, when --profile is on. */
  profileDirFor(label: string): string | undefined;
  log(line: string): void;
}

export interface ScenarioResult {
  rows: ResultRow[];
  details: Record<string, unknown>;
}

export function createContext(options: BenchOptions, dataDir: string): BenchContext {
  return {
    options,
    dataDir,
    profileDirFor: (label) => (options.profile ? path.join(dataDir, 'profiles', label) : undefined),
    log: (line) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`),
  };
}
