import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { createSyncFixture, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { expectEveryMessageOnce, messagesArrived } from '../../helpers/exactly-once.js';
import { pendingActivities, type PendingActivity } from '../../helpers/pending-activity.js';
import { killWorkerProcess, spawnWorkerProcess, type WorkerProcess } from '../../helpers/worker-process.js';

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Two worker processes on one task queue, as README "Scaling out" runs them; one dies mid-copy.
describe('user sync: two workers on one task queue, the one running the copy killed', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    fixture = await createSyncFixture({ startWorker: false });
    user = fixture.m365.emulator.seed({ seed: 53, users: 1, messagesPerUser: 1000, failingItemsPerUser: 0, groups: false }).users[0]!;
  });
  afterAll(async () => {
    for (const worker of workers) await killWorkerProcess(worker);
    await fixture?.close();
  });

  it('the survivor carries on after the heartbeat timeout: every message exactly once, the user Synced', async () => {
    workers.push(spawnWorkerProcess(fixture), spawnWorkerProcess(fixture));
    // The production heartbeat timeout (workflows/user-sync/activities.ts: 60 s unless tuned), so the
    // takeover measured here is the one an installation sees. One activity call holds the whole
    // mailbox, so the kill certainly lands inside it.
    const { handle } = await fixture.startSync(user, { tuning: { heartbeatTimeoutSeconds: undefined, messagesPerActivity: 5000 } });

    await waitUntil('300 messages across', () => (messagesArrived(fixture, user) >= 300 ? true : undefined), 180_000);
    const running = await waitUntil<PendingActivity>(
      'the copy running on one of the workers',
      async () => (await pendingActivities(handle)).find((a) => a.name === 'syncMailFolders' && a.started && workers.some((w) => w.identity === a.lastWorkerIdentity)),
      30_000,
    );
    const victim = workers.find((w) => w.identity === running.lastWorkerIdentity)!;
    const survivor = workers.find((w) => w !== victim)!;
    await killWorkerProcess(victim);
    const killedAt = Date.now();
    const atKill = messagesArrived(fixture, user);
    expect(atKill).toBeLessThan(950);

    // The next attempt, on the survivor: Temporal gives the copy to it once the heartbeat timeout expired.
    const takeover = await waitUntil<PendingActivity>(
      'the survivor to run the copy',
      async () => (await pendingActivities(handle)).find((a) => a.name === 'syncMailFolders' && a.started && a.lastWorkerIdentity === survivor.identity),
      240_000,
    );
    expect(takeover.attempt).toBeGreaterThan(running.attempt);
    const firstNewMessageAt = await waitUntil('the survivor to copy a message', () => (messagesArrived(fixture, user) > atKill ? Date.now() : undefined), 120_000);
    const lastHeartbeatBeforeKill = running.lastHeartbeatAtMs ?? running.lastStartedAtMs!;
    console.error(
      `[two workers] SIGKILL -> survivor's attempt ${takeover.attempt} started: ${((takeover.lastStartedAtMs! - killedAt) / 1000).toFixed(1)} s; ` +
        `-> first new message in Gmail: ${((firstNewMessageAt - killedAt) / 1000).toFixed(1)} s; ` +
        `last heartbeat Temporal had seen was ${((killedAt - lastHeartbeatBeforeKill) / 1000).toFixed(1)} s before the kill; ${atKill} of 1000 messages across at the kill, attempt ${running.attempt} on the killed worker`,
    );

    const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced || s.status === SyncStatus.Failed, 300_000);
    expect(snapshot.status).toBe(SyncStatus.Synced);
    expect(snapshot.lastError).toBeNull();
    const expected = expectEveryMessageOnce(fixture, user);
    expect(snapshot.counts.imported).toBe(expected);
    expect(survivor.child.exitCode).toBeNull();
  }, 600_000);
});
