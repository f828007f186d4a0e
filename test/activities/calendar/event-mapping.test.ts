import type { Event } from '@microsoft/microsoft-graph-types';
import { describe, expect, it } from 'vitest';
import { DESCRIPTION_LIMIT, TRUNCATION_NOTE } from '../../../activities/calendar/event-description.js';
import { googleEventIdOf } from '../../../activities/calendar/event-ids.js';
import { CATEGORIES_KEY, googleEventOf, instanceOverrideOf, SOURCE_EVENT_ID_KEY, type EventMappingContext } from '../../../activities/calendar/event-mapping.js';
import { occurrenceStartsOf } from '../../../activities/calendar/occurrences.js';

const context: EventMappingContext = { sourceAddresses: ['ada@contoso.example', 'ada.lovelace@contoso.example'], targetEmail: 'ada@fabrikam.example', fallbackTimeZone: 'Europe/London' };

/** An Outlook event as Graph returns it by default (times in UTC, the event's own zone in originalStartTimeZone). */
const outlook = (fields: Event = {}): Event => ({
  id: 'AAMkAD-event-1',
  iCalUId: '040000008200E00074C5B7101A82E0080000000001',
  subject: 'Planning',
  start: { dateTime: '2026-06-01T07:00:00.0000000', timeZone: 'UTC' },
  end: { dateTime: '2026-06-01T08:00:00.0000000', timeZone: 'UTC' },
  originalStartTimeZone: 'W. Europe Standard Time',
  originalEndTimeZone: 'W. Europe Standard Time',
  isOrganizer: true,
  organizer: { emailAddress: { name: 'Ada', address: 'ada@contoso.example' } },
  ...fields,
});

