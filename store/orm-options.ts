import path from 'node:path';
import type { Options } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import type { Logger } from '../shared/logger.js';
import { allEntities } from './entities/index.js';
import type { DatabaseDialect } from './dialect.js';
import { StoreError } from './errors.js';
import { migrationsList } from './migrations/index.js';

export const SQLITE_FILE_NAME = 'sync.db';
/** How long a connection waits for another process's write lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

export interface DatabaseTarget {
  dialect: DatabaseDialect;
  /** The SQLite file, or the PostgreSQL URL (which may hold a password: never log it). */
  location: string;
}

export function resolveDatabaseTarget(options: { dataDir: string; databaseUrl?: string }): DatabaseTarget {
  const url = options.databaseUrl?.trim();
  if (!url) return { dialect: 'sqlite', location: path.join(options.dataDir, SQLITE_FILE_NAME) };
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgresql', location: url };
  throw new StoreError('DATABASE_URL_INVALID', 'DATABASE_URL must be a postgres:// or postgresql:// URL; leave it empty to use SQLite in the data directory.');
}

interface SqliteRawConnection {
  configure(option: 'busyTimeout', value: number): void;
  exec(sql: string, callback: (error: Error | null) => void): void;
}

const PREPARE_ATTEMPTS = 40;
const PREPARE_RETRY_MS = 50;

/**
 * Runs on every new SQLite connection. The API and the worker may open the
 * same file from two processes: WAL lets readers proceed while one process
 * writes, and the busy timeout makes a writer wait for the other's lock
 * instead of failing at once with SQLITE_BUSY. Switching a fresh file to WAL
 * is the exception: SQLite may answer SQLITE_BUSY without calling the busy
 * handler when two connections switch it at once (it would risk a deadlock;
 * sqlite.org, sqlite3_busy_handler), so that step is tried again for a while.
 */
function prepareSqliteConnection(connection: SqliteRawConnection, done: (error: Error | null, connection: SqliteRawConnection) => void): void {
  connection.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
  const attempt = (left: number) =>
    connection.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;', (error) => {
      if (error && (error as { code?: string }).code === 'SQLITE_BUSY' && left > 1) setTimeout(() => attempt(left - 1), PREPARE_RETRY_MS);
      else done(error, connection);
    });
  attempt(PREPARE_ATTEMPTS);
}

export function buildOrmOptions(target: DatabaseTarget, options: { debug?: boolean; logger?: Logger } = {}): Options<AbstractSqlDriver> {
  const common = {
    entities: allEntities,
    // Schema changes only through migrations, run at open (see migrate.ts).
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    extensions: [Migrator],
    // Every repository call forks the EntityManager; a global one would mix concurrent activities.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: options.debug ?? false,
    logger: (message: string) => options.logger?.debug(message),
  } satisfies Options;

  if (target.dialect === 'sqlite') {
    return {
      ...common,
      driver: SqliteDriver,
      dbName: target.location,
      pool: { min: 1, max: 1, afterCreate: prepareSqliteConnection },
    } as Options<AbstractSqlDriver>;
  }
  return {
    ...common,
    driver: PostgreSqlDriver,
    clientUrl: target.location,
  } as Options<AbstractSqlDriver>;
}
