import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { syncMetricsRegistry } from '../../../shared/metrics/sync-metrics.js';
import { createSyncFixture, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { expectEveryMessageOnce } from '../../helpers/exactly-once.js';

async function metric(name: string): Promise<number> {
  const found = (await syncMetricsRegistry.getMetricsAsJSON()).find((m) => m.name === name);
  return Number(found?.values[0]?.value ?? 0);
}

// A worker whose download budget is smaller than a few messages together: two users copy at
// once, their downloads queue for it (back-pressure), and still every message arrives once.
const budgetBytes = 48 * 1024;

describe('user sync under a small download budget', () => {
  let fixture: SyncFixture;
  let users: DirectoryUser[];

  beforeAll(async () => {
    fixture = await createSyncFixture({ google: { quota: { enabled: false } }, downloadBudgetBytes: budgetBytes });
    users = fixture.m365.emulator.seed({ seed: 83, users: 2, messagesPerUser: 120, failingItemsPerUser: 0, groups: false }).users;
  });
  afterAll(async () => fixture?.close());

  it('makes downloads wait for room and copies every message of both users exactly once', async () => {
    const waitsBefore = await metric('continuity_download_budget_waits_total');
    const started = await Promise.all(users.map((user) => fixture.startSync(user)));
    for (const { handle } of started) {
      const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced || s.status === SyncStatus.Failed, 240_000);
      expect(snapshot.lastError).toBeNull();
      expect(snapshot.status).toBe(SyncStatus.Synced);
    }
    for (const user of users) expect(expectEveryMessageOnce(fixture, user)).toBeGreaterThan(100);
    expect(await metric('continuity_download_budget_waits_total')).toBeGreaterThan(waitsBefore);
    // Every byte taken was given back: nothing is held once the copies are done.
    expect(await metric('continuity_download_budget_bytes_in_use')).toBe(0);
  }, 300_000);
});