describe('googleEventOf: fields', () => {
  it('carries title, ids, the lookup property and times in the event’s own IANA zone', () => {
    const { event, lost } = googleEventOf(outlook(), context);
    expect(event).toMatchObject({
      id: googleEventIdOf('AAMkAD-event-1'),
      iCalUID: '040000008200E00074C5B7101A82E0080000000001',
      summary: 'Planning',
      start: { dateTime: '2026-06-01T09:00:00+02:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2026-06-01T10:00:00+02:00', timeZone: 'Europe/Berlin' },
      extendedProperties: { private: { [SOURCE_EVENT_ID_KEY]: 'AAMkAD-event-1' } },
    });
    expect(lost).toEqual([]);
  });

  it('a custom time zone falls back to the mailbox zone and says so', () => {
    const { event, lost } = googleEventOf(outlook({ originalStartTimeZone: 'tzone://Microsoft/Custom', originalEndTimeZone: 'tzone://Microsoft/Custom' }), context);
    expect(event.start).toEqual({ dateTime: '2026-06-01T08:00:00+01:00', timeZone: 'Europe/London' });
    expect(lost).toEqual(['time zone tzone://Microsoft/Custom (shown in Europe/London)']);
  });

  it('an all-day event becomes dates, end exclusive, from the date part', () => {
    const { event } = googleEventOf(
      outlook({
        isAllDay: true,
        start: { dateTime: '2026-12-25T00:00:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2026-12-26T00:00:00.0000000', timeZone: 'UTC' },
        originalStartTimeZone: 'Pacific Standard Time',
      }),
      context,
    );
    expect(event.start).toEqual({ date: '2026-12-25' });
    expect(event.end).toEqual({ date: '2026-12-26' });
  });

  it('an all-day event read in another zone takes its date in the event’s own zone', () => {
    // Midnight 25 Dec in Berlin, read as UTC: 23:00 on the 24th.
    const { event } = googleEventOf(
      outlook({ isAllDay: true, start: { dateTime: '2026-12-24T23:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-12-25T23:00:00.0000000', timeZone: 'UTC' } }),
      context,
    );
    expect(event.start).toEqual({ date: '2026-12-25' });
    expect(event.end).toEqual({ date: '2026-12-26' });
  });

  it('keeps an HTML body (inside <body>) as the description', () => {
    const { event } = googleEventOf(outlook({ body: { contentType: 'html', content: '<html><head><style>p{}</style></head><body><p>Agenda <b>here</b></p></body></html>' } }), context);
    expect(event.description).toBe('<p>Agenda <b>here</b></p>');
  });

  it('cuts a description over the limit with a visible note, and lists it as lost', () => {
    const { event, lost } = googleEventOf(outlook({ body: { contentType: 'html', content: `<p>${'x'.repeat(DESCRIPTION_LIMIT * 2)}</p>` } }), context);
    expect(event.description).toHaveLength(DESCRIPTION_LIMIT);
    expect(event.description!.endsWith(`<p>${TRUNCATION_NOTE}</p>`)).toBe(true);
    expect(lost).toEqual(['description past 8,000 characters']);
    const short = googleEventOf(outlook({ body: { contentType: 'text', content: 'y'.repeat(DESCRIPTION_LIMIT) } }), context);
    expect(short.event.description).toBe('y'.repeat(DESCRIPTION_LIMIT));
  });

  it('joins several locations into one', () => {
    const { event } = googleEventOf(outlook({ location: { displayName: 'Room 1' }, locations: [{ displayName: 'Room 1' }, { displayName: 'Teams' }] }), context);
    expect(event.location).toBe('Room 1; Teams');
    expect(googleEventOf(outlook({ location: { displayName: 'Lobby' } }), context).event.location).toBe('Lobby');
  });

  it('keeps the Teams join link visible: at the top of the description, and as the location when there is none', () => {
    const joinUrl = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc';
    const { event } = googleEventOf(outlook({ isOnlineMeeting: true, onlineMeeting: { joinUrl }, body: { contentType: 'html', content: '<p>Hello</p>' } }), context);
    expect(event.location).toBe(joinUrl);
    expect(event.description).toBe(`<p>Join the online meeting: <a href="${joinUrl}">${joinUrl}</a></p><p>Hello</p>`);
    expect(event.conferenceData).toBeUndefined();
    expect(googleEventOf(outlook({ onlineMeeting: { joinUrl }, location: { displayName: 'Room 2' } }), context).event.location).toBe('Room 2');
  });

  it('maps the reminder to a popup override, clamped to 40320 minutes, and none when off', () => {
    expect(googleEventOf(outlook({ isReminderOn: true, reminderMinutesBeforeStart: 30 }), context).event.reminders).toEqual({ useDefault: false, overrides: [{ method: 'popup', minutes: 30 }] });
    const far = googleEventOf(outlook({ isReminderOn: true, reminderMinutesBeforeStart: 60_000 }), context);
    expect(far.event.reminders).toEqual({ useDefault: false, overrides: [{ method: 'popup', minutes: 40_320 }] });
    expect(far.lost).toEqual(["reminder 60000 minutes before (Google's longest is 40320)"]);
    expect(googleEventOf(outlook({ isReminderOn: false, reminderMinutesBeforeStart: 15 }), context).event.reminders).toEqual({ useDefault: false, overrides: [] });
  });

  it('maps showAs to transparency: free → transparent, the others opaque, with tentative/oof/workingElsewhere lost', () => {
    expect(googleEventOf(outlook({ showAs: 'free' }), context)).toMatchObject({ event: { transparency: 'transparent' }, lost: [] });
    expect(googleEventOf(outlook({ showAs: 'busy' }), context)).toMatchObject({ event: { transparency: 'opaque' }, lost: [] });
    expect(googleEventOf(outlook({ showAs: 'oof' }), context)).toMatchObject({ event: { transparency: 'opaque' }, lost: ['free/busy oof (shown as busy)'] });
    expect(googleEventOf(outlook({ showAs: 'tentative' }), context).event.transparency).toBe('opaque');
  });

  it('maps sensitivity to visibility: normal → default, private/personal/confidential → private', () => {
    expect(googleEventOf(outlook({ sensitivity: 'normal' }), context).event.visibility).toBe('default');
    expect(googleEventOf(outlook({ sensitivity: 'private' }), context)).toMatchObject({ event: { visibility: 'private' }, lost: [] });
    expect(googleEventOf(outlook({ sensitivity: 'personal' }), context)).toMatchObject({ event: { visibility: 'private' }, lost: ['sensitivity personal (shown as private)'] });
    expect(googleEventOf(outlook({ sensitivity: 'confidential' }), context).event.visibility).toBe('private');
  });

  it('keeps categories as hidden text and lists them, attachments and importance as lost', () => {
    const { event, lost } = googleEventOf(outlook({ categories: ['Red category', 'Project X'], hasAttachments: true, importance: 'high' }), context);
    expect(event.extendedProperties?.private?.[CATEGORIES_KEY]).toBe('Red category, Project X');
    expect(event.colorId).toBeUndefined();
    expect(lost).toEqual(['categories (kept only as hidden text)', 'attachments', 'importance high']);
  });
});

