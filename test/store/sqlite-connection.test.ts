import { afterAll, describe, expect, it } from 'vitest';
import { StoreHarness } from './fixtures.js';

const harness = new StoreHarness();
afterAll(() => harness.dispose());

// SQLite only (vitest.config.ts keeps this file out of the postgres project).
describe('SQLite connections', () => {
  it('run in WAL mode with a busy timeout and foreign keys on', async () => {
    const store = await harness.open();
    const connection = store.orm.em.fork().getConnection();
    expect(await connection.execute('pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await connection.execute('pragma busy_timeout')).toEqual([{ timeout: 5000 }]);
    expect(await connection.execute('pragma foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });
});
