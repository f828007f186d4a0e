import path from 'node:path';
import type { BenchDatabases } from './database.js';
import type { BenchOptions } from './options.js';
import type { ResultRow } from './report.js';

/** What every scenario gets from the run: its options and a scratch directory. */
export interface BenchContext {
  options: BenchOptions;
  /** The run's temporary directory (CA, stores, dev server data); removed at the end. */
  dataDir: string;
  /** Where a worker started for `label` writes its CPU profiles, when --profile is on. */
  profileDirFor(label: string): string | undefined;
  /** Where a sync started for `label` keeps its store and profiles: the run's directory, and a database of its own on PostgreSQL. */
  syncPlacement(label: string): Promise<SyncPlacement>;
  /** The sync's database in this run, for the rows that name it. */
  databaseName: 'SQLite' | 'PostgreSQL';
  log(line: string): void;
}

export interface SyncPlacement {
  dataDir: string;
  profileDir?: string;
  /** DATABASE_URL for the store (PostgreSQL); absent on SQLite. */
  databaseUrl?: string;
}

export interface ScenarioResult {
  rows: ResultRow[];
  details: Record<string, unknown>;
}

export function createContext(options: BenchOptions, dataDir: string, databases: BenchDatabases): BenchContext {
  const profileDirFor = (label: string) => (options.profile ? path.join(dataDir, 'profiles', label) : undefined);
  return {
    options,
    dataDir,
    profileDirFor,
    async syncPlacement(label) {
      const databaseUrl = await databases.urlFor(label);
      return { dataDir, profileDir: profileDirFor(label), ...(databaseUrl ? { databaseUrl } : {}) };
    },
    databaseName: databases.kind === 'postgres' ? 'PostgreSQL' : 'SQLite',
    log: (line) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`),
  };
}
