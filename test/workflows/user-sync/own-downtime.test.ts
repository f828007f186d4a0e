import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import proto from '@temporalio/proto';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { createSyncFixture, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { expectEveryMessageOnce, messagesArrived } from '../../helpers/exactly-once.js';
import { pendingActivities } from '../../helpers/pending-activity.js';
import { killWorkerProcess, spawnWorkerProcess, type WorkerProcess } from '../../helpers/worker-process.js';

const { TimeoutType } = proto.temporal.api.enums.v1;

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// The whole sync engine stopped (as Ctrl-C on `npm start` stops it) for longer than a mail
// activity's schedule-to-close timeout, in the middle of an initial sync, then started again.
describe('user sync: our own downtime is not the service failing', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    // A new account is accepted at once: the short retry window leaves no room for Google's propagation delay.
    fixture = await createSyncFixture({ startWorker: false, google: { newAccountTokenDelaySeconds: 0 } });
    user = fixture.m365.emulator.seed({ seed: 59, users: 1, messagesPerUser: 800, failingItemsPerUser: 0, groups: false }).users[0]!;
  });
  afterAll(async () => {
    for (const worker of workers) await killWorkerProcess(worker);
    await fixture?.close();
  });

  it('a cycle whose activity timed out while no worker ran carries on where it stopped: no Failed, no CONNECTION_UNAVAILABLE, every message once', async () => {
    workers.push(spawnWorkerProcess(fixture));
    // 20 s stands in for the 15 minutes (or the cycle interval) of an installation.
    const { syncUserId, handle } = await fixture.startSync(user, { tuning: { heartbeatTimeoutSeconds: 5, messagesPerActivity: 150, retryWindowSeconds: 20 } });
    await waitUntil('300 messages across', () => (messagesArrived(fixture, user) >= 300 ? true : undefined), 180_000);

    // Stopped the way `npm start` stops it on Ctrl-C; nothing runs the activity now.
    await killWorkerProcess(workers[0]!, 'SIGTERM');
    const atStop = messagesArrived(fixture, user);
    expect(atStop).toBeLessThan(780);

    // Down until Temporal gave up on the mail activity: its schedule-to-close timeout expired.
    await waitUntil('the mail activity to time out', async () => ((await pendingActivities(handle)).some((a) => a.name === 'syncMailFolders') ? undefined : true), 120_000);
    const timedOut: string[] = [];
    for (const event of (await handle.fetchHistory()).events ?? []) {
      const type = event.activityTaskTimedOutEventAttributes?.failure?.timeoutFailureInfo?.timeoutType;
      if (type !== undefined && type !== null) timedOut.push(TimeoutType[type] ?? String(type));
    }
    expect(timedOut).toContain('TIMEOUT_TYPE_SCHEDULE_TO_CLOSE');

    workers.push(spawnWorkerProcess(fixture));
    const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced || s.status === SyncStatus.Failed, 240_000);
    expect(snapshot.lastError).toBeNull();
    expect(snapshot.status).toBe(SyncStatus.Synced);
    expect(snapshot.cyclesCompleted).toBe(1);
    const cycles = await fixture.store.cycles.listRecent(syncUserId);
    expect(cycles.map((c) => [c.outcome, c.errorCode])).toEqual([['succeeded', null]]);
    const expected = expectEveryMessageOnce(fixture, user);
    expect(snapshot.counts.imported).toBe(expected);
  }, 480_000);
});
