import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { controlGet } from '../../helpers/emulator-control.js';
import type { StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { calendarFor, startCalendarEmulator, timedEvent } from './calendar-fixtures.js';
import { failureOf } from './fixtures.js';

const ann = 'ann@example.com';
const guests = [{ email: ann }, { email: 'dana@contoso.example' }];

describe('Calendar API: quotas and use limits', () => {
  let google: StartedGoogleEmulator;
  // A clock the test moves: buckets refill and read-only periods end only when it says so. It starts at the real
  // time and moves less than the hour a token lives, so the clients' JWTs and tokens stay valid.
  let now = Date.now();
  beforeAll(async () => {
    google = await startCalendarEmulator({
      now: () => now,
      quota: { calendarUserRequestsPerMinute: 4, calendarProjectRequestsPerMinute: 6 },
      calendar: { attendeeEventWritesPerWindow: 3, attendeeWindowMinutes: 5, readOnlyMinutes: 10, calendarsCreatedPerWindow: 2, calendarCreationWindowMinutes: 5 },
    });
  });
  afterAll(() => google?.close());
  afterEach(() => google.emulator.reset());

  it('answers the per-user quota with 403 userRateLimitExceeded and the per-project one with 429 rateLimitExceeded (domain usageLimits)', async () => {
    const calendar = calendarFor(google, ann);
    for (let call = 0; call < 4; call++) await calendar.calendarList.list();
    const user = await failureOf(calendar.calendarList.list());
    expect(user).toMatchObject({ status: 403, reason: 'userRateLimitExceeded', message: 'User Rate Limit Exceeded' });
    expect((user.body as { error: { errors: Array<{ domain: string }> } }).error.errors[0]!.domain).toBe('usageLimits');
    const admin = calendarFor(google, 'admin@example.com');
    await admin.calendarList.list();
    await admin.calendarList.list();
    const project = await failureOf(admin.calendarList.list());
    expect(project).toMatchObject({ status: 429, reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' });
    now += 60_000;
    await expect(calendar.calendarList.list()).resolves.toMatchObject({ status: 200 });
    const stats = await controlGet<{ quotaRefusals: Record<string, number> }>(google.url, '/_control/stats');
    expect(stats.quotaRefusals).toMatchObject({ calendarUser: 1, calendarProject: 1 });
  });

  it('turns the calendars read-only with 403 quotaExceeded "Calendar usage limits exceeded." past the attendee-write threshold, imports and sendUpdates=none included', async () => {
    const calendar = calendarFor(google, ann);
    const write = (index: number) =>
      calendar.events.import({ calendarId: 'primary', requestBody: { ...timedEvent(`Meeting ${index}`, '2026-02-02T10:00:00Z', 30, { attendees: guests }), iCalUID: `m${index}@contoso.example` } });
    await write(1);
    await write(2);
    now += 20_000;
    await calendar.events.insert({ calendarId: 'primary', sendUpdates: 'none', requestBody: timedEvent('Meeting 3', '2026-02-02T11:00:00Z', 30, { attendees: guests }) });
    now += 20_000;
    const refused = await failureOf(write(4));
    expect(refused).toMatchObject({ status: 403, reason: 'quotaExceeded', message: 'Calendar usage limits exceeded.' });
    expect((refused.body as { error: { errors: Array<{ domain: string }> } }).error.errors[0]!.domain).toBe('usageLimits');
    // Read-only: writes without attendees are refused too; reads go on.
    expect(await failureOf(calendar.events.insert({ calendarId: 'primary', requestBody: timedEvent('Solo', '2026-02-02T12:00:00Z') }))).toMatchObject({ status: 403, reason: 'quotaExceeded' });
    await expect(calendar.events.list({ calendarId: 'primary' })).resolves.toMatchObject({ status: 200 });
    now += 9 * 60_000;
    expect(await failureOf(calendar.events.insert({ calendarId: 'primary', requestBody: timedEvent('Solo', '2026-02-02T12:00:00Z') }))).toMatchObject({ status: 403 });
    now += 2 * 60_000;
    await expect(calendar.events.insert({ calendarId: 'primary', requestBody: timedEvent('Solo', '2026-02-02T12:00:00Z') })).resolves.toMatchObject({ status: 200 });
    const stats = await controlGet<{ calendar: { usageLimitRefusals: number; attendeeEventWrites: number } }>(google.url, '/_control/stats');
    expect(stats.calendar).toMatchObject({ usageLimitRefusals: 3, attendeeEventWrites: 3 });
  });

  it('refuses calendars.insert past the creation limit of the short period, and the calendar stays read-only', async () => {
    const calendar = calendarFor(google, ann);
    await calendar.calendars.insert({ requestBody: { summary: 'One' } });
    await calendar.calendars.insert({ requestBody: { summary: 'Two' } });
    expect(await failureOf(calendar.calendars.insert({ requestBody: { summary: 'Three' } }))).toMatchObject({ status: 403, reason: 'quotaExceeded', message: 'Calendar usage limits exceeded.' });
    now += 6 * 60_000;
    expect(await failureOf(calendar.calendars.insert({ requestBody: { summary: 'Three' } }))).toMatchObject({ status: 403 });
    now += 5 * 60_000;
    await expect(calendar.calendars.insert({ requestBody: { summary: 'Three' } })).resolves.toMatchObject({ status: 200 });
  });
});

describe('Calendar state across a restart', () => {
  it('keeps calendars, events, tombstones and instance overrides in persistDir', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'google-calendar-persist-'));
    try {
      const first = await startCalendarEmulator({ persistDir: dir });
      const calendar = calendarFor(first, ann);
      const team = (await calendar.calendars.insert({ requestBody: { summary: 'Team' } })).data;
      const series = (
        await calendar.events.insert({
          calendarId: team.id!,
          requestBody: {
            ...timedEvent('Weekly', '2026-03-02T09:00:00+01:00', 30),
            start: { dateTime: '2026-03-02T09:00:00+01:00', timeZone: 'Europe/Paris' },
            end: { dateTime: '2026-03-02T09:30:00+01:00', timeZone: 'Europe/Paris' },
            recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'],
          },
        })
      ).data;
      await calendar.events.delete({ calendarId: team.id!, eventId: `${series.id!}_20260309T080000Z` });
      const gone = (await calendar.events.insert({ calendarId: 'primary', requestBody: { id: 'gone12345', ...timedEvent('Gone', '2026-03-02T10:00:00Z') } })).data;
      await calendar.events.delete({ calendarId: 'primary', eventId: gone.id! });
      await first.close();

      const second = await startCalendarEmulator({ persistDir: dir });
      try {
        expect(second.emulator.calendarsOf(ann).map((entry) => entry.summary)).toEqual([ann, 'Team']);
        const again = calendarFor(second, ann);
        const instances = (await again.events.instances({ calendarId: team.id!, eventId: series.id! })).data.items!;
        expect(instances.map((instance) => instance.id)).toEqual([`${series.id!}_20260302T080000Z`, `${series.id!}_20260316T080000Z`]);
        expect(await failureOf(again.events.insert({ calendarId: 'primary', requestBody: { id: 'gone12345', ...timedEvent('Gone', '2026-03-02T10:00:00Z') } }))).toMatchObject({ status: 409 });
        expect(second.emulator.calendarInstancesOf(ann, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z').map((instance) => instance.start)).toEqual([
          '2026-03-02T08:00:00.000Z',
          '2026-03-16T08:00:00.000Z',
        ]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
