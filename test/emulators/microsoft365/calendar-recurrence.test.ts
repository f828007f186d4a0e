import type { Event } from '@microsoft/microsoft-graph-types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient, withPreferences, type GraphConnection } from '../../../connectors/microsoft365/graph-client.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';
import { addEvent, expandedOccurrences, immutable, utcStarts } from './calendar-fixtures.js';
import { controlJson } from './fixtures.js';

/**
 * Outlook's recurrence semantics (recurrencepattern / recurrencerange
 * resources; facts §1.4): each pattern and range type, expanded by the
 * emulator, read back through Graph's /events/{id}/instances.
 */
describe('Microsoft 365 emulator: calendar recurrence expands as Outlook does', () => {
  let running: RunningMicrosoft365Emulator;
  let connection: GraphConnection;
  let upn: string;

  beforeAll(async () => {
    running = await startMicrosoft365Emulator({ seed: { seed: 14, users: 1, messagesPerUser: 1 } });
    connection = createGraphClient(running.graphSettings);
  });
  afterAll(async () => running?.close());
  beforeEach(async () => {
    await controlJson(running, '/reset');
    upn = running.emulator.tenant.directory.listUsers()[0]?.userPrincipalName ?? '';
  });

  /** A series at 09:00–09:30 in `zone` from `startDate`, and its instances' UTC starts in the window. */
  async function startsOf(recurrence: Record<string, unknown>, startDate: string, window: [string, string], zone = 'UTC', time = '09:00:00'): Promise<string[]> {
    const [hour, minute] = time.split(':').map(Number) as [number, number];
    const endTime = `${String(hour).padStart(2, '0')}:${String(minute + 30).padStart(2, '0')}:00`;
    const { immutableId } = await addEvent(running, upn, {
      subject: 'Series',
      start: { dateTime: `${startDate}T${time}`, timeZone: zone },
      end: { dateTime: `${startDate}T${endTime}`, timeZone: zone },
      recurrence,
    });
    const url = `/users/${upn}/events/${immutableId}/instances?startDateTime=${window[0]}&endDateTime=${window[1]}`;
    const page = (await withPreferences(connection.client.api(url), { ...immutable, maxPageSize: 100 }).get()) as { value: Event[] };
    for (const instance of page.value) {
      expect(instance.type).toBe('occurrence');
      expect(instance.seriesMasterId).toBe(immutableId);
      expect(instance.start?.timeZone).toBe('UTC');
    }
    return utcStarts(page.value);
  }

  it('daily with an interval, numbered', async () => {
    const starts = await startsOf({ pattern: { type: 'daily', interval: 2 }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 4 } }, '2026-03-02', [
      '2026-01-01T00:00:00Z',
      '2026-12-31T00:00:00Z',
    ]);
    expect(starts).toEqual(['2026-03-02T09:00:00Z', '2026-03-04T09:00:00Z', '2026-03-06T09:00:00Z', '2026-03-08T09:00:00Z']);
  });

  it('daily up to an inclusive endDate, and noEnd bounded only by the window', async () => {
    expect(
      await startsOf({ pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', startDate: '2026-03-02', endDate: '2026-03-04' } }, '2026-03-02', [
        '2026-01-01T00:00:00Z',
        '2026-12-31T00:00:00Z',
      ]),
    ).toEqual(['2026-03-02T09:00:00Z', '2026-03-03T09:00:00Z', '2026-03-04T09:00:00Z']);
    expect(await startsOf({ pattern: { type: 'daily', interval: 1 }, range: { type: 'noEnd', startDate: '2026-03-02' } }, '2026-03-02', ['2030-06-01T00:00:00Z', '2030-06-03T00:00:00Z'])).toEqual([
      '2030-06-01T09:00:00Z',
      '2030-06-02T09:00:00Z',
    ]);
  });

  it('weekly on several days every other week, the weeks counted from firstDayOfWeek', async () => {
    const recurrence = (firstDayOfWeek: string): Record<string, unknown> => ({
      pattern: { type: 'weekly', interval: 2, daysOfWeek: ['sunday', 'wednesday'], firstDayOfWeek },
      range: { type: 'endDate', startDate: '2026-03-04', endDate: '2026-03-25' },
    });
    const window: [string, string] = ['2026-03-01T00:00:00Z', '2026-04-30T00:00:00Z'];
    // Weeks from Monday 2 March: Wed 4, Sun 8; then the week of Monday 16: Wed 18, Sun 22.
    expect(await startsOf(recurrence('monday'), '2026-03-04', window)).toEqual(['2026-03-04T09:00:00Z', '2026-03-08T09:00:00Z', '2026-03-18T09:00:00Z', '2026-03-22T09:00:00Z']);
    // Weeks from Sunday 1 March: Wed 4; then the week of Sunday 15: Sun 15, Wed 18.
    expect(await startsOf(recurrence('sunday'), '2026-03-04', window)).toEqual(['2026-03-04T09:00:00Z', '2026-03-15T09:00:00Z', '2026-03-18T09:00:00Z']);
  });

  it('absoluteMonthly on the 31st falls on the last day of February and April', async () => {
    const starts = await startsOf({ pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }, range: { type: 'numbered', startDate: '2026-01-31', numberOfOccurrences: 6 } }, '2026-01-31', [
      '2026-01-01T00:00:00Z',
      '2026-12-31T00:00:00Z',
    ]);
    expect(starts).toEqual(['2026-01-31T09:00:00Z', '2026-02-28T09:00:00Z', '2026-03-31T09:00:00Z', '2026-04-30T09:00:00Z', '2026-05-31T09:00:00Z', '2026-06-30T09:00:00Z']);
  });

  it('relativeMonthly: the last Friday; the first of several days (a weekend day); the second weekday', async () => {
    const window: [string, string] = ['2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z'];
    const relative = (index: string, daysOfWeek: string[]): Record<string, unknown> => ({
      pattern: { type: 'relativeMonthly', interval: 1, index, daysOfWeek },
      range: { type: 'numbered', startDate: '2026-01-01', numberOfOccurrences: 3 },
    });
    expect(await startsOf(relative('last', ['friday']), '2026-01-30', window)).toEqual(['2026-01-30T09:00:00Z', '2026-02-27T09:00:00Z', '2026-03-27T09:00:00Z']);
    // 1 January 2026 is a Thursday: the first weekend day is Saturday 3 January; 1 February and 1 March are Sundays.
    expect(await startsOf(relative('first', ['saturday', 'sunday']), '2026-01-03', window)).toEqual(['2026-01-03T09:00:00Z', '2026-02-01T09:00:00Z', '2026-03-01T09:00:00Z']);
    expect(await startsOf(relative('second', ['monday', 'tuesday', 'wednesday', 'thursday', 'friday']), '2026-01-02', window)).toEqual([
      '2026-01-02T09:00:00Z',
      '2026-02-03T09:00:00Z',
      '2026-03-03T09:00:00Z',
    ]);
  });

  it('absoluteYearly and relativeYearly (the fourth Thursday of November)', async () => {
    const window: [string, string] = ['2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z'];
    expect(
      await startsOf(
        { pattern: { type: 'absoluteYearly', interval: 1, month: 12, dayOfMonth: 25 }, range: { type: 'numbered', startDate: '2026-12-25', numberOfOccurrences: 3 } },
        '2026-12-25',
        window,
      ),
    ).toEqual(['2026-12-25T09:00:00Z', '2027-12-25T09:00:00Z', '2028-12-25T09:00:00Z']);
    expect(
      await startsOf(
        { pattern: { type: 'relativeYearly', interval: 1, month: 11, index: 'fourth', daysOfWeek: ['thursday'] }, range: { type: 'numbered', startDate: '2026-01-01', numberOfOccurrences: 3 } },
        '2026-11-26',
        window,
      ),
    ).toEqual(['2026-11-26T09:00:00Z', '2027-11-25T09:00:00Z', '2028-11-23T09:00:00Z']);
  });

  it('keeps the local time across a daylight-saving change in a Windows time zone', async () => {
    // Summer time starts in Berlin on 29 March 2026: 09:00 local is 08:00Z before, 07:00Z after.
    const starts = await startsOf(
      {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' },
        range: { type: 'numbered', startDate: '2026-03-23', numberOfOccurrences: 3, recurrenceTimeZone: 'W. Europe Standard Time' },
      },
      '2026-03-23',
      ['2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z'],
      'W. Europe Standard Time',
    );
    expect(starts).toEqual(['2026-03-23T08:00:00Z', '2026-03-30T07:00:00Z', '2026-04-06T07:00:00Z']);
  });

  it('leaves out cancelled occurrences, shows exceptions at their new time with their new subject, and refuses two occurrences on one day', async () => {
    const series = {
      subject: 'Team meeting',
      start: { dateTime: '2026-03-02T10:00:00', timeZone: 'Pacific Standard Time' },
      end: { dateTime: '2026-03-02T11:00:00', timeZone: 'Pacific Standard Time' },
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 4 } },
    };
    const { immutableId } = await addEvent(running, upn, {
      ...series,
      exceptions: [
        {
          originalStart: '2026-03-09',
          subject: 'Team meeting (moved)',
          start: { dateTime: '2026-03-10T14:00:00', timeZone: 'Pacific Standard Time' },
          end: { dateTime: '2026-03-10T15:00:00', timeZone: 'Pacific Standard Time' },
        },
      ],
      cancelledOccurrences: ['2026-03-16'],
    });
    const occurrences = (await expandedOccurrences(running, upn, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).filter((occurrence) => occurrence.seriesImmutableId === immutableId);
    // PST until 8 March (UTC-8), PDT after (UTC-7).
    expect(occurrences.map(({ type, start, subject, originalDate }) => ({ type, start, subject, originalDate }))).toEqual([
      { type: 'occurrence', start: '2026-03-02T18:00:00Z', subject: 'Team meeting', originalDate: '2026-03-02' },
      { type: 'exception', start: '2026-03-10T21:00:00Z', subject: 'Team meeting (moved)', originalDate: '2026-03-09' },
      { type: 'occurrence', start: '2026-03-23T17:00:00Z', subject: 'Team meeting', originalDate: '2026-03-23' },
    ]);
    const page = (await withPreferences(
      connection.client.api(`/users/${upn}/events/${immutableId}/instances?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z`),
      immutable,
    ).get()) as { value: Event[] };
    expect(page.value.map((event) => [event.type, event.subject, event.originalStart])).toEqual([
      ['occurrence', 'Team meeting', '2026-03-02T18:00:00Z'],
      ['exception', 'Team meeting (moved)', '2026-03-09T17:00:00Z'],
      ['occurrence', 'Team meeting', '2026-03-23T17:00:00Z'],
    ]);
    expect(new Set(page.value.map((event) => event.id)).size).toBe(3);

    // Moving the 2 March occurrence onto 9 March (which already holds one, though moved away) is refused, as Outlook refuses it.
    const refused = await fetch(`${running.url}/_control/users/${upn}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...series,
        exceptions: [
          { originalStart: '2026-03-02', start: { dateTime: '2026-03-09T12:00:00', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2026-03-09T13:00:00', timeZone: 'Pacific Standard Time' } },
        ],
      }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error.message).toMatch(/one occurrence of a series per day/);
  });

  it('an all-day series keeps its dates whatever the response time zone', async () => {
    const { immutableId } = await addEvent(running, upn, {
      subject: 'Gym',
      isAllDay: true,
      start: { dateTime: '2026-05-01T00:00:00', timeZone: 'Tokyo Standard Time' },
      end: { dateTime: '2026-05-02T00:00:00', timeZone: 'Tokyo Standard Time' },
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['friday'] }, range: { type: 'numbered', startDate: '2026-05-01', numberOfOccurrences: 2 } },
    });
    const page = (await withPreferences(
      connection.client.api(`/users/${upn}/events/${immutableId}/instances?startDateTime=2026-04-01T00:00:00Z&endDateTime=2026-06-01T00:00:00Z`),
      immutable,
    ).get()) as { value: Event[] };
    expect(page.value.map((event) => [event.isAllDay, event.start?.dateTime, event.end?.dateTime])).toEqual([
      [true, '2026-05-01T00:00:00.0000000', '2026-05-02T00:00:00.0000000'],
      [true, '2026-05-08T00:00:00.0000000', '2026-05-09T00:00:00.0000000'],
    ]);
  });
});
