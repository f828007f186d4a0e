import { existsSync } from 'node:fs';
import { knex } from '@mikro-orm/knex';
import { describe, expect, it } from 'vitest';
import { PostgresUnavailableError, startPostgresCluster } from '../../scripts/postgres-cluster.js';

describe('the throwaway PostgreSQL cluster of the tests', () => {
  it('serves its superuser on a loopback port, and stopping it ends the server and removes its directory', async () => {
    const cluster = await startPostgresCluster();
    const client = knex({ client: 'pg', connection: cluster.urlFor('postgres'), pool: { min: 0, max: 1 } });
    try {
      const { rows } = await client.raw<{ rows: { fsync: string; superuser: boolean }[] }>(
        "select current_setting('fsync') as fsync, rolsuper as superuser from pg_roles where rolname = current_user",
      );
      expect(rows).toEqual([{ fsync: 'off', superuser: true }]);
    } finally {
      await client.destroy();
    }
    expect(existsSync(cluster.directory)).toBe(true);
    await cluster.stop();
    expect(existsSync(cluster.directory)).toBe(false);
    const after = knex({ client: 'pg', connection: { connectionString: cluster.urlFor('postgres'), connectionTimeoutMillis: 2_000 }, pool: { min: 0, max: 1 } });
    try {
      await expect(after.raw('select 1')).rejects.toThrow(/ECONNREFUSED|connect/);
    } finally {
      await after.destroy();
    }
  });

  it('refuses to start without PostgreSQL binaries, saying what to install', async () => {
    const start = startPostgresCluster({ env: { POSTGRES_BIN_DIR: '/nonexistent/postgresql/bin' } });
    await expect(start).rejects.toBeInstanceOf(PostgresUnavailableError);
    await expect(start).rejects.toThrow(/apt-get install postgresql.*--project sqlite/);
  });
});
