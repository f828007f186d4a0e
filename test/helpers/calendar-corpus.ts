import { control, controlGet } from './emulator-control.js';

/**
 * Outlook events for the calendar tests, in Graph's own JSON shape (the
 * Microsoft 365 emulator's control API): each recurrence pattern and range
 * type, interval > 1, several weekdays, first/last, the 31st, a series
 * across a daylight-saving change, moved/modified/cancelled occurrences, all-day
 * events, other time zones, guests and a Teams link, a second calendar.
 */
const at = (dateTime: string, timeZone: string) => ({ dateTime, timeZone });

export const calendarCorpus: Record<string, object> = {
  teamWeekly: {
    subject: 'Team sync',
    start: at('2027-03-15T09:00:00', 'W. Europe Standard Time'),
    end: at('2027-03-15T09:30:00', 'W. Europe Standard Time'),
    // Crosses Europe's change to summer time on 28 March 2027: 09:00 Berlin stays 09:00 Berlin.
    recurrence: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'wednesday'], firstDayOfWeek: 'monday' },
      range: { type: 'numbered', startDate: '2027-03-15', numberOfOccurrences: 10 },
    },
    exceptions: [{ originalStart: '2027-03-17', subject: 'Team sync (moved)', start: at('2027-03-17T11:00:00', 'W. Europe Standard Time'), end: at('2027-03-17T11:45:00', 'W. Europe Standard Time') }],
    cancelledOccurrences: ['2027-03-22'],
  },
  monthEnd: {
    subject: 'Month-end close',
    start: at('2027-01-31T14:00:00', 'Pacific Standard Time'),
    end: at('2027-01-31T15:00:00', 'Pacific Standard Time'),
    // On the 31st: the last day of the shorter months, as Outlook does.
    recurrence: { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }, range: { type: 'endDate', startDate: '2027-01-31', endDate: '2027-08-31' } },
  },
  lastFriday: {
    subject: 'Demo day',
    start: at('2027-01-29T16:00:00', 'Tokyo Standard Time'),
    end: at('2027-01-29T17:00:00', 'Tokyo Standard Time'),
    recurrence: { pattern: { type: 'relativeMonthly', interval: 2, daysOfWeek: ['friday'], index: 'last' }, range: { type: 'numbered', startDate: '2027-01-29', numberOfOccurrences: 6 } },
  },
  firstOfSeveral: {
    subject: 'Planning',
    start: at('2027-02-01T10:00:00', 'UTC'),
    end: at('2027-02-01T11:00:00', 'UTC'),
    // Several days: the first day of the month that is one of them.
    recurrence: { pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['monday', 'tuesday'], index: 'first' }, range: { type: 'numbered', startDate: '2027-02-01', numberOfOccurrences: 4 } },
  },
  thanksgiving: {
    subject: 'Thanksgiving lunch',
    start: at('2027-11-25T12:00:00', 'Eastern Standard Time'),
    end: at('2027-11-25T13:30:00', 'Eastern Standard Time'),
    recurrence: { pattern: { type: 'relativeYearly', interval: 1, daysOfWeek: ['thursday'], index: 'fourth', month: 11 }, range: { type: 'noEnd', startDate: '2027-11-25' } },
  },
  everyThirdDay: {
    subject: 'Backups check',
    start: at('2027-02-02T08:00:00', 'UTC'),
    end: at('2027-02-02T08:15:00', 'UTC'),
    recurrence: { pattern: { type: 'daily', interval: 3 }, range: { type: 'endDate', startDate: '2027-02-02', endDate: '2027-03-01' } },
  },
  anniversary: {
    subject: 'Company anniversary',
    start: at('2027-03-15T15:00:00', 'Eastern Standard Time'),
    end: at('2027-03-15T16:00:00', 'Eastern Standard Time'),
    recurrence: { pattern: { type: 'absoluteYearly', interval: 1, dayOfMonth: 15, month: 3 }, range: { type: 'numbered', startDate: '2027-03-15', numberOfOccurrences: 2 } },
  },
  allDayWeekly: {
    subject: 'Remote Friday',
    isAllDay: true,
    start: at('2027-01-08T00:00:00', 'UTC'),
    end: at('2027-01-09T00:00:00', 'UTC'),
    recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['friday'] }, range: { type: 'numbered', startDate: '2027-01-08', numberOfOccurrences: 4 } },
  },
  customerCall: {
    subject: 'Customer call',
    start: at('2027-01-12T15:00:00', 'W. Europe Standard Time'),
    end: at('2027-01-12T16:00:00', 'W. Europe Standard Time'),
    attendees: [
      { emailAddress: { address: 'buyer@fabrikam.example', name: 'Buyer' }, type: 'required' },
      { emailAddress: { address: 'cfo@fabrikam.example', name: 'CFO' }, type: 'optional' },
    ],
    // Outlook makes the Teams join link itself (onlineMeeting.joinUrl).
    isOnlineMeeting: true,
    showAs: 'busy',
  },
  holiday: { subject: 'Public holiday', isAllDay: true, start: at('2027-01-01T00:00:00', 'UTC'), end: at('2027-01-02T00:00:00', 'UTC'), showAs: 'free' },
  dentist: { subject: 'Dentist', sensitivity: 'private', start: at('2027-01-20T08:00:00', 'UTC'), end: at('2027-01-20T09:00:00', 'UTC'), calendar: 'Projects' },
};

/** The instances both sides are compared over: inside the sync's window, and past every corpus event. */
export const comparedRange = { from: '2026-12-01T00:00:00Z', to: '2028-12-01T00:00:00Z' };

export interface OutlookOccurrence {
  id: string;
  immutableId: string;
  type: string;
  seriesId: string | null;
  start: string;
  end: string;
  subject: string;
  isAllDay: boolean;
  calendar: string;
}

export interface GoogleInstance {
  calendarId: string;
  calendarSummary: string;
  summary?: string;
  start: string;
  end: string;
  allDay?: boolean;
}

export async function addOutlookEvent(m365Url: string, upn: string, event: object): Promise<{ id: string; immutableId: string }> {
  return control<{ id: string; immutableId: string }>(m365Url, `/_control/users/${encodeURIComponent(upn)}/events`, event);
}

export async function outlookOccurrences(m365Url: string, upn: string): Promise<OutlookOccurrence[]> {
  const answer = await controlGet<{ occurrences: OutlookOccurrence[] }>(m365Url, `/_control/users/${encodeURIComponent(upn)}/events?expand=true&from=${comparedRange.from}&to=${comparedRange.to}`);
  return answer.occurrences;
}

export async function googleInstances(googleUrl: string, email: string): Promise<GoogleInstance[]> {
  const answer = await controlGet<{ instances: GoogleInstance[] }>(googleUrl, `/_control/users/${encodeURIComponent(email)}/events?expand=true&from=${comparedRange.from}&to=${comparedRange.to}`);
  return answer.instances;
}

const instant = (iso: string) => new Date(iso).toISOString();

/** Each side as "calendar | title | start | end", sorted: the default Outlook calendar is the Google user's primary one. */
export const outlookKeys = (occurrences: OutlookOccurrence[], defaultCalendar = 'Calendar') =>
  occurrences.map((o) => `${o.calendar === defaultCalendar ? 'primary' : o.calendar} | ${o.subject} | ${instant(o.start)} | ${instant(o.end)}`).sort();
export const googleKeys = (instances: GoogleInstance[], email: string) =>
  instances.map((i) => `${i.calendarId === email ? 'primary' : i.calendarSummary} | ${i.summary ?? ''} | ${instant(i.start)} | ${instant(i.end)}`).sort();
