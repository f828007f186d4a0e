import type { Calendar, Event } from '@microsoft/microsoft-graph-types';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { CalendarBook } from './calendar-book.js';
import type { CalendarRecord, EventFields, EventRecord } from './event-record.js';
import { eventEnd, eventStart, type EventInstance } from './instances.js';
import { graphDateTime, requireZone } from './time-zones.js';

export interface EventView {
  immutableIds: boolean;
  /** Prefer: outlook.timezone; start and end are in UTC without it (event resource: "By default, the start time is in UTC"). */
  timeZone?: string;
  /** cancelledOccurrences is "Returned only on $select in a Get operation which specifies the ID … of a series master" (@microsoft/microsoft-graph-types Event). */
  withCancelledOccurrences?: boolean;
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function changeKey(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('/')).digest('base64').slice(0, 22) + 'AAA==';
}

/** iCalUId: "different for each occurrence in a recurring series" (event resource); a stable hex string per event and date. */
function iCalUId(book: CalendarBook, record: EventRecord, date?: string): string {
  const hex = createHash('sha256')
    .update(`${book.mailboxNumber}/${record.number}/${date ?? ''}`)
    .digest('hex')
    .slice(0, 64)
    .toUpperCase();
  return `040000008200E00074C5B7101A82E008${hex}`;
}

/**
 * start/end in the response zone. An all-day event keeps its wall-clock
 * midnight dates whatever the zone (all-day "start and end time must be set
 * to midnight and be in the same time zone", event resource), so its dates
 * are written as they were given, labelled with the response zone.
 */
function dateTimeTimeZone(instant: DateTime, allDayLocal: DateTime | undefined, view: EventView): { dateTime: string; timeZone: string } {
  const label = view.timeZone ?? 'UTC';
  if (allDayLocal) return { dateTime: graphDateTime(allDayLocal), timeZone: label };
  return { dateTime: graphDateTime(instant.setZone(requireZone(label))), timeZone: label };
}

function joinUrl(book: CalendarBook, record: EventRecord): string {
  return `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${createHash('sha256').update(`${book.mailboxNumber}/${record.number}`).digest('hex').slice(0, 32)}%40thread.v2/0`;
}

function commonJson(book: CalendarBook, record: EventRecord, fields: EventFields): Event {
  const owner = book.calendar(record.calendar)?.owner ?? { name: '', address: '' };
  const organizer = fields.organizer ?? { emailAddress: owner };
  const online = fields.isOnlineMeeting === true;
  const body = fields.body ?? { contentType: 'html', content: '' };
  const preview = (body.content ?? '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 255);
  const location = fields.location ?? { displayName: '', locationType: 'default', uniqueIdType: 'unknown', address: {}, coordinates: {} };
  return {
    createdDateTime: iso(record.createdAt),
    lastModifiedDateTime: iso(record.lastModifiedAt),
    categories: fields.categories ?? [],
    originalStartTimeZone: fields.start.timeZone ?? 'UTC',
    originalEndTimeZone: fields.end.timeZone ?? 'UTC',
    reminderMinutesBeforeStart: fields.reminderMinutesBeforeStart ?? 15,
    isReminderOn: fields.isReminderOn ?? true,
    hasAttachments: fields.hasAttachments ?? false,
    subject: fields.subject ?? '',
    bodyPreview: preview,
    importance: fields.importance ?? 'normal',
    sensitivity: fields.sensitivity ?? 'normal',
    isAllDay: fields.isAllDay ?? false,
    isCancelled: false,
    isOrganizer: organizer.emailAddress?.address?.toLowerCase() === owner.address?.toLowerCase(),
    responseRequested: true,
    showAs: fields.showAs ?? 'busy',
    onlineMeetingUrl: null,
    isOnlineMeeting: online,
    onlineMeetingProvider: online ? 'teamsForBusiness' : 'unknown',
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: false,
    responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
    body,
    location,
    locations: fields.location ? [location] : [],
    attendees: fields.attendees ?? [],
    organizer,
    onlineMeeting: online ? { joinUrl: joinUrl(book, record) } : null,
  };
}

/** The event itself: a single instance or a series master (with its recurrence). */
export function eventJson(book: CalendarBook, record: EventRecord, view: EventView): Event {
  const allDay = record.fields.isAllDay === true;
  const start = eventStart(record.fields);
  const end = eventEnd(record.fields);
  return {
    id: book.idOf(record, view.immutableIds),
    ...commonJson(book, record, record.fields),
    changeKey: changeKey(record.number, record.changeCount),
    iCalUId: iCalUId(book, record),
    type: record.recurrence ? 'seriesMaster' : 'singleInstance',
    seriesMasterId: null,
    start: dateTimeTimeZone(start, allDay ? start : undefined, view),
    end: dateTimeTimeZone(end, allDay ? end : undefined, view),
    recurrence: record.recurrence ?? null,
    ...(record.recurrence && view.withCancelledOccurrences ? { cancelledOccurrences: record.cancelledDates.map((date) => `OID.${book.idOf(record, view.immutableIds)}.${date}`) } : {}),
  };
}

/** One occurrence or exception, or a single instance, as calendarView and instances list it. */
export function instanceJson(book: CalendarBook, instance: EventInstance, view: EventView): Event {
  if (instance.type === 'singleInstance') return eventJson(book, instance.record, view);
  const { record } = instance;
  const exception = record.exceptions.find((candidate) => candidate.date === instance.date);
  const allDay = instance.fields.isAllDay === true;
  const localStart = allDay ? instance.start.setZone(requireZone(instance.fields.start.timeZone ?? 'UTC')) : undefined;
  const localEnd = allDay ? instance.end.setZone(requireZone(instance.fields.end.timeZone ?? 'UTC')) : undefined;
  const master = book.idOf(record, view.immutableIds);
  const json: Event = {
    id: book.instanceIdOf(instance, view.immutableIds),
    ...commonJson(book, record, instance.fields),
    changeKey: changeKey(record.number, record.changeCount, instance.date ?? '', exception?.changeCount ?? -1),
    iCalUId: iCalUId(book, record, instance.date),
    type: instance.type,
    seriesMasterId: master,
    originalStart: instance.originalStart?.toUTC().toISO({ suppressMilliseconds: true }) ?? null,
    start: dateTimeTimeZone(instance.start, localStart, view),
    end: dateTimeTimeZone(instance.end, localEnd, view),
    recurrence: null,
  };
  if (exception) json.lastModifiedDateTime = iso(Math.max(record.lastModifiedAt, exception.lastModifiedAt));
  return json;
}

export function calendarJson(book: CalendarBook, calendar: CalendarRecord): Calendar {
  const own = calendar.owner.address?.toLowerCase() === book.defaultCalendar.owner.address?.toLowerCase();
  return {
    id: book.calendarIdOf(calendar),
    name: calendar.name,
    color: (calendar.color as Calendar['color']) ?? 'auto',
    hexColor: '',
    isDefaultCalendar: calendar.isDefault,
    changeKey: changeKey('calendar', calendar.number, calendar.changeCount),
    canShare: own,
    canViewPrivateItems: own,
    canEdit: own,
    allowedOnlineMeetingProviders: ['teamsForBusiness'],
    defaultOnlineMeetingProvider: 'teamsForBusiness',
    isTallyingResponses: calendar.isDefault,
    isRemovable: own && !calendar.isDefault,
    owner: { name: calendar.owner.name ?? '', address: calendar.owner.address ?? '' },
  };
}
