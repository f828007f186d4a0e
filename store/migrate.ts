import { setTimeout as sleep } from 'node:timers/promises';
import { DeadlockException, LockWaitTimeoutException, TableExistsException, UniqueConstraintViolationException, type MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import type { Migrator } from '@mikro-orm/migrations';
import { StoreError } from './errors.js';

const ATTEMPTS = 12;

/**
 * Applies pending migrations (never a schema sync), all in one transaction.
 *
 * The API and the worker may open a fresh database at the same moment: one
 * of them then fails on a table the other just created, or on the other's
 * write lock, and its transaction rolls back. It waits a little and tries
 * again; by then the other has committed and nothing is pending.
 */
export async function migrateToLatest(orm: MikroORM<AbstractSqlDriver>): Promise<string[]> {
  const migrator = orm.getMigrator() as Migrator;
  for (let attempt = 1; ; attempt++) {
    try {
      const applied = await migrator.up();
      return applied.map((migration) => migration.name);
    } catch (error) {
      if (!isContention(error) || attempt >= ATTEMPTS) {
        throw new StoreError('MIGRATION_FAILED', `The database schema could not be brought up to date: ${messageOf(error)}`, { cause: error });
      }
      await sleep(25 * attempt + Math.random() * 75);
    }
  }
}

/** Another process migrating the same database at the same time (the error may be wrapped by the migration runner). */
function isContention(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (
      current instanceof LockWaitTimeoutException ||
      current instanceof TableExistsException ||
      current instanceof UniqueConstraintViolationException ||
      current instanceof DeadlockException ||
      // PostgreSQL: two processes creating the same table race on its type (23505, "duplicate key value").
      (current as { code?: unknown }).code === '23505' ||
      /database is locked|already exists|duplicate key value/i.test(current.message)
    ) {
      return true;
    }
  }
  return false;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
