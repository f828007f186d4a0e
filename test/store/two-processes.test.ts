import { afterAll, describe, expect, it } from 'vitest';
import { PolicySchema } from '../../store/entities/index.js';
import type { MessageIntent } from '../../store/index.js';
import { writeTransaction } from '../../store/repositories/support.js';
import { openStoreForTest } from '../helpers/store.js';
import { seedPolicy, seedUser, StoreHarness } from './fixtures.js';

const harness = new StoreHarness();
afterAll(() => harness.dispose());

/**
 * The API and the worker open the same database from two processes. Two
 * Store instances have separate connections, so they contend for the SQLite
 * file's write lock (or PostgreSQL's row locks) exactly as two processes do.
 */
describe('two Store instances on one database', () => {
  it('write concurrently without SQLITE_BUSY, and every write lands', async () => {
    const dataDir = harness.newDir();
    const api = harness.track(await openStoreForTest({ dataDir }));
    const worker = harness.track(await openStoreForTest({ dataDir }));
    const { policy } = await seedPolicy(api);
    const user = await seedUser(api, policy.id, 'shared');
    const intents = (from: number): MessageIntent[] => Array.from({ length: 50 }, (_, i) => ({ sourceItemId: `item-${from + i}`, internetMessageId: `<${from + i}@x>`, sourceFolderId: 'inbox' }));

    const rounds = Array.from({ length: 10 }, (_, round) => round);
    await Promise.all([
      ...rounds.map((round) => worker.syncUsers.addCounts(user.id, { mail: { exported: 5, imported: 5 } }).then(() => round)),
      ...rounds.map((round) => api.syncUsers.addCounts(user.id, { mail: { exported: 1, failed: 1 } }).then(() => round)),
      ...rounds.map((round) => worker.messageMap.recordIntents(user.id, intents(round * 25))),
      ...rounds.map((round) => api.audit.writeMany([{ severity: 'Info', category: 'sync', code: 'ROUND', message: `API round ${round}.` }])),
      ...rounds.map((round) => worker.audit.write({ severity: 'Info', category: 'sync', code: 'ROUND', message: `Worker round ${round}.` })),
      ...rounds.map((round) => api.syncUsers.update(user.id, { lastSyncAt: new Date(Date.UTC(2025, 0, 1, 0, round)) })),
      ...rounds.map((round) => worker.connections.markError(policy.sourceConnectionId, { code: 'CONNECTION_UNAVAILABLE', message: `round ${round}` })),
    ]);

    const seenByApi = await api.syncUsers.get(user.id);
    expect(seenByApi?.counts).toEqual({ exported: 60, imported: 50, failed: 10, skipped: 0 });
    expect(seenByApi?.countsByType.mail).toEqual({ exported: 60, imported: 50, failed: 10, skipped: 0 });
    // Rounds overlap by half: 10 x 50 intents over 275 distinct items.
    expect((await api.messageMap.findIntents(user.id, 1000)).length).toBe(275);
    expect((await api.audit.list({ code: 'ROUND', limit: 100 })).items).toHaveLength(20);
  });

  it('see each other’s writes at once (on SQLite, WAL readers are not blocked by a writer)', async () => {
    const dataDir = harness.newDir();
    const [first, second] = await Promise.all([openStoreForTest({ dataDir }), openStoreForTest({ dataDir })]);
    harness.track(first);
    harness.track(second);
    const { policy } = await seedPolicy(first);
    expect((await second.policies.get(policy.id))?.name).toBe(policy.name);
    await second.policies.setEnabled(policy.id, false);
    expect((await first.policies.get(policy.id))?.enabled).toBe(false);
  });

  it('run a transaction again when the other committed between its read and its write, instead of failing with SQLITE_BUSY', async () => {
    const dataDir = harness.newDir();
    const api = harness.track(await openStoreForTest({ dataDir }));
    const worker = harness.track(await openStoreForTest({ dataDir }));
    const { policy } = await seedPolicy(api);
    let attempts = 0;
    let readDone!: () => void;
    let otherCommitted!: () => void;
    const afterRead = new Promise<void>((resolve) => (readDone = resolve));
    const afterOtherWrite = new Promise<void>((resolve) => (otherCommitted = resolve));

    // The worker's write runs outside the transaction's async context (as it would in its own process).
    const renamed = writeTransaction({ orm: api.orm, cipher: undefined as never }, async (em) => {
      attempts++;
      const before = await em.findOneOrFail(PolicySchema, { id: policy.id });
      if (attempts === 1) {
        readDone();
        await afterOtherWrite;
      }
      await em.nativeUpdate(PolicySchema, { id: policy.id }, { name: `${before.name} (renamed)` });
      return before.enabled;
    });
    await afterRead;
    await worker.policies.setEnabled(policy.id, false);
    otherCommitted();

    // The retried transaction read the worker's write: it saw enabled=false.
    expect(await renamed).toBe(api.dialect === 'sqlite' ? false : true);
    expect(attempts).toBe(api.dialect === 'sqlite' ? 2 : 1);
    const after = await worker.policies.get(policy.id);
    expect(after).toMatchObject({ name: `${policy.name} (renamed)`, enabled: false });
  });
});
