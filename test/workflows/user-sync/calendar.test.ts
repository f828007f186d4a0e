import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStage, SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { apiClient, createApiApp, type ApiClient } from '../../api/support.js';
import { addOutlookEvent, calendarCorpus, googleInstances, googleKeys, outlookKeys, outlookOccurrences } from '../../helpers/calendar-corpus.js';
import { control, controlGet } from '../../helpers/emulator-control.js';
import { recordHistoryIfAsked } from '../../helpers/history-recording.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';

interface GoogleStoredEvent {
  id: string;
  status?: string;
  recurringEventId?: string;
  calendarId: string;
  summary?: string;
  description?: string;
  location?: string;
  visibility?: string;
  transparency?: string;
  attendees?: { email: string }[];
}

describe('user sync: calendar', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  let colleague: DirectoryUser;
  let api: ApiClient;
  let targetEmail: string;
  let handle: Awaited<ReturnType<SyncFixture['startSync']>>['handle'];
  let syncUserId: string;
  const ids: Record<string, { id: string; immutableId: string }> = {};

  const upn = () => user.userPrincipalName;
  const stats = () => controlGet<{ calendarEmailsSent: number; calendar: { eventWrites: number; requestsByUser?: Record<string, number> } }>(fixture.google.url, '/_control/stats');
  /** The worker's clock for the calendar window; a test moves it on to roll the window forward. */
  let clockOffsetMs = 0;
  const googleEvents = async () => (await controlGet<{ events: GoogleStoredEvent[] }>(fixture.google.url, `/_control/users/${encodeURIComponent(targetEmail)}/events`)).events;
  /** Series and single events (not instance overrides), not deleted. */
  const liveTopLevel = async () => (await googleEvents()).filter((event) => event.status !== 'cancelled' && !event.recurringEventId);
  /** Outlook's occurrences (but those of calendars shared with the user, which are not copied) against Google's instances. */
  const expectSameOccurrences = async (notCopied: string[] = ['Rota']) => {
    const outlook = outlookKeys((await outlookOccurrences(fixture.m365.url, upn())).filter((o) => !notCopied.includes(o.calendar)));
    expect(outlook.length).toBeGreaterThan(40);
    expect(googleKeys(await googleInstances(fixture.google.url, targetEmail), targetEmail)).toEqual(outlook);
  };
  const nextCycle = async (cycles: number) => {
    await handle.signal(retrySignal);
    return waitForSnapshot(handle, (s) => s.cyclesCompleted >= cycles && s.status === SyncStatus.Synced, 90_000);
  };

  beforeAll(async () => {
    fixture = await createSyncFixture({ now: () => new Date(Date.now() + clockOffsetMs), google: { quota: { calendarUserRequestsPerMinute: 60_000, calendarProjectRequestsPerMinute: 600_000 } } });
    [user, colleague] = fixture.m365.emulator.seed({ seed: 141, users: 2, messagesPerUser: 4, failingItemsPerUser: 0, groups: false }).users as [DirectoryUser, DirectoryUser];
    targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    api = apiClient(createApiApp(fixture.temporal, fixture.store));
  });
  afterAll(async () => fixture?.close());

  it('starts the calendar’s initial sync when a running policy enables it, mail untouched: every occurrence in Google at the same instant with the same title, and no e-mail sent', async () => {
    const started = await fixture.startSync(user, { intervalSeconds: 3600, tuning: { folderDiscoveryEveryCycles: 1 } });
    syncUserId = started.syncUserId;
    handle = started.handle;
    const mailSynced = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === 1);
    expect(mailSynced.dataTypes.calendar).toBeUndefined();
    const mailCopies = fixture.google.emulator.messagesOf(targetEmail).length;

    for (const [name, event] of Object.entries(calendarCorpus)) ids[name] = await addOutlookEvent(fixture.m365.url, upn(), event);
    // A calendar someone else shares with the user is theirs to copy, not this user's.
    await control(fixture.m365.url, `/_control/users/${encodeURIComponent(upn())}/calendars`, { name: 'Rota', sharedBy: colleague.userPrincipalName });
    await addOutlookEvent(fixture.m365.url, upn(), {
      subject: 'On call',
      calendar: 'Rota',
      start: { dateTime: '2027-01-05T08:00:00', timeZone: 'UTC' },
      end: { dateTime: '2027-01-05T20:00:00', timeZone: 'UTC' },
    });

    const patched = await api.patch(`/api/policies/${fixture.policyId}`, { dataTypes: ['mail', 'calendar'] });
    expect(patched.status).toBe(200);
    const synced = await nextCycle(2);
    expect(synced.dataTypes.calendar?.stage).toBe(SyncStage.Recurring);
    expect(synced.dataTypes.mail?.stage).toBe(SyncStage.Recurring);
    expect(fixture.google.emulator.messagesOf(targetEmail)).toHaveLength(mailCopies);

    await expectSameOccurrences(['Rota']);
    // One Google event per Outlook event or series: the occurrences of a series are one recurring event.
    expect(await liveTopLevel()).toHaveLength(Object.keys(calendarCorpus).length);
    expect((await stats()).calendarEmailsSent).toBe(0);

    const events = await liveTopLevel();
    const call = events.find((event) => event.summary === 'Customer call')!;
    expect(call.description).toMatch(/https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(call.attendees?.map((attendee) => attendee.email)).toEqual(expect.arrayContaining(['buyer@fabrikam.example', 'cfo@fabrikam.example']));
    expect(call.transparency ?? 'opaque').toBe('opaque');
    expect(events.find((event) => event.summary === 'Public holiday')!.transparency).toBe('transparent');
    const dentist = events.find((event) => event.summary === 'Dentist')!;
    expect(dentist.visibility).toBe('private');
    expect(dentist.calendarId).not.toBe(targetEmail);

    const detail = await api.get(`/api/sync-status/${syncUserId}`);
    const calendar = (detail.body as { dataTypes: { dataType: string; stage: string; counts: { imported: number } }[] }).dataTypes.find((t) => t.dataType === 'calendar');
    expect(calendar).toMatchObject({ stage: SyncStage.Recurring, counts: { imported: Object.keys(calendarCorpus).length } });
  });

  it('follows new, changed, moved and deleted events and series by delta, an exception added and an occurrence cancelled, still without an e-mail', async () => {
    const path = (id: string, action: string) => `/_control/users/${encodeURIComponent(upn())}/events/${encodeURIComponent(id)}/${action}`;
    await control(fixture.m365.url, path(ids.customerCall!.id, 'update'), { subject: 'Customer call (agenda)' });
    await control(fixture.m365.url, path(ids.holiday!.id, 'move'), { calendar: 'Projects' });
    await control(fixture.m365.url, path(ids.anniversary!.id, 'delete'));
    await control(fixture.m365.url, path(ids.monthEnd!.id, 'update'), {
      exceptions: [
        {
          originalStart: '2027-04-30',
          subject: 'Month-end close (Q1 audit)',
          start: { dateTime: '2027-04-30T10:00:00', timeZone: 'Pacific Standard Time' },
          end: { dateTime: '2027-04-30T12:00:00', timeZone: 'Pacific Standard Time' },
        },
      ],
    });
    const backups = (await outlookOccurrences(fixture.m365.url, upn())).filter((o) => o.subject === 'Backups check');
    await control(fixture.m365.url, path(backups[2]!.id, 'delete'));
    await addOutlookEvent(fixture.m365.url, upn(), { subject: 'Offsite', start: { dateTime: '2027-05-04T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2027-05-04T17:00:00', timeZone: 'UTC' } });

    await nextCycle(3);
    await expectSameOccurrences();
    expect(await liveTopLevel()).toHaveLength(Object.keys(calendarCorpus).length);
    expect((await stats()).calendarEmailsSent).toBe(0);
    // Mail's history, then the calendar joining it behind its patch, then a delta cycle of both.
    await recordHistoryIfAsked(handle, 'calendar-enabled');
  });

  it('reads every calendar again after Microsoft 365 forgets the delta tokens (410), copying nothing twice', async () => {
    const before = (await googleEvents()).length;
    await control(fixture.m365.url, `/_control/users/${encodeURIComponent(upn())}/expire-delta-tokens`);
    await nextCycle(4);
    await expectSameOccurrences();
    expect((await googleEvents()).length).toBe(before);
    const audit = await api.get(`/api/audit-logs?userId=${syncUserId}`);
    expect(JSON.stringify(audit.body)).toContain('DELTA_TOKEN_EXPIRED');
  });

  it('rolls the window forward a month on: a new round over the new window that writes nothing again', async () => {
    const before = await stats();
    const events = (await googleEvents()).length;
    const graphDeltaPages = (await controlGet<{ calendar: { deltaPages: number } }>(fixture.m365.url, '/_control/stats')).calendar.deltaPages;
    clockOffsetMs = 32 * 24 * 3600 * 1000;
    await nextCycle(5);
    // The new round read the calendars again from their first page...
    expect((await controlGet<{ calendar: { deltaPages: number } }>(fixture.m365.url, '/_control/stats')).calendar.deltaPages).toBeGreaterThan(graphDeltaPages + 2);
    // ...and found everything already copied as it is: not a single write to Google.
    expect((await stats()).calendar.eventWrites).toBe(before.calendar.eventWrites);
    expect((await googleEvents()).length).toBe(events);
    await expectSameOccurrences();
  });

  it('an idle cycle costs one delta request per calendar and nothing to Google', async () => {
    const graphStats = () => controlGet<{ calendar: { deltaPages: number; eventGets: number; instancesPages: number } }>(fixture.m365.url, '/_control/stats');
    const googleRequests = async () => Object.values((await stats()).calendar.requestsByUser ?? {}).reduce((sum, n) => sum + n, 0);
    const graphBefore = (await graphStats()).calendar;
    const googleBefore = await googleRequests();
    expect(googleBefore).toBeGreaterThan(0);
    await nextCycle(6);
    const graphAfter = (await graphStats()).calendar;
    // The default calendar and Projects (the shared Rota is not walked).
    expect(graphAfter.deltaPages - graphBefore.deltaPages).toBe(2);
    expect(graphAfter.eventGets + graphAfter.instancesPages).toBe(graphBefore.eventGets + graphBefore.instancesPages);
    expect(await googleRequests()).toBe(googleBefore);
  });

  it('takes the policy’s window at the next cycle: a wider one copies what it now reaches once, a narrower one writes nothing and keeps the copies', async () => {
    // Thirty months before the worker's clock: outside the default window of 24 months back.
    const day = new Date(Date.now() + clockOffsetMs - 30 * 30.5 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    await addOutlookEvent(fixture.m365.url, upn(), { subject: 'Old kickoff', start: { dateTime: `${day}T09:00:00`, timeZone: 'UTC' }, end: { dateTime: `${day}T10:00:00`, timeZone: 'UTC' } });
    const writes = async () => (await stats()).calendar.eventWrites;
    const kickoffs = async () => (await liveTopLevel()).filter((event) => event.summary === 'Old kickoff');
    const before = await writes();
    await nextCycle(7);
    expect(await kickoffs()).toEqual([]);
    expect(await writes()).toBe(before);

    expect((await api.patch(`/api/policies/${fixture.policyId}`, { calendarMonthsBack: 36 })).status).toBe(200);
    await nextCycle(8);
    expect(await kickoffs()).toHaveLength(1);
    expect(await writes()).toBe(before + 1);

    expect((await api.patch(`/api/policies/${fixture.policyId}`, { calendarMonthsBack: 24 })).status).toBe(200);
    await nextCycle(9);
    expect(await kickoffs()).toHaveLength(1);
    expect(await writes()).toBe(before + 1);
    expect((await stats()).calendarEmailsSent).toBe(0);
  });
});
