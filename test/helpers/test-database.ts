import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDatabase } from '../../scripts/postgres-cluster.js';

export type TestDialect = 'sqlite' | 'postgresql';

/** The dialect this test process runs the store on: the postgres project sets TEST_DATABASE=postgres (vitest.config.ts). */
export function testDialect(): TestDialect {
  return process.env.TEST_DATABASE === 'postgres' ? 'postgresql' : 'sqlite';
}

const databases = new Map<string, Promise<string>>();

/** A new, empty database in the run's PostgreSQL cluster; its URL. */
export async function createTestDatabase(): Promise<string> {
  return createDatabase(inject('postgresBaseUrl'), `test_${randomBytes(8).toString('hex')}`);
}

/**
 * What DATABASE_URL is for a store in `dataDir`: nothing on SQLite (the file
 * lives in the directory); on PostgreSQL a database of the directory's own,
 * created on first use, so opening the same directory twice opens the same
 * database, as it does on SQLite.
 */
export function testDatabaseUrl(dataDir: string): Promise<string | undefined> {
  if (testDialect() === 'sqlite') return Promise.resolve(undefined);
  let url = databases.get(dataDir);
  if (!url) {
    url = createTestDatabase();
    databases.set(dataDir, url);
  }
  return url;
}
