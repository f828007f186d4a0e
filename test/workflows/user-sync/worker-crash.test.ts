import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { sourceMessages } from '../../helpers/source-mailbox.js';
import { killWorkerProcess, spawnWorkerProcess, type WorkerProcess } from '../../helpers/worker-process.js';

describe('user sync: a worker killed in the middle of the initial sync', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    fixture = await createSyncFixture({ startWorker: false });
    user = fixture.m365.emulator.seed({ seed: 47, users: 1, messagesPerUser: 1000, failingItemsPerUser: 0, groups: false }).users[0]!;
  });
  afterAll(async () => {
    for (const worker of workers) await killWorkerProcess(worker);
    await fixture?.close();
  });

  it('loses and duplicates nothing: a new worker finishes the copy, every message exactly once', async () => {
    const targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    workers.push(spawnWorkerProcess(fixture, { env: { DATABASE_URL: fixture.databaseUrl } }));
    const { syncUserId, handle } = await fixture.startSync(user, { tuning: { heartbeatTimeoutSeconds: 3, messagesPerActivity: 400 } });

    // Kill it without warning once a good part of the mailbox is across.
    const deadline = Date.now() + 120_000;
    const arrivedSoFar = () => (fixture.google.emulator.getUser(targetEmail) ? fixture.google.emulator.messagesOf(targetEmail).length : 0);
    while (arrivedSoFar() < 300) {
      if (Date.now() > deadline) throw new Error('the first worker made no progress');
      await sleep(100);
    }
    await killWorkerProcess(workers[0]!);
    const atKill = fixture.google.emulator.messagesOf(targetEmail).length;
    expect(atKill).toBeLessThan(950);

    workers.push(spawnWorkerProcess(fixture, { env: { DATABASE_URL: fixture.databaseUrl } }));
    const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced, 240_000);
    expect(snapshot.lastError).toBeNull();

    const expected = sourceMessages(fixture.m365.emulator, user).filter((m) => !['outbox', 'conversationhistory'].includes(m.wellKnownFolder ?? ''));
    const arrived = fixture.google.emulator.messagesOf(targetEmail);
    const perId = new Map<string, number>();
    for (const message of arrived) perId.set(message.messageId!, (perId.get(message.messageId!) ?? 0) + 1);
    const duplicated = [...perId].filter(([, n]) => n > 1);
    expect(duplicated).toEqual([]);
    expect(arrived.length).toBe(expected.length);
    for (const message of expected) expect(perId.get(message.internetMessageId), message.internetMessageId).toBe(1);
    expect(snapshot.counts.imported).toBe(expected.length);
    // Both worker processes kept their id map in the fixture's database (SQLite file or PostgreSQL): one imported row per message.
    expect(await fixture.store.messageMap.countImported(syncUserId)).toBe(expected.length);
  }, 300_000);
});
