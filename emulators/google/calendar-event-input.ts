import { DateTime, IANAZone } from 'luxon';
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar/v3.js';
import { calendarError, invalidResourceId, invalidValue, requiredField, timeRangeEmpty } from './calendar-errors.js';
import { checkRecurrence, RecurrenceError } from './calendar-recurrence.js';
import type { CalendarLimitOptions } from './options.js';

type EventDateTime = calendar_v3.Schema$EventDateTime;

/**
 * Client-chosen ids: "characters allowed in the ID are those used in base32hex
 * encoding, i.e. lowercase letters a-v and digits 0-9 … the length of the ID
 * must be between 5 and 1024 characters" (Event.id, Calendar v3 discovery).
 */
export function checkEventId(id: unknown): string {
  if (typeof id !== 'string' || !/^[a-v0-9]{5,1024}$/.test(id)) throw invalidResourceId();
  return id;
}

/** Fields the client may write; read-only ones (Event schema: kind, etag, htmlLink, created, updated, creator...) are dropped. */
const writableFields = [
  'id',
  'summary',
  'description',
  'location',
  'start',
  'end',
  'endTimeUnspecified',
  'recurrence',
  'status',
  'transparency',
  'visibility',
  'iCalUID',
  'sequence',
  'attendees',
  'attendeesOmitted',
  'extendedProperties',
  'reminders',
  'attachments',
  'colorId',
  'conferenceData',
  'guestsCanInviteOthers',
  'guestsCanModify',
  'guestsCanSeeOtherGuests',
  'anyoneCanAddSelf',
  'source',
  'eventType',
  'originalStartTime',
  'organizer',
] as const;

export function writableCopy(body: Record<string, unknown>): calendar_v3.Schema$Event {
  const copy: Record<string, unknown> = {};
  for (const field of writableFields) if (body[field] !== undefined && body[field] !== null) copy[field] = structuredClone(body[field]);
  return copy as calendar_v3.Schema$Event;
}

function instantOf(value: EventDateTime | undefined, which: 'start' | 'end'): number {
  if (!value || (!value.date && !value.dateTime)) throw requiredField(`Missing ${which} time.`);
  if (value.timeZone && !IANAZone.isValidZone(value.timeZone)) throw invalidValue(`Invalid time zone definition for ${which} time.`);
  if (value.date) {
    const day = DateTime.fromISO(value.date, { zone: value.timeZone ?? 'UTC' });
    if (!day.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(value.date)) throw invalidValue(`Invalid ${which} date.`);
    return day.toMillis();
  }
  const text = value.dateTime!;
  const hasOffset = /(Z|[+-]\d{2}:\d{2})$/i.test(text);
  // "A time zone offset is required unless a time zone is explicitly specified in timeZone" (EventDateTime.dateTime).
  if (!hasOffset && !value.timeZone) throw requiredField(`Missing time zone definition for ${which} time.`);
  const parsed = DateTime.fromISO(text, hasOffset ? { setZone: true } : { zone: value.timeZone! });
  if (!parsed.isValid) throw invalidValue(`Invalid ${which} time.`);
  return parsed.toMillis();
}

/** A dateTime given without offset, written with the offset of its timeZone, as Google answers it. */
function normalise(value: EventDateTime): EventDateTime {
  if (!value.dateTime || /(Z|[+-]\d{2}:\d{2})$/i.test(value.dateTime)) return value;
  const parsed = DateTime.fromISO(value.dateTime, { zone: value.timeZone! });
  return { ...value, dateTime: parsed.toISO({ suppressMilliseconds: true }) };
}

/**
 * Checks a complete event (after a patch is applied) against Google's rules
 * and the limits of CalendarLimitOptions. Throws the 400 Google answers.
 */
export function checkEvent(event: calendar_v3.Schema$Event, limits: CalendarLimitOptions, isInstance: boolean): void {
  const startMs = instantOf(event.start, 'start');
  const endMs = instantOf(event.end, 'end');
  if (Boolean(event.start!.date) !== Boolean(event.end!.date)) throw invalidValue('Start and end times must either both be date or both be dateTime.');
  if (endMs < startMs || (event.start!.date && endMs === startMs)) throw timeRangeEmpty();
  event.start = normalise(event.start!);
  event.end = normalise(event.end!);
  if (event.recurrence && event.recurrence.length > 0) {
    if (isInstance) throw invalidValue('An instance of a recurring event cannot have a recurrence of its own.');
    // "For recurring events this field is required" (EventDateTime.timeZone).
    if (!event.start!.timeZone) throw requiredField('Missing time zone definition for start time.');
    if (!event.end!.timeZone) throw requiredField('Missing time zone definition for end time.');
    try {
      checkRecurrence(event);
    } catch (error) {
      if (error instanceof RecurrenceError) throw invalidValue(error.message);
      throw error;
    }
  }
  const overrides = event.reminders?.overrides ?? [];
  // "The maximum number of override reminders is 5" and minutes "between 0 and 40320 (4 weeks in minutes)" (Event.reminders).
  if (overrides.length > 5) throw calendarError(400, 'cannotUseDefaultRemindersAndSpecifyOverride', 'The maximum number of override reminders is 5.');
  for (const reminder of overrides) {
    if (!Number.isInteger(reminder.minutes) || reminder.minutes! < 0 || reminder.minutes! > 40_320) throw invalidValue('Reminder minutes must be between 0 and 40320.');
    if (reminder.method !== 'email' && reminder.method !== 'popup') throw invalidValue('Reminder method must be email or popup.');
  }
  if (event.reminders?.useDefault && overrides.length > 0)
    throw calendarError(400, 'cannotUseDefaultRemindersAndSpecifyOverride', 'Cannot specify both default reminders and overrides at the same time.');
  if ((event.description ?? '').length > limits.maxDescriptionLength) throw invalidValue(`The description is longer than ${limits.maxDescriptionLength} characters.`);
  // "There can be at most 25 attachments per event" (Event.attachments).
  if ((event.attachments ?? []).length > 25) throw invalidValue('There can be at most 25 attachments per event.');
  if ((event.attendees ?? []).length > limits.maxAttendeesPerEvent) throw invalidValue(`An event can have at most ${limits.maxAttendeesPerEvent} attendees.`);
  for (const attendee of event.attendees ?? []) {
    if (!attendee.email || !/^[^@\s]+@[^@\s]+$/.test(attendee.email)) throw requiredField('Missing attendee email.');
  }
  if (event.status && !['confirmed', 'tentative', 'cancelled'].includes(event.status)) throw invalidValue('Invalid status value.');
  if (event.visibility && !['default', 'public', 'private', 'confidential'].includes(event.visibility)) throw invalidValue('Invalid visibility value.');
  if (event.transparency && !['opaque', 'transparent'].includes(event.transparency)) throw invalidValue('Invalid transparency value.');
}

/** The instant an EventDateTime names (checked already), epoch ms. */
export function startInstant(value: EventDateTime | undefined): number {
  if (!value) return 0;
  if (value.date) return DateTime.fromISO(value.date, { zone: value.timeZone ?? 'UTC' }).toMillis();
  return DateTime.fromISO(value.dateTime ?? '', { setZone: true }).toMillis();
}
