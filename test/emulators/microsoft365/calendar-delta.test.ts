import type { Calendar, Event } from '@microsoft/microsoft-graph-types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient, withPreferences, type GraphConnection } from '../../../connectors/microsoft365/graph-client.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';
import { addEvent, calendarDeltaRound, immutable, type CalendarDeltaItem } from './calendar-fixtures.js';
import { controlJson, failureOf } from './fixtures.js';

const window = 'startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z';
const at = (date: string, time: string, zone = 'UTC'): { dateTime: string; timeZone: string } => ({ dateTime: `${date}T${time}`, timeZone: zone });
const single = (subject: string, date: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ subject, start: at(date, '09:00:00'), end: at(date, '10:00:00'), ...extra });
const weekly = (subject: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  subject,
  start: at('2026-03-02', '14:00:00'),
  end: at('2026-03-02', '15:00:00'),
  recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 4 } },
  ...extra,
});
const live = (items: CalendarDeltaItem[]): CalendarDeltaItem[] => items.filter((item) => !item['@removed']);
const removedIds = (items: CalendarDeltaItem[]): string[] => items.filter((item) => item['@removed']).map((item) => item.id as string);

describe('Microsoft 365 emulator: calendarView delta', () => {
  let running: RunningMicrosoft365Emulator;
  let connection: GraphConnection;
  let upn: string;

  beforeAll(async () => {
    running = await startMicrosoft365Emulator({ seed: { seed: 15, users: 1, messagesPerUser: 1 } });
    connection = createGraphClient(running.graphSettings);
  });
  afterAll(async () => running?.close());
  beforeEach(async () => {
    await controlJson(running, '/reset');
    upn = running.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
  });

  const defaultDelta = (): string => `/users/${upn}/calendarView/delta?${window}`;

  it('pages the first round by odata.maxpagesize: single instances, occurrences and exceptions in the window, never the master', async () => {
    const series = await addEvent(running, upn, weekly('Weekly', { exceptions: [{ originalStart: '2026-03-09', subject: 'Weekly (changed)' }], cancelledOccurrences: ['2026-03-16'] }));
    const inside = await addEvent(
      running,
      upn,
      single('Inside', '2026-03-05', {
        isOnlineMeeting: true,
        sensitivity: 'private',
        showAs: 'tentative',
        attendees: [{ emailAddress: { name: 'Bo', address: 'bo@example.com' }, type: 'required' }],
      }),
    );
    await addEvent(running, upn, single('Outside', '2026-05-05'));
    const round = await calendarDeltaRound(connection, defaultDelta(), { ...immutable, maxPageSize: 2 });
    expect(round.pages).toBe(2);
    expect(round.items.map((item) => [item.type, item.subject]).sort()).toEqual([
      ['exception', 'Weekly (changed)'],
      ['occurrence', 'Weekly'],
      ['occurrence', 'Weekly'],
      ['singleInstance', 'Inside'],
    ]);
    for (const item of round.items.filter((event) => event.type !== 'singleInstance')) {
      expect(item.seriesMasterId).toBe(series.immutableId);
      expect(item.originalStart).toMatch(/^2026-03-\d\dT14:00:00Z$/);
    }
    const meeting = round.items.find((item) => item.id === inside.immutableId) as Event;
    expect(meeting.onlineMeeting?.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(meeting).toMatchObject({
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      sensitivity: 'private',
      showAs: 'tentative',
      start: { dateTime: '2026-03-05T09:00:00.0000000', timeZone: 'UTC' },
    });
    expect(meeting.attendees?.[0]?.emailAddress?.address).toBe('bo@example.com');
    // Prefer outlook.timezone sets the zone of start and end.
    const pacific = await calendarDeltaRound(connection, defaultDelta(), {}, { Prefer: 'IdType="ImmutableId", outlook.timezone="Pacific Standard Time"' });
    expect(pacific.items.find((item) => item.id === inside.immutableId)?.start).toEqual({ dateTime: '2026-03-05T01:00:00.0000000', timeZone: 'Pacific Standard Time' });
  });

  it('replays the window from the token: a window given beside it is not read; an idle round is empty', async () => {
    await addEvent(running, upn, single('March', '2026-03-05'));
    const round = await calendarDeltaRound(connection, defaultDelta());
    expect(round.items).toHaveLength(1);
    const idle = await calendarDeltaRound(connection, `${round.deltaLink}&startDateTime=2020-01-01T00:00:00Z&endDateTime=2020-01-02T00:00:00Z`);
    expect(idle.items).toEqual([]);
    await controlJson(running, `/users/${upn}/events/${encodeURIComponent(round.items[0]!.id!)}/update`, { subject: 'March (renamed)' });
    const next = await calendarDeltaRound(connection, `${idle.deltaLink}&startDateTime=2020-01-01T00:00:00Z&endDateTime=2020-01-02T00:00:00Z`);
    expect(next.items.map((item) => item.subject)).toEqual(['March (renamed)']);
  });

  it('reports changes: new and updated in full, deleted and cancelled as @removed, out-of-window changes as @removed, a master change as its occurrences', async () => {
    const series = await addEvent(running, upn, weekly('Weekly'));
    const doomed = await addEvent(running, upn, single('Doomed', '2026-03-10'));
    const later = await addEvent(running, upn, single('Later', '2026-06-10'));
    const first = await calendarDeltaRound(connection, defaultDelta());
    expect(live(first.items)).toHaveLength(5);
    const occurrenceIds = first.items.filter((item) => item.seriesMasterId === series.immutableId).map((item) => item.id as string);

    const added = await addEvent(running, upn, single('Added', '2026-03-20'));
    await controlJson(running, `/users/${upn}/events/${doomed.immutableId}/delete`);
    await controlJson(running, `/users/${upn}/events/${later.immutableId}/update`, { subject: 'Later, changed' });
    const outside = await addEvent(running, upn, single('New outside', '2026-07-01'));
    const changes = await calendarDeltaRound(connection, first.deltaLink);
    expect(live(changes.items).map((item) => [item.id, item.subject])).toEqual([[added.immutableId, 'Added']]);
    // Deleted inside the window; updated and added outside it ("Filter the events under @removed for the date range", event-delta).
    expect(removedIds(changes.items)).toEqual([doomed.immutableId, later.immutableId, outside.immutableId]);
    for (const item of changes.items.filter((entry) => entry['@removed'])) expect(item['@removed']).toEqual({ reason: 'deleted' });

    // A change to the master comes back as its occurrences in the window; a cancelled occurrence as @removed.
    await controlJson(running, `/users/${upn}/events/${series.immutableId}/update`, { subject: 'Weekly, renamed', cancelledOccurrences: ['2026-03-16'] });
    const masterRound = await calendarDeltaRound(connection, changes.deltaLink);
    expect(live(masterRound.items).map((item) => item.subject)).toEqual(['Weekly, renamed', 'Weekly, renamed', 'Weekly, renamed']);
    expect(live(masterRound.items).every((item) => item.type === 'occurrence' && item.seriesMasterId === series.immutableId)).toBe(true);
    expect(removedIds(masterRound.items)).toEqual([occurrenceIds[2]]);
    expect(masterRound.items.some((item) => item.type === 'seriesMaster')).toBe(false);

    // An exception added to one occurrence: that occurrence comes back as an exception, the same id.
    await controlJson(running, `/users/${upn}/events/${encodeURIComponent(occurrenceIds[1]!)}/update`, { subject: 'Weekly, one changed' });
    const exceptionRound = await calendarDeltaRound(connection, masterRound.deltaLink);
    const exception = exceptionRound.items.find((item) => item.id === occurrenceIds[1]);
    expect(exception).toMatchObject({ type: 'exception', subject: 'Weekly, one changed', seriesMasterId: series.immutableId });

    // Deleting the series removes each occurrence it showed.
    await controlJson(running, `/users/${upn}/events/${series.immutableId}/delete`);
    const gone = await calendarDeltaRound(connection, exceptionRound.deltaLink);
    expect(removedIds(gone.items).sort()).toEqual([occurrenceIds[0], occurrenceIds[1], occurrenceIds[3]].sort());
    expect(live(gone.items)).toEqual([]);
  });

  it('tracks each calendar on its own; a move is @removed from the old calendar and new in the other with the same immutable id', async () => {
    const event = await addEvent(running, upn, single('Travels', '2026-03-12'));
    await addEvent(running, upn, single('Stays', '2026-03-13', { calendar: 'Projects' }));
    const calendars = (await withPreferences(connection.client.api(`/users/${upn}/calendars`), immutable).get()) as { value: Calendar[] };
    const projects = calendars.value.find((calendar) => calendar.name === 'Projects') as Calendar;
    const projectsDelta = `/users/${upn}/calendars/${projects.id}/calendarView/delta?${window}`;
    const defaultRound = await calendarDeltaRound(connection, defaultDelta());
    const projectsRound = await calendarDeltaRound(connection, projectsDelta);
    expect(defaultRound.items.map((item) => item.subject)).toEqual(['Travels']);
    expect(projectsRound.items.map((item) => item.subject)).toEqual(['Stays']);

    // The ordinary id changes on a move; the immutable one does not.
    const moved = await controlJson<{ id: string; immutableId: string }>(running, `/users/${upn}/events/${event.immutableId}/move`, { calendar: 'Projects' });
    expect(moved.immutableId).toBe(event.immutableId);
    expect(moved.id).not.toBe(event.id);
    const fromDefault = await calendarDeltaRound(connection, defaultRound.deltaLink);
    expect(fromDefault.items).toEqual([{ id: event.immutableId, '@removed': { reason: 'deleted' } }]);
    const intoProjects = await calendarDeltaRound(connection, projectsRound.deltaLink);
    expect(intoProjects.items.map((item) => [item.id, item.subject])).toEqual([[event.immutableId, 'Travels']]);
    // The old ordinary id names nothing now.
    expect((await failureOf(connection.client.api(`/users/${upn}/events/${event.id}`).get())).statusCode).toBe(404);
  });

  it('answers 410 SyncStateNotFound for an expired or foreign token, and refuses $select, $filter, $expand, $orderby, $search and a missing window', async () => {
    await addEvent(running, upn, single('March', '2026-03-05'));
    const round = await calendarDeltaRound(connection, defaultDelta());
    await controlJson(running, `/users/${upn}/expire-delta-tokens`);
    const expired = await failureOf(connection.client.api(round.deltaLink).get());
    expect(expired.statusCode).toBe(410);
    expect(expired.code).toBe('SyncStateNotFound');
    expect(expired.message).toMatch(/The sync state generation is not found/);
    const garbage = await failureOf(connection.client.api(`/users/${upn}/calendarView/delta?$deltatoken=nonsense`).get());
    expect(garbage.statusCode).toBe(410);
    // A new round starts over without a token.
    expect((await calendarDeltaRound(connection, defaultDelta())).items).toHaveLength(1);

    for (const option of ['$select=subject', '$filter=isAllDay eq true', '$expand=attachments', '$orderby=start/dateTime', '$search="x"']) {
      const refused = await failureOf(connection.client.api(`/users/${upn}/calendarView/delta?${window}&${option}`).get());
      expect(refused.statusCode).toBe(400);
    }
    const noWindow = await failureOf(connection.client.api(`/users/${upn}/calendarView/delta`).get());
    expect(noWindow.statusCode).toBe(400);
    expect(noWindow.code).toBe('ErrorInvalidParameter');
  });

  it('pages a changes round too, and counts delta pages per calendar in the stats', async () => {
    const first = await calendarDeltaRound(connection, defaultDelta(), { ...immutable, maxPageSize: 3 });
    expect(first.items).toEqual([]);
    await addEvent(running, upn, { ...weekly('Daily'), recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 7 } } });
    const changes = await calendarDeltaRound(connection, first.deltaLink, { ...immutable, maxPageSize: 3 });
    expect(changes.pages).toBe(3);
    expect(new Set(changes.items.map((item) => item.id)).size).toBe(7);
    const stats = (await (await fetch(`${running.url}/_control/stats`)).json()) as { calendar: { deltaPages: number; deltaPagesByCalendar: Record<string, number> } };
    expect(stats.calendar.deltaPages).toBe(4);
    expect(Object.values(stats.calendar.deltaPagesByCalendar)).toEqual([4]);
  });
});
