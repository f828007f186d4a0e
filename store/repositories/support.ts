import { setTimeout as sleep } from 'node:timers/promises';
import { DeadlockException, ForeignKeyConstraintViolationException, LockWaitTimeoutException, UniqueConstraintViolationException, type MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver, SqlEntityManager } from '@mikro-orm/knex';
import type { CredentialCipher } from '../encryption.js';
import type { StoredErrorJson } from '../entities/index.js';
import type { ItemCounts, StoredError } from '../vocabulary.js';

/** What every repository is built from. */
export interface StoreContext {
  orm: MikroORM<AbstractSqlDriver>;
  cipher: CredentialCipher;
}

/**
 * A fresh EntityManager per repository call: activities run concurrently in
 * one process and must never share an identity map or a unit of work.
 */
export function forkEm(context: StoreContext): SqlEntityManager {
  return context.orm.em.fork() as SqlEntityManager;
}

const WRITE_TRANSACTION_ATTEMPTS = 5;

/**
 * A transaction that writes, run again from the start when the database refuses
 * it for contention. SQLite begins every transaction deferred (knex issues a
 * plain BEGIN): one that reads before its first write holds a snapshot, and if
 * another process (the API beside the worker) commits in between, the write
 * "will fail with SQLITE_BUSY" at once, without waiting out the busy timeout
 * (https://www.sqlite.org/lang_transaction.html, "Read transactions versus
 * write transactions"). PostgreSQL's deadlock victim is refused the same way.
 * Only the database work may live in `work`: it can run more than once.
 */
export async function writeTransaction<T>(context: StoreContext, work: (em: SqlEntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await forkEm(context).transactional(work);
    } catch (error) {
      if (!isContention(error) || attempt >= WRITE_TRANSACTION_ATTEMPTS) throw error;
      await sleep(20 * attempt + Math.random() * 50);
    }
  }
}

function isContention(error: unknown): boolean {
  return error instanceof LockWaitTimeoutException || error instanceof DeadlockException;
}

/** Rows per INSERT statement and ids per IN list: far below SQLite's and PostgreSQL's parameter limits. */
export const BATCH_SIZE = 200;

export function chunks<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from URLs; PostgreSQL rejects a malformed uuid with an error, so such ids simply match nothing. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/**
 * EntityManager calls convert driver errors to MikroORM exceptions; QueryBuilder
 * calls do not. Both are recognized: SQLite by message, PostgreSQL by SQLSTATE.
 */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof UniqueConstraintViolationException || driverErrorMatches(error, /UNIQUE constraint failed/, '23505');
}

export function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof ForeignKeyConstraintViolationException || driverErrorMatches(error, /FOREIGN KEY constraint failed/, '23503');
}

function driverErrorMatches(error: unknown, sqliteMessage: RegExp, postgresCode: string): boolean {
  if (!(error instanceof Error)) return false;
  return sqliteMessage.test(error.message) || (error as { code?: unknown }).code === postgresCode;
}

/** `affectedRows` of a native update or delete, whatever shape the driver answered with. */
export function affectedRows(result: unknown): number {
  if (typeof result === 'number') return result;
  const rows = (result as { affectedRows?: number } | undefined)?.affectedRows;
  return typeof rows === 'number' ? rows : 0;
}

/** The four counters of a row that keeps them as columns (a sync user, a container), as one object. */
export function countsOf(row: ItemCounts): ItemCounts {
  return { exported: row.exported, imported: row.imported, failed: row.failed, skipped: row.skipped };
}

export function toStoredErrorJson(error: StoredError): StoredErrorJson {
  const json: StoredErrorJson = { code: error.code, message: error.message, at: error.at.toISOString() };
  if (error.details !== undefined) json.details = error.details;
  return json;
}

export function fromStoredErrorJson(json: StoredErrorJson | null): StoredError | null {
  if (!json) return null;
  const error: StoredError = { code: json.code, message: json.message, at: new Date(json.at) };
  if (json.details !== undefined) error.details = json.details;
  return error;
}

/** LIKE pattern for "contains", with the user's % and _ taken literally (escape character '\'). */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
}
