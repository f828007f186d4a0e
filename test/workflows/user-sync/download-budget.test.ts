import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { syncMetricsRegistry } from '../../../shared/metrics/sync-metrics.js';
import { SyncStage, SyncStatus } from '../../../shared/vocabulary.js';
import { control } from '../../helpers/emulator-control.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
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

// Contact photos draw on the same budget: each holds Graph's 4 MB photo limit, here the whole 48 KB,
// so the photos of three users copying at once go one at a time across the worker.
describe('contact photos under a small download budget', () => {
  let fixture: SyncFixture;
  let users: DirectoryUser[];
  const contactsPerUser = 90;

  beforeAll(async () => {
    fixture = await createSyncFixture({ google: { quota: { enabled: false } }, downloadBudgetBytes: budgetBytes });
    users = fixture.m365.emulator.seed({ seed: 89, users: 3, messagesPerUser: 0, failingItemsPerUser: 0, groups: false }).users;
    await fixture.store.policies.update(fixture.policyId, { dataTypes: ['contacts'] });
    for (const user of users) await control(fixture.m365.url, `/_control/users/${encodeURIComponent(user.userPrincipalName)}/contacts`, { count: contactsPerUser });
  });
  afterAll(async () => fixture?.close());

  it('makes photo downloads wait for room and copies every contact with its photo', async () => {
    const waitsBefore = await metric('continuity_download_budget_waits_total');
    const started = await Promise.all(users.map((user) => fixture.startSync(user)));
    for (const { handle } of started) {
      const snapshot = await waitForSnapshot(handle, (s) => (s.status === SyncStatus.Synced && s.dataTypes.contacts?.stage === SyncStage.Recurring) || s.status === SyncStatus.Failed, 240_000);
      expect(snapshot.lastError).toBeNull();
      expect(snapshot.status).toBe(SyncStatus.Synced);
    }
    for (const user of users) {
      const people = fixture.google.emulator.contactsOf(`${user.mail!.split('@')[0]}@${targetDomain}`) as { photos?: { default?: boolean }[] }[];
      expect(people).toHaveLength(contactsPerUser);
      // The generator gives every third contact a photo; Google shows its own placeholder (default: true) on the others.
      expect(people.filter((person) => (person.photos ?? []).some((photo) => !photo.default))).toHaveLength(contactsPerUser / 3);
    }
    expect(await metric('continuity_download_budget_waits_total')).toBeGreaterThan(waitsBefore);
    expect(await metric('continuity_download_budget_bytes_in_use')).toBe(0);
  }, 300_000);
});