describe('googleEventOf: organizer and attendees', () => {
  const meeting = (fields: Event): Event =>
    outlook({
      attendees: [
        { emailAddress: { name: 'Bob', address: 'bob@contoso.example' }, type: 'required', status: { response: 'accepted' } },
        { emailAddress: { name: 'Cy', address: 'cy@partner.example' }, type: 'optional', status: { response: 'tentativelyAccepted' } },
        { emailAddress: { name: 'Dee', address: 'dee@contoso.example' }, type: 'required', status: { response: 'declined' } },
        { emailAddress: { name: 'Eve', address: 'eve@contoso.example' }, type: 'required', status: { response: 'none' } },
        { emailAddress: { name: 'Room 4', address: 'room4@contoso.example' }, type: 'resource', status: { response: 'accepted' } },
      ],
      ...fields,
    });

  it('the user organizes: the organizer becomes the Google account, listed first; responses, optional and resource carried', () => {
    const { event } = googleEventOf(meeting({}), context);
    expect(event.organizer).toEqual({ email: 'ada@fabrikam.example', displayName: 'Ada' });
    expect(event.attendees).toEqual([
      { email: 'ada@fabrikam.example', displayName: 'Ada', responseStatus: 'accepted' },
      { email: 'bob@contoso.example', displayName: 'Bob', responseStatus: 'accepted' },
      { email: 'cy@partner.example', displayName: 'Cy', responseStatus: 'tentative', optional: true },
      { email: 'dee@contoso.example', displayName: 'Dee', responseStatus: 'declined' },
      { email: 'eve@contoso.example', displayName: 'Eve', responseStatus: 'needsAction' },
      { email: 'room4@contoso.example', displayName: 'Room 4', responseStatus: 'accepted', resource: true },
    ]);
  });

  it('the user is an invitee under an alias: that attendee becomes the Google account with the user’s own response', () => {
    const { event } = googleEventOf(
      outlook({
        isOrganizer: false,
        organizer: { emailAddress: { name: 'Bob', address: 'bob@contoso.example' } },
        responseStatus: { response: 'tentativelyAccepted' },
        attendees: [
          { emailAddress: { name: 'Ada L', address: 'Ada.Lovelace@contoso.example' }, type: 'required', status: { response: 'none' } },
          { emailAddress: { name: 'Bob', address: 'bob@contoso.example' }, type: 'required', status: { response: 'none' } },
        ],
      }),
      context,
    );
    expect(event.organizer).toEqual({ email: 'bob@contoso.example', displayName: 'Bob' });
    expect(event.attendees).toEqual([
      { email: 'ada@fabrikam.example', displayName: 'Ada L', responseStatus: 'tentative' },
      { email: 'bob@contoso.example', displayName: 'Bob', responseStatus: 'needsAction' },
    ]);
  });

  it('the user is neither organizer nor attendee (a list invitation): added as attendee, so import is not refused', () => {
    const { event } = googleEventOf(
      outlook({
        isOrganizer: false,
        organizer: { emailAddress: { name: 'Bob', address: 'bob@contoso.example' } },
        responseStatus: { response: 'accepted' },
        attendees: [{ emailAddress: { name: 'All staff', address: 'staff@contoso.example' }, type: 'required', status: { response: 'none' } }],
      }),
      context,
    );
    expect(event.attendees?.map((attendee) => [attendee.email, attendee.responseStatus])).toEqual([
      ['bob@contoso.example', 'accepted'],
      ['staff@contoso.example', 'needsAction'],
      ['ada@fabrikam.example', 'accepted'],
    ]);
  });

  it('an appointment without guests has the Google account as organizer and no attendees', () => {
    const { event } = googleEventOf(outlook({ attendees: [] }), context);
    expect(event.organizer?.email).toBe('ada@fabrikam.example');
    expect(event.attendees).toEqual([]);
  });
});

