import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryUser } from '../../emulators/microsoft365/state/directory.js';
import { retrySignal } from '../../shared/contracts/user-sync-messages.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../helpers/sync-fixture.js';
import { apiClient, createApiApp, type ApiClient } from './support.js';

/**
 * "All users are failing": one revoked secret fails every user of the
 * connection, the connection turns Error with a single audit entry, and
 * fixing the connection once brings everyone back, copying nothing twice.
 */
describe('a connection outage affects every user at once, and one fix heals them all', () => {
  let fixture: SyncFixture;
  let api: ApiClient;
  let users: DirectoryUser[];
  const handles: Awaited<ReturnType<SyncFixture['startSync']>>[] = [];
  const targetOf = (user: DirectoryUser) => `${user.mail!.split('@')[0]}@${targetDomain}`;

  beforeAll(async () => {
    fixture = await createSyncFixture();
    users = fixture.m365.emulator.seed({ seed: 83, users: 3, messagesPerUser: 12, failingItemsPerUser: 0, groups: false }).users;
    api = apiClient(createApiApp(fixture.temporal, fixture.store));
    for (const user of users) handles.push(await fixture.startSync(user));
    for (const { handle } of handles) await waitForSnapshot(handle, (s) => s.status === 'Synced');
  });
  afterAll(async () => fixture?.close());

  async function statuses(): Promise<{ status: string; errorCode: string | null }[]> {
    const list = await api.get<{ items: { status: string; errorCode: string | null }[] }>('/api/sync-status?limit=50');
    return list.body.items;
  }

  it('turns every user Failed with AUTH_TOKEN_EXPIRED and the connection Error, with one connection-level audit entry', async () => {
    await fetch(`${fixture.m365.url}/_control/credentials/revoke`, { method: 'POST' });
    const before = fixture.m365.emulator.stats.snapshot().totalRequests;
    for (const { handle } of handles) await handle.signal(retrySignal);
    const deadline = Date.now() + 60_000;
    let current = await statuses();
    while (!current.every((u) => u.status === 'Failed') && Date.now() < deadline) {
      await sleep(200);
      current = await statuses();
    }
    expect(current.map((u) => u.errorCode)).toEqual(['AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_EXPIRED']);
    const connection = await api.get<{ status: string; lastError: { code: string } | null }>(`/api/connections/${fixture.sourceConnectionId}`);
    expect(connection.body.status).toBe('Error');
    const entries = await api.get<{ items: unknown[] }>(`/api/audit-logs?connectionId=${fixture.sourceConnectionId}&code=CONNECTION_AUTH_FAILED`);
    expect(entries.body.items).toHaveLength(1);
    // Users after the first stop calling Microsoft 365 while the connection is in Error.
    const tokenAttempts = fixture.m365.emulator.stats.snapshot().totalRequests - before;
    expect(tokenAttempts).toBeLessThan(10);
  });

  it('brings every user back within seconds once the credentials are updated, and copies nothing twice', async () => {
    const copied = users.map((u) => fixture.google.emulator.messagesOf(targetOf(u)).length);
    fixture.m365.emulator.tenant.addMessages(users[0]!, { count: 2 });
    const { clientSecret } = (await (await fetch(`${fixture.m365.url}/_control/credentials/rotate`, { method: 'POST' })).json()) as { clientSecret: string };
    const put = await api.put(`/api/connections/${fixture.sourceConnectionId}/credentials`, { clientSecret });
    expect(put.status).toBe(200);

    const started = Date.now();
    let current = await statuses();
    while (!current.every((u) => u.status === 'Synced') && Date.now() - started < 30_000) {
      await sleep(200);
      current = await statuses();
    }
    expect(current.every((u) => u.status === 'Synced' && u.errorCode === null)).toBe(true);
    users.forEach((user, index) => {
      const arrived = fixture.google.emulator.messagesOf(targetOf(user));
      expect(arrived.length).toBe(copied[index]! + (index === 0 ? 2 : 0));
      expect(new Set(arrived.map((m) => m.messageId)).size).toBe(arrived.length);
    });
  });
});
