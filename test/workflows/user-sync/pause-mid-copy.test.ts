import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { apiClient, createApiApp, type ApiClient, type ProblemBody } from '../../api/support.js';
import { recordHistoryIfAsked } from '../../helpers/history-recording.js';
import { sourceMessages } from '../../helpers/source-mailbox.js';
import { createSyncFixture, targetDomain, testPacing, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';

const messages = 1_500;

describe('user sync: a pause in the middle of an initial sync', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  let api: ApiClient;
  const targetOf = (u: DirectoryUser) => `${u.mail!.split('@')[0]}@${targetDomain}`;
  const arrived = () => (fixture.google.emulator.getUser(targetOf(user)) ? fixture.google.emulator.messagesOf(targetOf(user)) : []);

  beforeAll(async () => {
    // 40 imports a second: the whole mailbox is one activity's budget and takes far longer than a pause may.
    fixture = await createSyncFixture({ pacing: { ...testPacing, gmailUserUnitsPerMinute: 25 * 60 * 40 } });
    user = fixture.m365.emulator.seed({ seed: 59, users: 1, messagesPerUser: messages, failingItemsPerUser: 0, groups: false }).users[0]!;
    api = apiClient(createApiApp(fixture.temporal, fixture.store));
  });
  afterAll(async () => fixture?.close());

  it('stops the copy in flight, answers once Paused, refuses a second pause sent at the same moment, and resumes exactly once', async () => {
    const { syncUserId, handle } = await fixture.startSync(user, { tuning: { messagesPerActivity: 2_000, heartbeatTimeoutSeconds: 30 } });
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.InitialSync && arrived().length >= 100, 120_000);

    // Two operators at once: the workflow's own check lets exactly one through.
    const requestedAt = Date.now();
    const answers = await Promise.all([api.post<{ status?: string }>(`/api/sync-status/${syncUserId}/pause`), api.post<ProblemBody>(`/api/sync-status/${syncUserId}/pause`)]);
    const latencyMs = Date.now() - requestedAt;
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    const taken = answers.find((a) => a.status === 202)!;
    const refused = answers.find((a) => a.status === 409)! as { body: ProblemBody };
    expect(refused.body.code).toBe('ALREADY_PAUSED');
    // The answer comes once the user is Paused, not when the signal is queued.
    expect(taken.body.status).toBe(SyncStatus.Paused);
    console.info(`pause in the middle of an initial sync: ${latencyMs} ms from the API call to Paused (${arrived().length} of ${messages} messages copied)`);

    // It stopped the running activity (its budget of 2,000 would have taken the whole mailbox)...
    const history = await handle.fetchHistory();
    const cancelled = history.events!.filter((event) => event.activityTaskCanceledEventAttributes);
    expect(cancelled.length).toBe(1);
    const paused = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Paused);
    expect(paused.stage).toBe('InitialSync');
    const atPause = arrived().length;
    expect(atPause).toBeLessThan(messages);
    // ...with every copy so far recorded: nothing in Gmail the id map does not know.
    expect((await fixture.store.syncUsers.get(syncUserId))!.status).toBe(SyncStatus.Paused);
    expect(await fixture.store.messageMap.countImported(syncUserId)).toBe(atPause);

    expect((await api.post(`/api/sync-status/${syncUserId}/resume`)).status).toBe(202);
    const done = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced, 180_000);
    const source = sourceMessages(fixture.m365.emulator, user).filter((m) => !['outbox', 'conversationhistory'].includes(m.wellKnownFolder ?? ''));
    const copies = arrived();
    expect(copies.length).toBe(source.length);
    expect(new Set(copies.map((m) => m.messageId)).size).toBe(source.length);
    expect(done.counts.imported).toBe(source.length);
    await recordHistoryIfAsked(handle, 'initial-sync-paused');
    // As long as its own waits allow: the copy alone takes some 40 s at 40 imports a second.
  }, 330_000);
});
