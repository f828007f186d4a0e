import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { controlGet } from '../../helpers/emulator-control.js';
import type { StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { calendarFor, calendarScope, startCalendarEmulator, timedEvent } from './calendar-fixtures.js';
import { failureOf } from './fixtures.js';

const ann = 'ann@example.com';

describe('Calendar API: calendars and events', () => {
  let google: StartedGoogleEmulator;
  beforeAll(async () => {
    google = await startCalendarEmulator();
  });
  afterAll(() => google?.close());
  beforeEach(() => google.emulator.reset());

  it('lists the primary calendar (id = the address, alias primary) and the secondaries the user creates, patches and deletes', async () => {
    const calendar = calendarFor(google, ann);
    const created = (await calendar.calendars.insert({ requestBody: { summary: 'Projects', timeZone: 'Europe/Berlin' } })).data;
    expect(created).toMatchObject({ kind: 'calendar#calendar', summary: 'Projects', timeZone: 'Europe/Berlin' });
    expect(created.id).toMatch(/@group\.calendar\.google\.com$/);
    const list = (await calendar.calendarList.list()).data.items!;
    expect(list.map((entry) => [entry.id, entry.primary ?? false, entry.accessRole])).toEqual([
      [ann, true, 'owner'],
      [created.id, false, 'owner'],
    ]);
    expect((await calendar.calendars.get({ calendarId: 'primary' })).data.id).toBe(ann);
    expect((await calendar.calendars.patch({ calendarId: created.id!, requestBody: { summary: 'Projects 2024' } })).data.summary).toBe('Projects 2024');
    expect(await failureOf(calendar.calendars.delete({ calendarId: 'primary' }))).toMatchObject({ status: 400 });
    await calendar.calendars.delete({ calendarId: created.id! });
    expect(await failureOf(calendar.calendars.get({ calendarId: created.id! }))).toMatchObject({ status: 404 });
    const control = await controlGet<{ calendars: unknown[] }>(google.url, `/_control/users/${ann}/calendars`);
    expect(control.calendars).toEqual([{ id: ann, summary: ann, primary: true, timeZone: 'UTC' }]);
  });

  it('inserts, gets, patches, updates and deletes an event; a deleted event stays as a cancelled tombstone whose id is reserved', async () => {
    const calendar = calendarFor(google, ann);
    const id = 'm365abc0123456789';
    const inserted = (await calendar.events.insert({ calendarId: 'primary', requestBody: { id, ...timedEvent('Review', '2024-03-04T09:00:00+01:00', 60) } })).data;
    expect(inserted).toMatchObject({ kind: 'calendar#event', id, status: 'confirmed', summary: 'Review', organizer: { email: ann, self: true }, iCalUID: `${id}@google.com` });
    const patched = (await calendar.events.patch({ calendarId: 'primary', eventId: id, requestBody: { location: 'Room 4' } })).data;
    expect(patched).toMatchObject({ summary: 'Review', location: 'Room 4' });
    const updated = (await calendar.events.update({ calendarId: 'primary', eventId: id, requestBody: timedEvent('Review (moved)', '2024-03-05T09:00:00+01:00', 60) })).data;
    expect(updated.location).toBeUndefined();
    expect(updated.summary).toBe('Review (moved)');
    await calendar.events.delete({ calendarId: 'primary', eventId: id });
    expect((await calendar.events.get({ calendarId: 'primary', eventId: id })).data.status).toBe('cancelled');
    expect((await calendar.events.list({ calendarId: 'primary' })).data.items).toEqual([]);
    expect((await calendar.events.list({ calendarId: 'primary', showDeleted: true })).data.items!.map((event) => event.id)).toEqual([id]);
    const again = await failureOf(calendar.events.insert({ calendarId: 'primary', requestBody: { id, ...timedEvent('Review', '2024-03-04T09:00:00+01:00') } }));
    expect(again).toMatchObject({ status: 409, message: 'The requested identifier already exists.' });
    const imported = await failureOf(calendar.events.import({ calendarId: 'primary', requestBody: { id, iCalUID: 'x@contoso.example', ...timedEvent('Review', '2024-03-04T09:00:00+01:00') } }));
    expect(imported).toMatchObject({ status: 409 });
    expect(await failureOf(calendar.events.delete({ calendarId: 'primary', eventId: id }))).toMatchObject({ status: 410 });
  });

  it('refuses client-chosen ids outside base32hex or 5–1024 characters with 400 "Invalid resource id value."', async () => {
    const calendar = calendarFor(google, ann);
    for (const id of ['abcd', 'ABCDEF123', 'abcdwxyz', 'abc-def-123', 'a'.repeat(1025)]) {
      const failure = await failureOf(calendar.events.insert({ calendarId: 'primary', requestBody: { id, ...timedEvent('x', '2024-03-04T09:00:00Z') } }));
      expect(failure, id).toMatchObject({ status: 400, message: 'Invalid resource id value.' });
    }
    await expect(calendar.events.insert({ calendarId: 'primary', requestBody: { id: 'v'.repeat(1024), ...timedEvent('x', '2024-03-04T09:00:00Z') } })).resolves.toMatchObject({ status: 200 });
  });

  it('imports with the organizer given; needs iCalUID, refuses cancelled events and calendars whose owner neither organizes nor attends', async () => {
    const calendar = calendarFor(google, ann);
    const event = timedEvent('Board', '2024-03-04T14:00:00Z', 60, { attendees: [{ email: ann }, { email: 'dana@contoso.example' }] });
    const imported = (await calendar.events.import({ calendarId: 'primary', requestBody: { ...event, iCalUID: 'board-1@contoso.example', organizer: { email: 'dana@contoso.example' } } })).data;
    expect(imported.organizer).toEqual({ email: 'dana@contoso.example' });
    expect(imported.attendees?.find((attendee) => attendee.email === ann)).toMatchObject({ self: true, responseStatus: 'needsAction' });
    expect(await failureOf(calendar.events.import({ calendarId: 'primary', requestBody: event }))).toMatchObject({ status: 400 });
    expect(await failureOf(calendar.events.import({ calendarId: 'primary', requestBody: { ...event, iCalUID: 'c@contoso.example', status: 'cancelled' } }))).toMatchObject({ status: 400 });
    const stranger = await failureOf(
      calendar.events.import({
        calendarId: 'primary',
        requestBody: {
          ...timedEvent('Other', '2024-03-04T14:00:00Z', 30, { attendees: [{ email: 'sam@contoso.example' }] }),
          iCalUID: 'o@contoso.example',
          organizer: { email: 'dana@contoso.example' },
        },
      }),
    );
    expect(stranger).toMatchObject({ status: 403, reason: 'participantIsNeitherOrganizerNorAttendee' });
    const duplicate = await failureOf(calendar.events.import({ calendarId: 'primary', requestBody: { ...event, iCalUID: 'board-1@contoso.example', organizer: { email: 'dana@contoso.example' } } }));
    expect(duplicate).toMatchObject({ status: 409 });
    const byUid = (await calendar.events.list({ calendarId: 'primary', iCalUID: 'board-1@contoso.example' })).data.items!;
    expect(byUid.map((item) => item.id)).toEqual([imported.id]);
  });

  it('finds an event by privateExtendedProperty, filters by time range and updatedMin, and pages', async () => {
    const calendar = calendarFor(google, ann);
    for (let day = 1; day <= 5; day++) {
      await calendar.events.insert({
        calendarId: 'primary',
        requestBody: timedEvent(`Day ${day}`, `2024-05-0${day}T10:00:00Z`, 30, { extendedProperties: { private: { m365Id: `src-${day}`, kind: 'sync' } } }),
      });
    }
    const found = (await calendar.events.list({ calendarId: 'primary', privateExtendedProperty: ['m365Id=src-3', 'kind=sync'] })).data.items!;
    expect(found.map((event) => event.summary)).toEqual(['Day 3']);
    expect((await calendar.events.list({ calendarId: 'primary', privateExtendedProperty: ['m365Id=src-3', 'kind=other'] })).data.items).toEqual([]);
    const ranged = (await calendar.events.list({ calendarId: 'primary', timeMin: '2024-05-02T10:15:00Z', timeMax: '2024-05-04T10:00:00Z', singleEvents: true, orderBy: 'startTime' })).data.items!;
    expect(ranged.map((event) => event.summary)).toEqual(['Day 2', 'Day 3']);
    const first = (await calendar.events.list({ calendarId: 'primary', maxResults: 2 })).data;
    expect(first.items).toHaveLength(2);
    const rest = (await calendar.events.list({ calendarId: 'primary', maxResults: 2, pageToken: first.nextPageToken! })).data;
    const last = (await calendar.events.list({ calendarId: 'primary', maxResults: 2, pageToken: rest.nextPageToken! })).data;
    expect([...first.items!, ...rest.items!, ...last.items!].map((event) => event.summary).sort()).toEqual(['Day 1', 'Day 2', 'Day 3', 'Day 4', 'Day 5']);
    expect(last.nextPageToken).toBeUndefined();
    expect(last.nextSyncToken).toBeTruthy();
    const marker = new Date(Date.now() + 1).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await calendar.events.patch({ calendarId: 'primary', eventId: found[0]!.id!, requestBody: { summary: 'Day 3 (changed)' } });
    expect((await calendar.events.list({ calendarId: 'primary', updatedMin: marker })).data.items!.map((event) => event.summary)).toEqual(['Day 3 (changed)']);
    expect((await calendar.events.list({ calendarId: 'primary', syncToken: last.nextSyncToken! })).data.items!.map((event) => event.summary)).toEqual(['Day 3 (changed)']);
  });

  it('checks events as Google does: time zone for series, reminders, attachments, description and attendee limits', async () => {
    const calendar = calendarFor(google, ann);
    const insert = (extra: object) => failureOf(calendar.events.insert({ calendarId: 'primary', requestBody: { ...timedEvent('x', '2024-03-04T09:00:00Z'), ...extra } }));
    expect(await insert({ recurrence: ['RRULE:FREQ=WEEKLY'] })).toMatchObject({ status: 400, message: 'Missing time zone definition for start time.' });
    const overrides = Array.from({ length: 6 }, (_, index) => ({ method: 'popup', minutes: index }));
    expect(await insert({ reminders: { useDefault: false, overrides } })).toMatchObject({ status: 400 });
    expect(await insert({ reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 40_321 }] } })).toMatchObject({ status: 400 });
    expect(await insert({ description: 'x'.repeat(8_001) })).toMatchObject({ status: 400 });
    const attachments = Array.from({ length: 26 }, (_, index) => ({ fileUrl: `https://drive.google.com/file/d/${index}` }));
    expect(await insert({ attachments })).toMatchObject({ status: 400 });
    const attendees = Array.from({ length: 200 }, (_, index) => ({ email: `guest${index}@example.com` }));
    expect(await insert({ attendees })).toMatchObject({ status: 400 });
    expect(await insert({ end: { dateTime: '2024-03-04T08:00:00Z' } })).toMatchObject({ status: 400, reason: 'timeRangeEmpty' });
    await expect(
      calendar.events.insert({ calendarId: 'primary', requestBody: { ...timedEvent('ok', '2024-03-04T09:00:00Z'), description: 'x'.repeat(8_000), attendees: attendees.slice(0, 199) } }),
    ).resolves.toMatchObject({
      status: 200,
    });
  });

  it('counts the e-mails a real Calendar would send: none for import or sendUpdates=none, one per guest for all, outside guests for externalOnly', async () => {
    const calendar = calendarFor(google, ann);
    const guests = [{ email: ann }, { email: 'bob@example.com' }, { email: 'dana@contoso.example' }];
    const emails = async () => (await controlGet<{ calendarEmailsSent: number }>(google.url, '/_control/stats')).calendarEmailsSent;
    await calendar.events.import({ calendarId: 'primary', requestBody: { ...timedEvent('Imported', '2024-03-04T09:00:00Z', 30, { attendees: guests }), iCalUID: 'i1@contoso.example' } });
    const quiet = (await calendar.events.insert({ calendarId: 'primary', sendUpdates: 'none', requestBody: timedEvent('Quiet', '2024-03-04T10:00:00Z', 30, { attendees: guests }) })).data;
    await calendar.events.patch({ calendarId: 'primary', eventId: quiet.id!, sendUpdates: 'none', requestBody: { summary: 'Quiet 2' } });
    await calendar.events.patch({ calendarId: 'primary', eventId: quiet.id!, requestBody: { summary: 'Quiet 3' } });
    await calendar.events.delete({ calendarId: 'primary', eventId: quiet.id!, sendUpdates: 'none' });
    expect(await emails()).toBe(0);
    const loud = (await calendar.events.insert({ calendarId: 'primary', sendUpdates: 'all', requestBody: timedEvent('Loud', '2024-03-04T11:00:00Z', 30, { attendees: guests }) })).data;
    expect(await emails()).toBe(2);
    await calendar.events.update({ calendarId: 'primary', eventId: loud.id!, sendUpdates: 'externalOnly', requestBody: timedEvent('Loud', '2024-03-04T12:00:00Z', 30, { attendees: guests }) });
    expect(await emails()).toBe(3);
    await calendar.events.delete({ calendarId: 'primary', eventId: loud.id!, sendUpdates: 'all' });
    expect(await emails()).toBe(5);
    const stats = await controlGet<{ calendar: { requestsByUser: Record<string, number> } }>(google.url, '/_control/stats');
    expect(stats.calendar.requestsByUser[ann]).toBe(8);
  });

  it('refuses a token without a Calendar scope with 403 insufficient scopes', async () => {
    const gmailOnly = calendarFor(google, ann, ['https://www.googleapis.com/auth/gmail.modify']);
    const failure = await failureOf(gmailOnly.calendarList.list());
    expect(failure).toMatchObject({ status: 403, message: 'Request had insufficient authentication scopes.' });
    expect(google.emulator.serviceAccounts()[0]?.dwdScopes).toContain(calendarScope);
  });

  it('lists every event of every calendar through the control API', async () => {
    const calendar = calendarFor(google, ann);
    const second = (await calendar.calendars.insert({ requestBody: { summary: 'Team' } })).data;
    await calendar.events.insert({ calendarId: 'primary', requestBody: timedEvent('Own', '2024-03-04T09:00:00Z') });
    await calendar.events.insert({ calendarId: second.id!, requestBody: timedEvent('Team meeting', '2024-03-04T10:00:00Z') });
    const { events } = await controlGet<{ events: Array<{ calendarId: string; calendarSummary: string; summary: string }> }>(google.url, `/_control/users/${ann}/events`);
    expect(events.map(({ calendarId, calendarSummary, summary }) => [calendarId, calendarSummary, summary])).toEqual([
      [ann, ann, 'Own'],
      [second.id, 'Team', 'Team meeting'],
    ]);
  });
});
