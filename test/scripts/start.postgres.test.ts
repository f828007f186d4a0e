import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { knex } from '@mikro-orm/knex';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPeople } from '../../emulators/demo/tenant.js';
import { disposeSystem, startSystem, stopSystem, waitFor, type StartedSystem } from '../helpers/npm-start.js';
import { createTestDatabase } from '../helpers/test-database.js';

interface SyncUserSummary {
  displayName: string;
  status: string;
  errorCode: string | null;
  counts: { imported: number };
}

// `npm start` end to end with the sync's database in PostgreSQL (a fresh
// database of the run's throwaway cluster): the demo tenant syncs as it does on SQLite.
describe('npm start with DATABASE_URL=postgres://…', () => {
  const started: StartedSystem[] = [];
  afterAll(() => started.forEach(disposeSystem));

  it('migrates the empty database, syncs the demo tenant into it, and stops cleanly', async () => {
    const databaseUrl = await createTestDatabase();
    const system = await startSystem({ DATABASE_URL: databaseUrl });
    started.push(system);
    const token = readFileSync(path.join(system.dataDir, 'api-token'), 'utf8').trim();
    const listUsers = async (): Promise<SyncUserSummary[]> => {
      const res = await fetch(`http://127.0.0.1:${system.port}/api/sync-status?limit=100`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: SyncUserSummary[] }).items;
    };

    const syncsNormally = demoPeople.filter((person) => person.role === 'syncs-normally').map((person) => `${person.givenName} ${person.surname}`);
    const creationFails = demoPeople.filter((person) => person.role === 'google-creation-fails').map((person) => `${person.givenName} ${person.surname}`);
    const users = await waitFor(
      'the demo users who sync normally to be Synced, and the one whose Google account cannot be created to be Failed',
      async () => {
        const all = await listUsers();
        const byName = new Map(all.map((user) => [user.displayName, user]));
        const done = syncsNormally.every((name) => byName.get(name)?.status === 'Synced') && creationFails.every((name) => byName.get(name)?.status === 'Failed');
        return done ? byName : undefined;
      },
      240_000,
    );
    for (const name of syncsNormally) expect(users.get(name), name).toMatchObject({ status: 'Synced', errorCode: null, counts: { imported: expect.any(Number) } });
    for (const name of syncsNormally) expect(users.get(name)!.counts.imported, name).toBeGreaterThan(0);
    expect(users.size).toBe(demoPeople.length);

    expect(await stopSystem(system)).toBe(0);
    expect(system.output()).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);

    // It all went to PostgreSQL: no SQLite file beside the data, and the rows are in the database.
    expect(existsSync(path.join(system.dataDir, 'sync.db'))).toBe(false);
    const database = knex({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 1 } });
    try {
      const rows = await database('sync_users').select('display_name', 'status', 'imported');
      expect(rows).toHaveLength(demoPeople.length);
      const imported = await database('item_map').where({ data_type: 'mail', state: 'imported' }).count<{ count: string }[]>('* as count');
      const sum = syncsNormally.reduce((total, name) => total + users.get(name)!.counts.imported, 0);
      expect(Number(imported[0]!.count)).toBeGreaterThanOrEqual(sum);
    } finally {
      await database.destroy();
    }
  }, 360_000);
});
