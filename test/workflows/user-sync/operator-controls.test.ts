import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { pauseSignal, resumeSignal, retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { createSyncFixture, targetDomain, testPacing, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';

describe('user sync: pause, resume and retry', () => {
  let fixture: SyncFixture;
  let users: DirectoryUser[];
  const targetOf = (user: DirectoryUser) => `${user.mail!.split('@')[0]}@${targetDomain}`;
  const arrivedFor = (user: DirectoryUser) => (fixture.google.emulator.getUser(targetOf(user)) ? fixture.google.emulator.messagesOf(targetOf(user)).length : 0);

  beforeAll(async () => {
    // Slow imports (40 a second) so a pause can land in the middle of the initial sync.
    fixture = await createSyncFixture({ pacing: { ...testPacing, gmailUserUnitsPerMinute: 25 * 60 * 40 } });
    users = fixture.m365.emulator.seed({ seed: 53, users: 2, messagesPerUser: [600, 10], failingItemsPerUser: 0, groups: false }).users;
  });
  afterAll(async () => fixture?.close());

  it('pauses in the middle of the initial sync, keeps the stage, stops copying, and finishes after resume', async () => {
    const user = users[0]!;
    const { syncUserId, handle } = await fixture.startSync(user, { tuning: { messagesPerActivity: 50 } });
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.InitialSync && arrivedFor(user) > 0);
    await handle.signal(pauseSignal, { reason: 'operator' });
    await handle.signal(pauseSignal, { reason: 'operator' }); // idempotent
    const paused = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Paused);
    expect(paused.stage).toBe('InitialSync');
    expect(paused.pausedBy).toEqual(['operator']);
    expect((await fixture.store.syncUsers.get(syncUserId))?.status).toBe(SyncStatus.Paused);

    const atPause = arrivedFor(user);
    await sleep(2000);
    expect(arrivedFor(user)).toBe(atPause);
    expect(atPause).toBeLessThan(600);

    await handle.signal(resumeSignal, { reason: 'operator' });
    const done = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced, 120_000);
    expect(done.counts.imported).toBe(arrivedFor(user));
  });

  it('keeps a user paused by a disabled policy until the policy is enabled again, whatever the operator does', async () => {
    const user = users[1]!;
    const { handle } = await fixture.startSync(user);
    const synced = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced);
    await handle.signal(pauseSignal, { reason: 'policy-disabled' });
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Paused);
    // An operator's resume does not lift the policy's pause, and a retry waits for it.
    await handle.signal(resumeSignal, { reason: 'operator' });
    await handle.signal(retrySignal);
    await sleep(1500);
    const still = await waitForSnapshot(handle, () => true);
    expect(still.status).toBe(SyncStatus.Paused);
    expect(still.cyclesCompleted).toBe(synced.cyclesCompleted);

    await handle.signal(resumeSignal, { reason: 'policy-disabled' });
    const after = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === synced.cyclesCompleted + 1);
    expect(after.pausedBy).toEqual([]);
  });
});
