import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { apiClient, createApiApp, type ApiClient } from '../../api/support.js';
import { recordHistoryIfAsked } from '../../helpers/history-recording.js';
import { createSyncFixture, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';

const hour = 3600;
const minute = 60;

describe('user sync: policy edits reach running users', () => {
  let fixture: SyncFixture;
  let users: DirectoryUser[];
  let api: ApiClient;

  beforeAll(async () => {
    fixture = await createSyncFixture();
    users = fixture.m365.emulator.seed({ seed: 71, users: 2, messagesPerUser: 5, failingItemsPerUser: 0, groups: false }).users;
    api = apiClient(createApiApp(fixture.temporal, fixture.store));
  });
  afterAll(async () => fixture?.close());

  const rowOf = async (syncUserId: string) => (await fixture.store.syncUsers.get(syncUserId))!;

  it('moves a waiting user’s next sync at once when the interval is shortened, and runs it then', async () => {
    const { syncUserId, handle } = await fixture.startSync(users[0]!, { intervalSeconds: hour });
    const synced = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === 1);
    const dueBefore = Date.parse(synced.nextSyncAt!);
    const lastSync = Date.parse(synced.lastSyncAt!);
    expect(dueBefore - lastSync).toBeGreaterThan((hour - minute) * 1000);

    const patched = await api.patch(`/api/policies/${fixture.policyId}`, { cycleIntervalSeconds: minute });
    expect(patched.status).toBe(200);

    // One interval after the last cycle ended, no longer the hour it was waiting out.
    const moved = await waitForSnapshot(handle, (s) => s.nextSyncAt !== synced.nextSyncAt, 30_000);
    const dueAfter = Date.parse(moved.nextSyncAt!);
    expect(dueAfter).toBeLessThan(dueBefore - (hour - 2 * minute) * 1000);
    expect(dueAfter - lastSync).toBeLessThanOrEqual(minute * 1000 + 5_000);
    expect(dueAfter - lastSync).toBeGreaterThanOrEqual(minute * 1000 - 5_000);
    // The API lists from the database: it shows the same time.
    expect((await rowOf(syncUserId)).nextSyncAt?.toISOString()).toBe(moved.nextSyncAt);

    // And the cycle runs then, on the schedule, without waiting out the hour.
    const second = await waitForSnapshot(handle, (s) => s.cyclesCompleted === 2 && s.status === SyncStatus.Synced, 3 * minute * 1000);
    expect(Date.parse(second.lastSyncAt!)).toBeGreaterThanOrEqual(dueAfter);
    expect(Date.parse(second.nextSyncAt!) - Date.parse(second.lastSyncAt!)).toBeLessThanOrEqual(minute * 1000 + 5_000);
    await recordHistoryIfAsked(handle, 'policy-interval-changed');
  });

  it('reads the policy afresh at every cycle, so a user the news missed follows it from its next cycle', async () => {
    await fixture.store.policies.update(fixture.policyId, { cycleIntervalSeconds: hour });
    const { handle } = await fixture.startSync(users[1]!, { intervalSeconds: hour });
    const synced = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === 1);
    expect(Date.parse(synced.nextSyncAt!) - Date.parse(synced.lastSyncAt!)).toBeGreaterThan((hour - minute) * 1000);

    // Written behind the workflow's back (as if the API's signal never arrived): only the next cycle can see it.
    await fixture.store.policies.update(fixture.policyId, { cycleIntervalSeconds: 2 * minute });
    await handle.signal(retrySignal);
    const after = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === 2);
    const wait = Date.parse(after.nextSyncAt!) - Date.parse(after.lastSyncAt!);
    expect(wait).toBeLessThanOrEqual(2 * minute * 1000 + 5_000);
    expect(wait).toBeGreaterThanOrEqual(2 * minute * 1000 - 5_000);
  });
});
