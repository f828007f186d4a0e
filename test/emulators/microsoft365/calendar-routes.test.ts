import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Calendar, Event } from '@microsoft/microsoft-graph-types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient, withPreferences, type GraphConnection } from '../../../connectors/microsoft365/graph-client.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';
import { addEvent, expandedOccurrences, immutable } from './calendar-fixtures.js';
import { controlJson, failureOf } from './fixtures.js';

const at = (date: string, time: string, zone = 'UTC'): { dateTime: string; timeZone: string } => ({ dateTime: `${date}T${time}`, timeZone: zone });
const series = {
  subject: 'Stand-up',
  body: { contentType: 'html', content: '<p>Daily <b>stand-up</b></p>' },
  start: at('2026-03-02', '09:00:00', 'GMT Standard Time'),
  end: at('2026-03-02', '09:15:00', 'GMT Standard Time'),
  location: { displayName: 'Room 4' },
  recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 5 } },
  cancelledOccurrences: ['2026-03-04'],
};

describe('Microsoft 365 emulator: calendars, events, instances and the calendar control API', () => {
  let running: RunningMicrosoft365Emulator;
  let connection: GraphConnection;
  let upn: string;
  let other: string;

  beforeAll(async () => {
    running = await startMicrosoft365Emulator({ seed: { seed: 16, users: 2, messagesPerUser: 1 } });
    connection = createGraphClient(running.graphSettings);
  });
  afterAll(async () => running?.close());
  beforeEach(async () => {
    await controlJson(running, '/reset');
    [upn, other] = running.emulator.tenant.directory.listUsers().map((user) => user.userPrincipalName) as [string, string];
  });

  const get = <T>(path: string): Promise<T> => withPreferences(connection.client.api(path), immutable).get() as Promise<T>;

  it('lists the default calendar, the user’s other calendars and one shared by someone else (owner is the sharer), paged', async () => {
    await addEvent(running, upn, { subject: 'x', start: at('2026-03-02', '09:00:00'), end: at('2026-03-02', '10:00:00'), calendar: 'Projects' });
    const shared = await controlJson<{ id: string }>(running, `/users/${upn}/calendars`, { name: 'Team rota', sharedBy: other });
    const first = (await connection.client.api(`/users/${upn}/calendars?$top=2`).get()) as { value: Calendar[]; '@odata.nextLink'?: string };
    expect(first.value).toHaveLength(2);
    const rest = (await connection.client.api(first['@odata.nextLink'] as string).get()) as { value: Calendar[]; '@odata.nextLink'?: string };
    expect(rest['@odata.nextLink']).toBeUndefined();
    const all = [...first.value, ...rest.value];
    expect(all.map((calendar) => [calendar.name, calendar.isDefaultCalendar, calendar.owner?.address, calendar.canEdit])).toEqual([
      ['Calendar', true, upn, true],
      ['Projects', false, upn, true],
      ['Team rota', false, other, false],
    ]);
    const one = await get<Calendar>(`/users/${upn}/calendars/${shared.id}`);
    expect(one.owner?.address).toBe(other);
  });

  it('gets a series master with its recurrence, and cancelledOccurrences only on $select; occurrences by id; a cancelled one is gone', async () => {
    const added = await addEvent(running, upn, series);
    const master = await get<Event>(`/users/${upn}/events/${added.immutableId}`);
    expect(master).toMatchObject({
      id: added.immutableId,
      type: 'seriesMaster',
      subject: 'Stand-up',
      originalStartTimeZone: 'GMT Standard Time',
      start: { dateTime: '2026-03-02T09:00:00.0000000', timeZone: 'UTC' },
    });
    expect(master.recurrence).toEqual(series.recurrence);
    expect(master.cancelledOccurrences).toBeUndefined();
    const selected = await get<Event>(`/users/${upn}/events/${added.immutableId}?$select=subject,recurrence,cancelledOccurrences`);
    expect(selected.cancelledOccurrences).toEqual([`OID.${added.immutableId}.2026-03-04`]);

    const instances = await get<{ value: Event[] }>(`/users/${upn}/events/${added.immutableId}/instances?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z`);
    expect(instances.value.map((event) => event.start?.dateTime)).toEqual(['2026-03-02T09:00:00.0000000', '2026-03-03T09:00:00.0000000', '2026-03-05T09:00:00.0000000', '2026-03-06T09:00:00.0000000']);
    const occurrence = await get<Event>(`/users/${upn}/events/${instances.value[1]?.id}`);
    expect(occurrence).toMatchObject({ type: 'occurrence', seriesMasterId: added.immutableId, originalStart: '2026-03-03T09:00:00Z', recurrence: null });
    expect(occurrence.iCalUId).not.toBe(master.iCalUId);

    // Cancelling an occurrence through its id: 404 for that id afterwards, and absent from instances.
    await controlJson(running, `/users/${upn}/events/${encodeURIComponent(occurrence.id as string)}/delete`);
    expect((await failureOf(get(`/users/${upn}/events/${occurrence.id}`))).statusCode).toBe(404);
    const after = await get<{ value: Event[] }>(`/users/${upn}/events/${added.immutableId}/instances?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z`);
    expect(after.value.map((event) => event.id)).not.toContain(occurrence.id);
    expect(after.value).toHaveLength(3);
  });

  it('pages instances by odata.maxpagesize and needs a window; a mangled id is 400, an unknown one 404', async () => {
    const added = await addEvent(running, upn, series);
    const path = `/users/${upn}/events/${added.immutableId}/instances?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z`;
    const page = (await withPreferences(connection.client.api(path), { ...immutable, maxPageSize: 3 }).get()) as { value: Event[]; '@odata.nextLink'?: string };
    expect(page.value).toHaveLength(3);
    const next = (await withPreferences(connection.client.api(page['@odata.nextLink'] as string), { ...immutable, maxPageSize: 3 }).get()) as { value: Event[]; '@odata.nextLink'?: string };
    expect(next.value).toHaveLength(1);
    expect(next['@odata.nextLink']).toBeUndefined();
    expect((await failureOf(get(`/users/${upn}/events/${added.immutableId}/instances`))).code).toBe('ErrorInvalidParameter');
    expect((await failureOf(get(`/users/${upn}/events/not-an-id`))).code).toBe('ErrorInvalidIdMalformed');
    await controlJson(running, `/users/${upn}/events/${added.immutableId}/delete`);
    expect((await failureOf(get(`/users/${upn}/events/${added.immutableId}`))).code).toBe('ErrorItemNotFound');
  });

  it('control API: generated events, the events list, occurrences of a range with instants, subject, series and calendar', async () => {
    const generated = await controlJson<{ ids: string[]; immutableIds: string[] }>(running, `/users/${upn}/events`, { count: 10, calendar: 'Generated', from: '2026-03-01' });
    expect(generated.ids).toHaveLength(10);
    const list = (await (await fetch(`${running.url}/_control/users/${upn}/events`)).json()) as { events: { id: string; calendar: string; type: string }[] };
    expect(list.events.map((event) => event.id)).toEqual(generated.ids);
    expect(list.events.filter((event) => event.type === 'seriesMaster')).toHaveLength(2);
    const added = await addEvent(running, upn, series);
    const occurrences = (await expandedOccurrences(running, upn, '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z')).filter((occurrence) => occurrence.seriesId === added.id);
    expect(occurrences).toEqual([
      expect.objectContaining({
        type: 'occurrence',
        start: '2026-03-02T09:00:00Z',
        end: '2026-03-02T09:15:00Z',
        subject: 'Stand-up',
        isAllDay: false,
        calendar: 'Calendar',
        seriesImmutableId: added.immutableId,
        originalDate: '2026-03-02',
      }),
    ]);
    // A bad body is refused with a sentence.
    const refused = await fetch(`${running.url}/_control/users/${upn}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...series, start: at('2026-03-02', '09:00:00', 'Mars Standard Time') }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/Mars Standard Time/);
  });

  it('throttles calendar requests on the mailbox budget shared with mail, and counts event reads in the stats', async () => {
    const added = await addEvent(running, upn, series);
    await controlJson(running, '/throttle', { quotaScale: 0.0003 });
    await connection.client.api(`/users/${upn}/mailFolders`).get();
    await get(`/users/${upn}/events/${added.immutableId}`);
    await get(`/users/${upn}/calendars`);
    const refused = await failureOf(get(`/users/${upn}/calendarView/delta?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z`));
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const stats = (await (await fetch(`${running.url}/_control/stats`)).json()) as { calendar: { eventGets: number; calendarListPages: number; deltaPages: number } };
    expect(stats.calendar).toMatchObject({ eventGets: 1, calendarListPages: 1, deltaPages: 0 });
  });
});

describe('Microsoft 365 emulator: the demo calendars', () => {
  let running: RunningMicrosoft365Emulator;

  beforeAll(async () => {
    running = await startMicrosoft365Emulator({ seed: { seed: 17, users: 2, messagesPerUser: 1, calendars: true } });
  });
  afterAll(async () => running?.close());

  it('seeds a weekly meeting with a moved and a cancelled occurrence, the 31st, all-day, other zones, Teams, private, a second and a shared calendar', async () => {
    const [first, second] = running.emulator.tenant.directory.listUsers() as unknown as [{ userPrincipalName: string }, { userPrincipalName: string }];
    const occurrences = await expandedOccurrences(running, first.userPrincipalName, '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z');
    const team = occurrences.filter((occurrence) => occurrence.subject.startsWith('Team meeting'));
    expect(team.slice(0, 3).map(({ start, subject }) => [start, subject])).toEqual([
      ['2026-01-05T09:00:00Z', 'Team meeting'],
      ['2026-01-13T13:00:00Z', 'Team meeting (moved to Tuesday)'],
      ['2026-01-26T09:00:00Z', 'Team meeting'],
    ]);
    expect(occurrences.filter((occurrence) => occurrence.subject === 'Month-end close').map((occurrence) => occurrence.start.slice(0, 10))).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
    ]);
    expect(occurrences.find((occurrence) => occurrence.subject === 'Public holiday')?.isAllDay).toBe(true);
    expect(new Set(occurrences.map((occurrence) => occurrence.calendar))).toEqual(new Set(['Calendar', 'Projects', expect.stringMatching(/'s rota$/) as unknown as string]));
    const calendars = (await (await fetch(`${running.url}/_control/users/${first.userPrincipalName}/events`)).json()) as { events: { calendar: string }[] };
    expect(calendars.events.length).toBeGreaterThanOrEqual(8);
    const connection = createGraphClient(running.graphSettings);
    const list = (await connection.client.api(`/users/${first.userPrincipalName}/calendars`).get()) as { value: Calendar[] };
    expect(list.value.find((calendar) => calendar.name?.endsWith("'s rota"))?.owner?.address).toBe(second.userPrincipalName);
  });
});

describe('Microsoft 365 emulator: calendars persist with the tenant', () => {
  it('keeps calendars, series, exceptions, cancellations and delta tokens across a restart', async () => {
    const persistDir = mkdtempSync(path.join(process.env.DATA_DIR ?? os.tmpdir(), 'm365-calendar-persist-'));
    try {
      const before = await startMicrosoft365Emulator({ seed: { seed: 18, users: 1, messagesPerUser: 1 }, persistDir });
      const upn = before.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
      const added = await addEvent(before, upn, { ...series, calendar: 'Projects', exceptions: [{ originalStart: '2026-03-03', subject: 'Stand-up (late)' }] });
      const window = 'startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z';
      const beforeConnection = createGraphClient(before.graphSettings);
      const calendars = (await beforeConnection.client.api(`/users/${upn}/calendars`).get()) as { value: Calendar[] };
      const projects = calendars.value.find((calendar) => calendar.name === 'Projects') as Calendar;
      const round = (await withPreferences(beforeConnection.client.api(`/users/${upn}/calendars/${projects.id}/calendarView/delta?${window}`), immutable).get()) as {
        value: Event[];
        '@odata.deltaLink': string;
      };
      const occurrencesBefore = await expandedOccurrences(before, upn, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
      before.emulator.persist();
      await before.close();

      const after = await startMicrosoft365Emulator({ persistDir });
      try {
        expect(await expandedOccurrences(after, upn, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual(occurrencesBefore);
        expect(occurrencesBefore.map((occurrence) => occurrence.subject)).toEqual(['Stand-up', 'Stand-up (late)', 'Stand-up', 'Stand-up']);
        // The delta link handed out before the restart still works (same state key, same change log).
        const link = round['@odata.deltaLink'].replace(before.url, after.url);
        await controlJson(after, `/users/${upn}/events/${added.immutableId}/update`, { subject: 'Stand-up (renamed)' });
        const changes = (await withPreferences(createGraphClient(after.graphSettings).client.api(link), immutable).get()) as { value: Event[] };
        expect(changes.value.map((event) => event.subject)).toEqual(['Stand-up (renamed)', 'Stand-up (late)', 'Stand-up (renamed)', 'Stand-up (renamed)']);
      } finally {
        await after.close();
      }
    } finally {
      rmSync(persistDir, { recursive: true, force: true });
    }
  });
});
