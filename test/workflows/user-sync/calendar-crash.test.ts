import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStage, SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { addOutlookEvent, calendarCorpus, googleInstances, googleKeys, outlookKeys, outlookOccurrences } from '../../helpers/calendar-corpus.js';
import { control, controlGet } from '../../helpers/emulator-control.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { killBetweenWriteAndRecord, killWorkerProcess, spawnWorkerProcess, type WorkerProcess } from '../../helpers/worker-process.js';

interface GoogleStoredEvent {
  id: string;
  status?: string;
  recurringEventId?: string;
}

/** Generated events: one in five a weekly series of ten (emulators/microsoft365/calendar/generated-events.ts). */
const generatedCount = 300;
const outlookEventCount = generatedCount + Object.keys(calendarCorpus).length;

describe('user sync: a worker killed in the middle of the calendar’s initial sync', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  let targetEmail: string;
  const workers: WorkerProcess[] = [];

  const googleEvents = async (): Promise<GoogleStoredEvent[]> =>
    fixture.google.emulator.getUser(targetEmail) ? (await controlGet<{ events: GoogleStoredEvent[] }>(fixture.google.url, `/_control/users/${encodeURIComponent(targetEmail)}/events`)).events : [];
  /** Series and single events (not instance overrides), not deleted. */
  const liveTopLevel = async () => (await googleEvents()).filter((event) => event.status !== 'cancelled' && !event.recurringEventId);

  beforeAll(async () => {
    fixture = await createSyncFixture({ startWorker: false, google: { quota: { calendarUserRequestsPerMinute: 60_000, calendarProjectRequestsPerMinute: 600_000 } } });
    user = fixture.m365.emulator.seed({ seed: 59, users: 1, messagesPerUser: 0, failingItemsPerUser: 0, groups: false }).users[0]!;
    targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    await fixture.store.policies.update(fixture.policyId, { dataTypes: ['calendar'] });
    for (const event of Object.values(calendarCorpus)) await addOutlookEvent(fixture.m365.url, user.userPrincipalName, event);
    await control(fixture.m365.url, `/_control/users/${encodeURIComponent(user.userPrincipalName)}/events`, { count: generatedCount });
  });
  afterAll(async () => {
    for (const worker of workers) await killWorkerProcess(worker);
    await fixture?.close();
  });

  it('loses and duplicates nothing: a new worker finishes the copy, every event and series exactly once, no e-mail', async () => {
    // Slow enough for the kill to land between an import and the page's record in the ledger.
    const env = { DATABASE_URL: fixture.databaseUrl, CALENDAR_USER_REQUESTS_PER_MINUTE: '600', CALENDAR_ATTENDEE_WRITES_PER_MINUTE: '600' };
    const { syncUserId, handle } = await fixture.startSync(user, { tuning: { heartbeatTimeoutSeconds: 3 } });
    const calendarItems = fixture.store.itemMap.forType('calendar');
    const { inTarget: inGoogleAtKill, recorded: atKill } = await killBetweenWriteAndRecord(fixture, workers, {
      env,
      inTarget: async () => (await liveTopLevel()).length,
      recorded: () => calendarItems.countImported(syncUserId),
      atLeast: 50,
    });
    // Some events are in Google that the ledger does not know as copied yet: the case a restart must not copy again.
    expect(atKill).toBeLessThan(inGoogleAtKill);
    expect(inGoogleAtKill).toBeLessThan(outlookEventCount);

    workers.push(spawnWorkerProcess(fixture, { env: { ...env, CALENDAR_USER_REQUESTS_PER_MINUTE: '60000', CALENDAR_ATTENDEE_WRITES_PER_MINUTE: '60000' } }));
    const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.dataTypes.calendar?.stage === SyncStage.Recurring, 240_000);
    expect(snapshot.lastError).toBeNull();

    // One Google event per Outlook event or series, and the same occurrences on both sides.
    const live = await liveTopLevel();
    expect(new Set(live.map((event) => event.id)).size).toBe(outlookEventCount);
    expect(live).toHaveLength(outlookEventCount);
    const outlook = outlookKeys(await outlookOccurrences(fixture.m365.url, user.userPrincipalName));
    expect(outlook.length).toBeGreaterThan(outlookEventCount);
    expect(googleKeys(await googleInstances(fixture.google.url, targetEmail), targetEmail)).toEqual(outlook);
    expect(await fixture.store.itemMap.forType('calendar').countImported(syncUserId)).toBe(outlookEventCount);
    expect(await fixture.store.itemMap.forType('calendar').findIntents(syncUserId)).toEqual([]);
    expect((await controlGet<{ calendarEmailsSent: number }>(fixture.google.url, '/_control/stats')).calendarEmailsSent).toBe(0);
  }, 300_000);
});
