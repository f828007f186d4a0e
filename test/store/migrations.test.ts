import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError, type Store } from '../../store/index.js';
import { openStoreForTest } from '../helpers/store.js';
import { testDialect } from '../helpers/test-database.js';
import { Migration20251128000000Initial } from '../../store/migrations/Migration20251128000000Initial.js';
import { migrationsList } from '../../store/migrations/index.js';
import { buildOrmOptions, resolveDatabaseTarget } from '../../store/orm-options.js';
import { StoreHarness } from './fixtures.js';

const harness = new StoreHarness();
afterAll(() => harness.dispose());

const TABLES = ['audit_log', 'connections', 'container_states', 'data_type_states', 'item_map', 'item_records', 'policies', 'sync_cycles', 'sync_users'];

async function tableNames(store: Store): Promise<string[]> {
  const sql =
    store.dialect === 'sqlite'
      ? "select name from sqlite_master where type = 'table' order by name"
      : 'select table_name as name from information_schema.tables where table_schema = current_schema() order by table_name';
  const rows = await store.orm.em.fork().getConnection().execute<{ name: string }[]>(sql);
  return rows.map((row) => row.name);
}

describe('migrations', () => {
  it('apply on an empty database, and the migrated schema is exactly what the entities describe', async () => {
    const store = await harness.open();
    expect(store.dialect).toBe(testDialect());
    expect(await tableNames(store)).toEqual(expect.arrayContaining(TABLES));
    // No schema sync at start: a difference here means an entity changed without a migration.
    expect((await store.orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
  });

  it('are idempotent at the next open and keep the data', async () => {
    const dataDir = harness.newDir();
    const first = await openStoreForTest({ dataDir });
    await first.audit.write({ severity: 'Info', category: 'sync', code: 'KEPT', message: 'Survives a reopen.' });
    await first.close();

    const second = harness.track(await openStoreForTest({ dataDir }));
    const executed = await second.orm.getMigrator().getExecutedMigrations();
    expect(executed.map((migration) => migration.name)).toEqual(migrationsList.map((migration) => migration.name));
    expect(await second.orm.getMigrator().getPendingMigrations()).toEqual([]);
    expect((await second.audit.list()).items.map((entry) => entry.code)).toEqual(['KEPT']);
  });

  it('let two processes open a fresh database at the same moment', async () => {
    const dataDir = harness.newDir();
    const [a, b] = await Promise.all([openStoreForTest({ dataDir }), openStoreForTest({ dataDir })]);
    harness.track(a);
    harness.track(b);
    expect(await a.orm.getMigrator().getPendingMigrations()).toEqual([]);
    expect(await b.orm.getMigrator().getExecutedMigrations()).toHaveLength(migrationsList.length);
  });
});

describe('PostgreSQL configuration (no server in the tests)', () => {
  it('is chosen by a postgres:// DATABASE_URL, and anything else is refused', () => {
    expect(resolveDatabaseTarget({ dataDir: '/data' })).toEqual({ dialect: 'sqlite', location: '/data/sync.db' });
    expect(resolveDatabaseTarget({ dataDir: '/data', databaseUrl: 'postgres://sync@db:5432/sync' })).toEqual({
      dialect: 'postgresql',
      location: 'postgres://sync@db:5432/sync',
    });
    expect(() => resolveDatabaseTarget({ dataDir: '/data', databaseUrl: 'mysql://db/sync' })).toThrow(StoreError);
  });

  it('builds a PostgreSQL ORM whose initial migration emits PostgreSQL DDL', async () => {
    const options = buildOrmOptions(resolveDatabaseTarget({ dataDir: '/unused', databaseUrl: 'postgres://sync@127.0.0.1:1/sync' }));
    expect(options.driver).toBe(PostgreSqlDriver);
    const orm = await MikroORM.init<AbstractSqlDriver>({ ...options, connect: false });
    try {
      const migration = new Migration20251128000000Initial(orm.em.getDriver(), orm.config);
      await migration.up();
      const sql = migration.getQueries().join(';\n');
      expect(sql).toContain('create table "sync_users"');
      expect(sql).toContain('"counts_by_type" jsonb not null');
      expect(sql).toContain('"created_at" timestamptz not null');
      expect(sql).not.toContain('`');
    } finally {
      await orm.close(true);
    }
  });
});
