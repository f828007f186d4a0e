import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { openStore, type OpenStoreOptions, type Store } from '../../store/index.js';
import { testDatabaseUrl } from './test-database.js';

/**
 * openStore on the test's dialect: SQLite in `dataDir`, or (postgres project)
 * the PostgreSQL database that belongs to `dataDir`.
 */
export async function openStoreForTest(options: OpenStoreOptions): Promise<Store> {
  return openStore({ ...options, databaseUrl: options.databaseUrl ?? (await testDatabaseUrl(options.dataDir)) });
}

/** A fresh store of its own under the run's data directory (SQLite file or PostgreSQL database). */
export async function openTestStore(): Promise<Store> {
  return openStoreForTest({ dataDir: mkdtempSync(path.join(process.env.DATA_DIR!, 'store-')) });
}
