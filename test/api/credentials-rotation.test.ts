import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryUser } from '../../emulators/microsoft365/state/directory.js';
import { createSyncFixture, targetDomain, type SyncFixture } from '../helpers/sync-fixture.js';
import { apiClient, createApiApp, type ApiClient } from './support.js';

interface Summary {
  status: string;
  errorCode: string | null;
}

/**
 * The support article's path, end to end: credentials are revoked, users
 * fail with AUTH_TOKEN_EXPIRED, the administrator puts new credentials in
 * through the API, and the users are Synced again within seconds, with
 * nothing copied twice.
 */
describe('credential rotation through the API resumes users at once', () => {
  let fixture: SyncFixture;
  let api: ApiClient;
  let user: DirectoryUser;

  beforeAll(async () => {
    fixture = await createSyncFixture();
    [user] = fixture.m365.emulator.seed({ seed: 23, users: 1, messagesPerUser: 15, failingItemsPerUser: 0, groups: false }).users as [DirectoryUser];
    api = apiClient(createApiApp(fixture.temporal, fixture.store));
  });
  afterAll(async () => fixture?.close());

  async function waitForUser(userId: string, accept: (summary: Summary) => boolean, timeoutMs = 60_000): Promise<Summary> {
    const deadline = Date.now() + timeoutMs;
    let last: Summary | undefined;
    while (Date.now() < deadline) {
      last = (await api.get<Summary>(`/api/sync-status/${userId}`)).body;
      if (accept(last)) return last;
      await sleep(200);
    }
    throw new Error(`timed out; last: ${JSON.stringify(last)}`);
  }

  async function control(path: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${fixture.m365.url}${path}`, { method: 'POST' });
    expect(res.ok).toBe(true);
    return (await res.json()) as Record<string, unknown>;
  }

  it('revoke, fail, rotate, PUT: Synced again with every message exactly once', async () => {
    const target = `${user.mail!.split('@')[0]}@${targetDomain}`;
    const { syncUserId } = await fixture.startSync(user);
    await waitForUser(syncUserId, (s) => s.status === 'Synced');
    const copied = fixture.google.emulator.messagesOf(target).length;
    expect(copied).toBe(15);

    await control('/_control/credentials/revoke');
    fixture.m365.emulator.tenant.addMessages(user, { count: 4 });
    expect((await api.post(`/api/sync-status/${syncUserId}/retry`)).status).toBe(202);
    const failed = await waitForUser(syncUserId, (s) => s.status === 'Failed');
    expect(failed.errorCode).toBe('AUTH_TOKEN_EXPIRED');
    const failedList = await api.get<{ items: { userId: string }[] }>('/api/sync-status?status=Failed&errorCode=AUTH_TOKEN_EXPIRED');
    expect(failedList.body.items.map((item) => item.userId)).toEqual([syncUserId]);

    const { clientSecret } = (await control('/_control/credentials/rotate')) as { clientSecret: string };
    const put = await api.put<{ connection: { status: string }; signalledUsers: number }>(`/api/connections/${fixture.sourceConnectionId}/credentials`, { clientSecret });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ connection: { status: 'Active' }, signalledUsers: 1 });

    // No retry and no cycle interval: the credentialsUpdated signal alone brings the user back.
    const recovered = await waitForUser(syncUserId, (s) => s.status === 'Synced', 30_000);
    expect(recovered.errorCode).toBeNull();
    const arrived = fixture.google.emulator.messagesOf(target);
    expect(arrived).toHaveLength(copied + 4);
    expect(new Set(arrived.map((message) => message.messageId)).size).toBe(arrived.length);
  });
});
