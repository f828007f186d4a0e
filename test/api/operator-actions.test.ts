import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryUser } from '../../emulators/microsoft365/state/directory.js';
import { createSyncFixture, type SyncFixture } from '../helpers/sync-fixture.js';
import { apiClient, createApiApp, unknownId, type ApiClient, type ProblemBody } from './support.js';

interface Detail {
  status: string;
  stage: string;
  pausedReason: string | null;
  workflowId: string;
  runId: string | null;
  temporalUiUrl: string;
  recentCycles: { trigger: string; outcome: string }[];
  live: { status: string; currentActivity: string; pausedBy: string[] } | null;
}

/** The signals are real: users pause, resume and run cycles on a worker, and the API reads it back from the database. */
describe('operator actions and policy switches on running workflows', () => {
  let fixture: SyncFixture;
  let api: ApiClient;
  let users: DirectoryUser[];

  beforeAll(async () => {
    fixture = await createSyncFixture();
    users = fixture.m365.emulator.seed({ seed: 11, users: 3, messagesPerUser: 8, failingItemsPerUser: 0, groups: false }).users;
    api = apiClient(createApiApp(fixture.temporal, fixture.store));
  });
  afterAll(async () => fixture?.close());

  async function waitForDetail(userId: string, accept: (detail: Detail) => boolean, timeoutMs = 60_000): Promise<Detail> {
    const deadline = Date.now() + timeoutMs;
    let last: Detail | undefined;
    while (Date.now() < deadline) {
      const res = await api.get<Detail>(`/api/sync-status/${userId}`);
      last = res.body;
      if (res.status === 200 && accept(last)) return last;
      await sleep(200);
    }
    throw new Error(`timed out; last detail: ${JSON.stringify(last)}`);
  }

  it('pauses, refuses what does not apply, resumes and runs a cycle on request', async () => {
    const { syncUserId } = await fixture.startSync(users[0]!);
    const synced = await waitForDetail(syncUserId, (d) => d.status === 'Synced');
    expect(synced.live).toMatchObject({ status: 'Synced', pausedBy: [], currentActivity: expect.any(String) });
    expect(synced.temporalUiUrl).toContain(`/workflows/${encodeURIComponent(synced.workflowId)}/${synced.runId}/history`);

    const resumeFirst = await api.post<ProblemBody>(`/api/sync-status/${syncUserId}/resume`);
    expect(resumeFirst.status).toBe(409);
    expect(resumeFirst.body.code).toBe('NOT_PAUSED');

    const pause = await api.post<{ userId: string; action: string; detail: string }>(`/api/sync-status/${syncUserId}/pause`);
    expect(pause.status).toBe(202);
    expect(pause.body).toMatchObject({ userId: syncUserId, action: 'pause' });
    // The workflow knows at once, even before it reaches its checkpoint.
    const again = await api.post<ProblemBody>(`/api/sync-status/${syncUserId}/pause`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_PAUSED');
    const retryPaused = await api.post<ProblemBody>(`/api/sync-status/${syncUserId}/retry`);
    expect(retryPaused.status).toBe(409);
    expect(retryPaused.body.code).toBe('USER_PAUSED');
    const paused = await waitForDetail(syncUserId, (d) => d.status === 'Paused');
    expect(paused.pausedReason).toBe('operator');

    expect((await api.post(`/api/sync-status/${syncUserId}/resume`)).status).toBe(202);
    await waitForDetail(syncUserId, (d) => d.status === 'Synced');
    const cyclesBefore = (await waitForDetail(syncUserId, () => true)).recentCycles.length;

    expect((await api.post(`/api/sync-status/${syncUserId}/retry`)).status).toBe(202);
    const after = await waitForDetail(syncUserId, (d) => d.status === 'Synced' && d.recentCycles.length === cyclesBefore + 1 && d.recentCycles[0]?.outcome !== 'running');
    expect(after.recentCycles[0]).toMatchObject({ trigger: 'operator', outcome: 'succeeded' });

    const codes = (await fixture.store.audit.list({ syncUserId, category: 'sync' })).items.map((entry) => entry.code);
    expect(codes).toEqual(expect.arrayContaining(['USER_PAUSED', 'USER_RESUMED', 'USER_RETRY_REQUESTED']));
  });

  it('pauses every user of a disabled policy, which only enabling the policy undoes', async () => {
    const { syncUserId } = await fixture.startSync(users[1]!);
    await waitForDetail(syncUserId, (d) => d.status === 'Synced');

    const off = await api.post<{ changed: boolean; signalledUsers: number }>(`/api/policies/${fixture.policyId}/disable`);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ changed: true, signalledUsers: 2 });
    const paused = await waitForDetail(syncUserId, (d) => d.status === 'Paused');
    expect(paused.pausedReason).toBe('policy-disabled');

    const resume = await api.post<ProblemBody>(`/api/sync-status/${syncUserId}/resume`);
    expect(resume.status).toBe(409);
    expect(resume.body.code).toBe('PAUSED_BY_POLICY');
    expect((await api.post<ProblemBody>(`/api/sync-status/${syncUserId}/pause`)).body.code).toBe('ALREADY_PAUSED');

    const on = await api.post<{ changed: boolean; signalledUsers: number }>(`/api/policies/${fixture.policyId}/enable`);
    expect(on.body).toMatchObject({ changed: true, signalledUsers: 2 });
    await waitForDetail(syncUserId, (d) => d.status === 'Synced' && d.pausedReason === null);
  });

  it('answers 409 with a sentence for an Excluded user whose workflow has ended, and 404 for an unknown one', async () => {
    const user = users[2]!;
    const { syncUserId, handle } = await fixture.startSync(user);
    await waitForDetail(syncUserId, (d) => d.status === 'Synced');
    await fetch(`${fixture.m365.url}/_control/users/${user.id}/delete`, { method: 'POST' });
    expect((await api.post(`/api/sync-status/${syncUserId}/retry`)).status).toBe(202);
    await waitForDetail(syncUserId, (d) => d.status === 'Failed');
    expect((await api.post(`/api/sync-status/${syncUserId}/retry`)).status).toBe(202);
    await handle.result();

    const excluded = await waitForDetail(syncUserId, (d) => d.status === 'Excluded');
    expect(excluded.live).toBeNull();
    for (const action of ['pause', 'resume', 'retry']) {
      const res = await api.post<ProblemBody>(`/api/sync-status/${syncUserId}/${action}`);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('USER_EXCLUDED');
      expect(res.body.detail).toContain(user.mail!.toLowerCase());
    }
    expect((await api.post(`/api/sync-status/${unknownId}/pause`)).status).toBe(404);
  });
});
