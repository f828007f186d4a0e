import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { calendarFor, expandedInstances, startCalendarEmulator } from './calendar-fixtures.js';
import { failureOf } from './fixtures.js';

const ann = 'ann@example.com';

describe('Calendar API: recurring events, instances and instance overrides', () => {
  let google: StartedGoogleEmulator;
  beforeAll(async () => {
    google = await startCalendarEmulator();
  });
  afterAll(() => google?.close());
  beforeEach(() => google.emulator.reset());

  const weekly = {
    summary: 'Team sync',
    start: { dateTime: '2024-03-18T09:00:00', timeZone: 'Europe/Berlin' },
    end: { dateTime: '2024-03-18T09:30:00', timeZone: 'Europe/Berlin' },
    recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5', 'EXDATE;TZID=Europe/Berlin:20240401T090000'],
  };

  it('expands a weekly series with an EXDATE in its own time zone, keeping 09:00 local across the daylight-saving change', async () => {
    const calendar = calendarFor(google, ann);
    const series = (await calendar.events.insert({ calendarId: 'primary', requestBody: weekly })).data;
    expect(series.start).toEqual({ dateTime: '2024-03-18T09:00:00+01:00', timeZone: 'Europe/Berlin' });
    const instances = (await calendar.events.instances({ calendarId: 'primary', eventId: series.id! })).data.items!;
    expect(instances.map((instance) => new Date(instance.start!.dateTime!).toISOString())).toEqual([
      '2024-03-18T08:00:00.000Z',
      '2024-03-25T08:00:00.000Z',
      '2024-04-08T07:00:00.000Z',
      '2024-04-15T07:00:00.000Z',
    ]);
    // Europe/Berlin moved to summer time on 31 March 2024; the instance after it is 09:00 +02:00.
    expect(instances[2]).toMatchObject({
      id: `${series.id!}_20240408T070000Z`,
      recurringEventId: series.id,
      originalStartTime: { dateTime: '2024-04-08T09:00:00+02:00', timeZone: 'Europe/Berlin' },
      start: { dateTime: '2024-04-08T09:00:00+02:00' },
      iCalUID: series.iCalUID,
    });
    const ranged = await expandedInstances(google, ann, '2024-03-20T00:00:00Z', '2024-04-10T00:00:00Z');
    expect(ranged.instances.map((instance) => [instance.start, instance.end, instance.summary, instance.recurringEventId])).toEqual([
      ['2024-03-25T08:00:00.000Z', '2024-03-25T08:30:00.000Z', 'Team sync', series.id],
      ['2024-04-08T07:00:00.000Z', '2024-04-08T07:30:00.000Z', 'Team sync', series.id],
    ]);
  });

  it('expands BYSETPOS=-1 with BYMONTHDAY=28,29,30,31 to the last day of each month', async () => {
    const calendar = calendarFor(google, ann);
    const series = (
      await calendar.events.insert({
        calendarId: 'primary',
        requestBody: {
          summary: 'Month end',
          start: { dateTime: '2024-01-31T17:00:00-05:00', timeZone: 'America/New_York' },
          end: { dateTime: '2024-01-31T18:00:00-05:00', timeZone: 'America/New_York' },
          recurrence: ['RRULE:FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;COUNT=5'],
        },
      })
    ).data;
    const instances = (await calendar.events.instances({ calendarId: 'primary', eventId: series.id! })).data.items!;
    expect(instances.map((instance) => instance.start!.dateTime)).toEqual([
      '2024-01-31T17:00:00-05:00',
      '2024-02-29T17:00:00-05:00',
      '2024-03-31T17:00:00-04:00',
      '2024-04-30T17:00:00-04:00',
      '2024-05-31T17:00:00-04:00',
    ]);
  });

  it('moves one instance by patch, cancels another by delete, and shows both the way Google does', async () => {
    const calendar = calendarFor(google, ann);
    const series = (await calendar.events.insert({ calendarId: 'primary', requestBody: weekly })).data;
    const [first, second, third] = (await calendar.events.instances({ calendarId: 'primary', eventId: series.id! })).data.items!;
    const moved = (
      await calendar.events.patch({
        calendarId: 'primary',
        eventId: second!.id!,
        requestBody: { summary: 'Team sync (moved)', start: { dateTime: '2024-03-26T14:00:00+01:00' }, end: { dateTime: '2024-03-26T14:30:00+01:00' } },
      })
    ).data;
    expect(moved).toMatchObject({ id: second!.id, recurringEventId: series.id, originalStartTime: second!.originalStartTime, summary: 'Team sync (moved)' });
    await calendar.events.delete({ calendarId: 'primary', eventId: third!.id! });
    expect((await calendar.events.get({ calendarId: 'primary', eventId: third!.id! })).data.status).toBe('cancelled');

    const live = (await calendar.events.instances({ calendarId: 'primary', eventId: series.id! })).data.items!;
    expect(live.map((instance) => [instance.id, instance.summary])).toEqual([
      [first!.id, 'Team sync'],
      [second!.id, 'Team sync (moved)'],
      [`${series.id!}_20240415T070000Z`, 'Team sync'],
    ]);
    const withDeleted = (await calendar.events.instances({ calendarId: 'primary', eventId: series.id!, showDeleted: true })).data.items!;
    expect(withDeleted.filter((instance) => instance.status === 'cancelled').map((instance) => instance.id)).toEqual([third!.id]);
    const byOriginalStart = (await calendar.events.instances({ calendarId: 'primary', eventId: series.id!, originalStart: '2024-03-25T09:00:00+01:00' })).data.items!;
    expect(byOriginalStart.map((instance) => instance.id)).toEqual([second!.id]);

    const single = (await calendar.events.list({ calendarId: 'primary', singleEvents: true, orderBy: 'startTime' })).data.items!;
    expect(single.map((event) => event.id)).toEqual([first!.id, second!.id, `${series.id!}_20240415T070000Z`]);
    // Without singleEvents: the series and its overrides; cancelled instances too, as showDeleted documents.
    const raw = (await calendar.events.list({ calendarId: 'primary' })).data.items!;
    expect(raw.map((event) => [event.id, event.status]).sort()).toEqual(
      [
        [series.id, 'confirmed'],
        [second!.id, 'confirmed'],
        [third!.id, 'cancelled'],
      ].sort(),
    );

    const { instances } = await expandedInstances(google, ann, '2024-03-01T00:00:00Z', '2024-05-01T00:00:00Z');
    expect(instances.map((instance) => [instance.start, instance.summary])).toEqual([
      ['2024-03-18T08:00:00.000Z', 'Team sync'],
      ['2024-03-26T13:00:00.000Z', 'Team sync (moved)'],
      ['2024-04-15T07:00:00.000Z', 'Team sync'],
    ]);
    expect(await failureOf(calendar.events.get({ calendarId: 'primary', eventId: `${series.id!}_20240319T080000Z` }))).toMatchObject({ status: 404 });

    await calendar.events.delete({ calendarId: 'primary', eventId: series.id! });
    expect((await expandedInstances(google, ann, '2024-03-01T00:00:00Z', '2024-05-01T00:00:00Z')).instances).toEqual([]);
  });

  it('expands an all-day yearly series as dates', async () => {
    const calendar = calendarFor(google, ann);
    const series = (
      await calendar.events.insert({
        calendarId: 'primary',
        requestBody: {
          summary: 'Holiday',
          start: { date: '2024-12-25', timeZone: 'Europe/London' },
          end: { date: '2024-12-26', timeZone: 'Europe/London' },
          recurrence: ['RRULE:FREQ=YEARLY;COUNT=3'],
        },
      })
    ).data;
    const instances = (await calendar.events.instances({ calendarId: 'primary', eventId: series.id! })).data.items!;
    expect(instances.map((instance) => [instance.id, instance.start?.date, instance.end?.date])).toEqual([
      [`${series.id!}_20241225`, '2024-12-25', '2024-12-26'],
      [`${series.id!}_20251225`, '2025-12-25', '2025-12-26'],
      [`${series.id!}_20261225`, '2026-12-25', '2026-12-26'],
    ]);
  });
});
