import type { PatternedRecurrence } from '@microsoft/microsoft-graph-types';
import { DateTime } from 'luxon';
import { createRandom, mixSeed } from '../../mime/random.js';
import type { EventFields } from './event-record.js';

const topics = ['Project sync', 'Design review', 'Customer call', 'Budget planning', 'One-to-one', 'Sprint demo', 'Hiring panel', 'Lunch and learn'];
const zones = ['W. Europe Standard Time', 'Pacific Standard Time', 'GMT Standard Time', 'Eastern Standard Time', 'Tokyo Standard Time'];

/**
 * A varied event for `{"count": n}`: spread over the days from `from`, one in
 * five a weekly series of ten, some all-day, some in other zones, some online.
 */
export function generatedEvent(mailbox: number, seq: number, index: number, from: string): { fields: EventFields; recurrence?: PatternedRecurrence } {
  const random = createRandom(mixSeed(mailbox, seq, index));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)] as T;
  const day = DateTime.fromISO(from, { zone: 'UTC' }).plus({ days: Math.floor(index / 3) });
  const allDay = index % 11 === 5;
  const zone = pick(zones);
  const hour = 8 + Math.floor(random.next() * 9);
  const start = day.set({ hour: allDay ? 0 : hour });
  const end = allDay ? start.plus({ days: 1 }) : start.plus({ minutes: 30 * (1 + Math.floor(random.next() * 3)) });
  const format = (instant: DateTime): string => instant.toFormat("yyyy-LL-dd'T'HH:mm:ss");
  const fields: EventFields = {
    subject: `${pick(topics)} #${index + 1}`,
    body: { contentType: 'html', content: `<p>Agenda for item ${index + 1}.</p>` },
    start: { dateTime: format(start), timeZone: allDay ? 'UTC' : zone },
    end: { dateTime: format(end), timeZone: allDay ? 'UTC' : zone },
    isAllDay: allDay,
    showAs: allDay ? 'free' : 'busy',
    isOnlineMeeting: index % 4 === 1,
    sensitivity: index % 13 === 7 ? 'private' : 'normal',
  };
  if (index % 5 !== 0) return { fields };
  const weekday = start.setLocale('en-US').toFormat('cccc').toLowerCase() as 'monday';
  return {
    fields,
    recurrence: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: [weekday], firstDayOfWeek: 'sunday' },
      range: { type: 'numbered', startDate: day.toISODate() as string, numberOfOccurrences: 10 },
    },
  };
}
