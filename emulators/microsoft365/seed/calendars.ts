import type { EmailAddress } from '@microsoft/microsoft-graph-types';
import type { CalendarBook } from '../calendar/calendar-book.js';
import type { EventFields } from '../calendar/event-record.js';

const at = (dateTime: string, timeZone: string): { dateTime: string; timeZone: string } => ({ dateTime, timeZone });
const berlin = 'W. Europe Standard Time';

/**
 * The demo calendar of one mailbox (issue 14's demo tenant): a weekly team
 * meeting with a moved and a cancelled occurrence, a monthly meeting on the
 * 31st (last day of shorter months), an all-day holiday, a meeting in another
 * time zone, a Teams meeting, a private appointment, a second calendar with an
 * event, and a calendar shared by a colleague (owner = the colleague). Fixed
 * dates, so every installation sees the same; not logged for delta.
 */
export function seedCalendar(book: CalendarBook, colleague: EmailAddress | undefined): void {
  const main = book.defaultCalendar;
  const add = (fields: EventFields, recurrence?: Parameters<CalendarBook['addEvent']>[2], calendar = main): ReturnType<CalendarBook['addEvent']> => book.addEvent(calendar, fields, recurrence);

  const team = add(
    {
      subject: 'Team meeting',
      body: { contentType: 'html', content: '<p>Weekly status and blockers.</p>' },
      start: at('2026-01-05T10:00:00', berlin),
      end: at('2026-01-05T11:00:00', berlin),
      location: { displayName: 'Room Fjord' },
    },
    { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'monday' }, range: { type: 'noEnd', startDate: '2026-01-05', recurrenceTimeZone: berlin } },
  );
  team.exceptions.push({
    date: '2026-01-12',
    fields: { subject: 'Team meeting (moved to Tuesday)', start: at('2026-01-13T14:00:00', berlin), end: at('2026-01-13T15:00:00', berlin) },
    changeCount: 0,
    lastModifiedAt: team.createdAt,
  });
  team.cancelledDates.push('2026-01-19');

  add(
    { subject: 'Month-end close', start: at('2026-01-31T15:00:00', berlin), end: at('2026-01-31T16:00:00', berlin) },
    { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }, range: { type: 'numbered', startDate: '2026-01-31', numberOfOccurrences: 24 } },
  );
  add({ subject: 'Public holiday', isAllDay: true, showAs: 'free', start: at('2026-05-01T00:00:00', berlin), end: at('2026-05-02T00:00:00', berlin) });
  add({ subject: 'Call with the Seattle office', start: at('2026-02-10T09:00:00', 'Pacific Standard Time'), end: at('2026-02-10T10:00:00', 'Pacific Standard Time') });
  add({
    subject: 'Quarterly review (Teams)',
    isOnlineMeeting: true,
    start: at('2026-03-17T13:00:00', berlin),
    end: at('2026-03-17T14:30:00', berlin),
    attendees: colleague ? [{ emailAddress: colleague, type: 'required', status: { response: 'accepted', time: '2026-03-01T08:00:00Z' } }] : [],
  });
  add({ subject: 'Doctor', sensitivity: 'private', showAs: 'oof', start: at('2026-02-20T08:30:00', berlin), end: at('2026-02-20T09:30:00', berlin) });
  add({ subject: 'Conference talk rehearsal', start: at('2026-04-08T16:00:00', berlin), end: at('2026-04-08T17:00:00', berlin) }, undefined, book.ensureCalendar('Projects'));
  if (colleague)
    add(
      { subject: 'On call', isAllDay: true, start: at('2026-03-09T00:00:00', berlin), end: at('2026-03-14T00:00:00', berlin) },
      undefined,
      book.ensureCalendar(`${colleague.name ?? colleague.address}'s rota`, colleague),
    );
  book.forgetChangeHistory();
}