describe('googleEventOf: series', () => {
  const weekly = (fields: Event = {}): Event =>
    outlook({
      type: 'seriesMaster',
      start: { dateTime: '2026-03-18T08:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-03-18T09:00:00.0000000', timeZone: 'UTC' },
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['wednesday'], firstDayOfWeek: 'monday' }, range: { type: 'numbered', numberOfOccurrences: 4 } },
      ...fields,
    });

  it('writes the RRULE with the cancelled occurrences as EXDATE, expanding at 09:00 Berlin across the DST change', () => {
    const { event, refusal } = googleEventOf(weekly(), { ...context, cancelledOccurrences: ['OID.AAMkAD-event-1.2026-03-25'] });
    expect(refusal).toBeUndefined();
    expect(event.recurrence).toEqual(['RRULE:FREQ=WEEKLY;BYDAY=WE;WKST=MO;COUNT=4', 'EXDATE;TZID=Europe/Berlin:20260325T090000']);
    const starts = occurrenceStartsOf(event.recurrence!, '2026-03-18T09:00:00', event.start!.timeZone!, new Date('2026-01-01'), new Date('2027-01-01'));
    expect(starts.map((d) => d.toISOString())).toEqual(['2026-03-18T08:00:00.000Z', '2026-04-01T07:00:00.000Z', '2026-04-08T07:00:00.000Z']);
  });

  it('an all-day series: dates and a DATE UNTIL', () => {
    const { event } = googleEventOf(
      outlook({
        type: 'seriesMaster',
        isAllDay: true,
        start: { dateTime: '2026-01-01T00:00:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2026-01-02T00:00:00.0000000', timeZone: 'UTC' },
        recurrence: { pattern: { type: 'absoluteYearly', interval: 1, month: 1, dayOfMonth: 1 }, range: { type: 'endDate', startDate: '2026-01-01', endDate: '2030-01-01' } },
      }),
      context,
    );
    expect(event).toMatchObject({ start: { date: '2026-01-01' }, end: { date: '2026-01-02' }, recurrence: ['RRULE:FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1;UNTIL=20300101'] });
  });

  it('a pattern Google cannot take is refused with UNSUPPORTED_FORMAT and a reason', () => {
    const { refusal } = googleEventOf(weekly({ recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: [] }, range: { type: 'noEnd' } } }), context);
    expect(refusal).toEqual({ code: 'UNSUPPORTED_FORMAT', reason: expect.stringMatching(/without days of the week/) });
  });

  it('an exception is a patch of the instance at its original start: times always, other fields only where they differ', () => {
    const master = weekly({ location: { displayName: 'Room 1' }, body: { contentType: 'text', content: 'Weekly sync' } });
    const exception: Event = {
      ...master,
      id: 'AAMkAD-exception-1',
      type: 'exception',
      recurrence: null,
      originalStart: '2026-04-01T07:00:00Z',
      start: { dateTime: '2026-04-02T13:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-04-02T14:00:00.0000000', timeZone: 'UTC' },
      subject: 'Planning (moved)',
    };
    const override = instanceOverrideOf(exception, master, context);
    expect(override.originalStartTime).toEqual({ dateTime: '2026-04-01T09:00:00+02:00', timeZone: 'Europe/Berlin' });
    expect(override.patch).toEqual({
      summary: 'Planning (moved)',
      start: { dateTime: '2026-04-02T15:00:00+02:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2026-04-02T16:00:00+02:00', timeZone: 'Europe/Berlin' },
    });
    expect(override.lost).toEqual([]);
  });
});
