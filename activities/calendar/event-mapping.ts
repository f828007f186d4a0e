import type { DateTimeTimeZone, Event } from '@microsoft/microsoft-graph-types';
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar/v3.js';
import { DateTime } from 'luxon';
import { ItemErrorCode } from '../../shared/vocabulary.js';
import { descriptionOf, joinUrlOf } from './event-description.js';
import { googleEventIdOf } from './event-ids.js';
import { peopleOf, type EventOwner } from './event-people.js';
import { recurrenceLinesOf, wallClock } from './recurrence-rule.js';
import { ianaTimeZoneOf } from './time-zones.js';

type GoogleEvent = calendar_v3.Schema$Event;

/** The private extended property carrying the source event's immutable id: events.list privateExtendedProperty=m365EventId=… finds a copy after a crash. */
export const SOURCE_EVENT_ID_KEY = 'm365EventId';
/** The private extended property keeping Outlook's categories as text (Google has no categories; its colours are a fixed palette). */
export const CATEGORIES_KEY = 'm365Categories';
/** Reminder overrides take "minutes 0-40320" (Event schema reminders.overrides[].minutes). */
export const MAX_REMINDER_MINUTES = 40_320;

export interface EventMappingContext extends EventOwner {
  /** IANA zone for an event whose zone cannot be read (tzone://Microsoft/Custom): the mailbox's zone, else 'UTC'. */
  fallbackTimeZone: string;
  /** For a series master: its cancelledOccurrences (Graph's "OID.{id}.yyyy-MM-dd" values, or plain dates), written as EXDATEs. */
  cancelledOccurrences?: readonly string[];
}

export interface EventRefusal {
  code: ItemErrorCode;
  reason: string;
}

export interface MappedEvent {
  event: GoogleEvent;
  /** What did not carry over, for the items view. */
  lost: string[];
  /** Set when Google cannot take the event as it is (a recurrence it cannot express): list it, do not write it. */
  refusal?: EventRefusal;
}

interface Times {
  start: calendar_v3.Schema$EventDateTime;
  end: calendar_v3.Schema$EventDateTime;
  /** The series start as wall clock in `timeZone` (for the RRULE), and that zone. */
  local: string;
  timeZone: string;
  lost: string[];
}

const isMidnight = (at: DateTime): boolean => at.hour === 0 && at.minute === 0 && at.second === 0;

/** A Graph dateTimeTimeZone as an instant (its timeZone is UTC unless the reader asked for another with Prefer: outlook.timezone). */
function instantOf(value: DateTimeTimeZone | null | undefined, fallback: string): DateTime {
  const zone = ianaTimeZoneOf(value?.timeZone ?? 'UTC', fallback).timeZone;
  return wallClock(value?.dateTime ?? '', zone);
}

/**
 * Start and end in the event's own zone (originalStartTimeZone, as Outlook
 * shows it), so a recurrence expands in that zone across daylight-saving
 * changes. All-day events become dates, end exclusive (as Graph's end
 * already is): the date part at midnight as Graph gives it, else the date in
 * the event's own zone (OGCS takes the date part too).
 */
function timesOf(event: Event, fallback: string): Times {
  const lost: string[] = [];
  const startZone = ianaTimeZoneOf(event.originalStartTimeZone ?? event.start?.timeZone, fallback);
  const endZone = ianaTimeZoneOf(event.originalEndTimeZone ?? event.originalStartTimeZone ?? event.end?.timeZone, fallback);
  if (startZone.fellBack) lost.push(`time zone ${event.originalStartTimeZone ?? '(none)'} (shown in ${startZone.timeZone})`);
  const start = instantOf(event.start, fallback);
  const end = instantOf(event.end, fallback);
  if (event.isAllDay) {
    const dayOf = (at: DateTime, zone: string): DateTime => (isMidnight(at) ? at : at.setZone(zone)).startOf('day');
    const startDay = dayOf(start, startZone.timeZone);
    let endDay = dayOf(end, endZone.timeZone);
    if (endDay <= startDay) endDay = startDay.plus({ days: 1 });
    return { start: { date: startDay.toISODate() }, end: { date: endDay.toISODate() }, local: startDay.toISODate()!, timeZone: startZone.timeZone, lost };
  }
  const localStart = start.setZone(startZone.timeZone);
  return {
    start: { dateTime: localStart.toISO({ suppressMilliseconds: true }), timeZone: startZone.timeZone },
    end: { dateTime: end.setZone(endZone.timeZone).toISO({ suppressMilliseconds: true }), timeZone: endZone.timeZone },
    local: localStart.toFormat("yyyy-LL-dd'T'HH:mm:ss"),
    timeZone: startZone.timeZone,
    lost,
  };
}

/** One string for Google's single location: every Outlook location's name, joined (Outlook's several locations have no Google equivalent). */
function locationOf(event: Event): string | undefined {
  const names = (event.locations ?? []).map((location) => location.displayName?.trim()).filter((name): name is string => !!name);
  const all = names.length > 0 ? names : [event.location?.displayName?.trim()].filter((name): name is string => !!name);
  return all.length > 0 ? [...new Set(all)].join('; ') : undefined;
}

function remindersOf(event: Event, lost: string[]): calendar_v3.Schema$Event['reminders'] {
  if (!event.isReminderOn) return { useDefault: false, overrides: [] };
  const minutes = Math.max(0, Math.round(event.reminderMinutesBeforeStart ?? 15));
  if (minutes > MAX_REMINDER_MINUTES) lost.push(`reminder ${minutes} minutes before (Google's longest is ${MAX_REMINDER_MINUTES})`);
  return { useDefault: false, overrides: [{ method: 'popup', minutes: Math.min(minutes, MAX_REMINDER_MINUTES) }] };
}

/** showAs: only free is transparent; tentative, oof and workingElsewhere show as busy (OGCS maps only free→transparent). */
function transparencyOf(event: Event, lost: string[]): string {
  const showAs = event.showAs ?? 'busy';
  if (showAs === 'tentative' || showAs === 'oof' || showAs === 'workingElsewhere') lost.push(`free/busy ${showAs} (shown as busy)`);
  return showAs === 'free' ? 'transparent' : 'opaque';
}

/** sensitivity: normal→default, everything else→private, as OGCS does (Google's "confidential" is "provided for compatibility reasons" and means private). */
function visibilityOf(event: Event, lost: string[]): string {
  const sensitivity = event.sensitivity ?? 'normal';
  if (sensitivity === 'personal' || sensitivity === 'confidential') lost.push(`sensitivity ${sensitivity} (shown as private)`);
  return sensitivity === 'normal' ? 'default' : 'private';
}

/** The day of a cancelled occurrence: Graph gives "OID.{masterId}.yyyy-MM-dd" (OGCS O365Calendar.cs), day granularity only. */
const cancelledDayOf = (value: string): string | undefined => /(\d{4}-\d{2}-\d{2})$/.exec(value)?.[1];

/**
 * The Google event for an Outlook event: single, or a series master with its
 * RRULE and EXDATEs (occurrences and exceptions are instanceOverrideOf's).
 * The table in README ("Calendar: what is copied") says what goes where.
 */
export function googleEventOf(event: Event, context: EventMappingContext): MappedEvent {
  const times = timesOf(event, context.fallbackTimeZone);
  const lost = [...times.lost];
  const { description, lost: descriptionLost } = descriptionOf(event);
  lost.push(...descriptionLost);
  const people = peopleOf(event, context);
  lost.push(...people.lost);
  const location = locationOf(event) ?? joinUrlOf(event);
  const categories = (event.categories ?? []).filter(Boolean);
  if (categories.length > 0) lost.push('categories (kept only as hidden text)');
  if (event.hasAttachments) lost.push('attachments');
  if (event.importance && event.importance !== 'normal') lost.push(`importance ${event.importance}`);
  const sourceId = event.id ?? '';
  const googleEvent: GoogleEvent = {
    id: googleEventIdOf(sourceId),
    // events.import requires iCalUID; an event without one (rare) gets one derived from its id.
    iCalUID: event.iCalUId ?? `${googleEventIdOf(sourceId)}@m365-continuity`,
    summary: event.subject ?? undefined,
    description,
    location,
    start: times.start,
    end: times.end,
    reminders: remindersOf(event, lost),
    transparency: transparencyOf(event, lost),
    visibility: visibilityOf(event, lost),
    organizer: people.organizer,
    attendees: people.attendees,
    extendedProperties: { private: { [SOURCE_EVENT_ID_KEY]: sourceId, ...(categories.length > 0 ? { [CATEGORIES_KEY]: categories.join(', ').slice(0, 1024) } : {}) } },
  };
  if (event.type !== 'seriesMaster' || !event.recurrence) return { event: googleEvent, lost };
  const startTime = times.local.slice(10);
  const cancelledStarts = (context.cancelledOccurrences ?? [])
    .map(cancelledDayOf)
    .filter((day): day is string => !!day)
    .map((day) => day + startTime);
  const recurrence = recurrenceLinesOf(event.recurrence, { local: times.local, timeZone: times.timeZone, allDay: event.isAllDay === true }, cancelledStarts);
  if ('verdict' in recurrence) return { event: googleEvent, lost, refusal: { code: ItemErrorCode.UnsupportedFormat, reason: recurrence.verdict.reason } };
  const recurrenceZone = event.recurrence.range?.recurrenceTimeZone;
  if (recurrenceZone && ianaTimeZoneOf(recurrenceZone, times.timeZone).timeZone !== times.timeZone) lost.push(`recurrence time zone ${recurrenceZone} (expanded in ${times.timeZone})`);
  // "For recurring events this field is required and specifies the time zone in which the recurrence is expanded" (Event schema start.timeZone), all-day ones included.
  const zoned = { start: { ...googleEvent.start, timeZone: times.timeZone }, end: { ...googleEvent.end, timeZone: times.timeZone } };
  return { event: { ...googleEvent, ...zoned, recurrence: recurrence.lines }, lost };
}

/** The fields an instance override may change relative to its series (Google: patch the instance found by originalStartTime). */
const overridable = ['summary', 'description', 'location', 'start', 'end', 'reminders', 'transparency', 'visibility', 'attendees'] as const;

export interface InstanceOverride {
  /** The instance's original start as Google's originalStartTime ("uniquely identifies the instance ... even if the instance was moved"). */
  originalStartTime: calendar_v3.Schema$EventDateTime;
  /** The patch body: start and end always, the other fields only where they differ from the series. */
  patch: GoogleEvent;
  lost: string[];
}

/**
 * A modified occurrence (Graph type exception) as a patch of the Google
 * instance it replaces. Per-instance titles, descriptions and locations are
 * kept (CloudM says its migration keeps only times). The patch names no id
 * and no extended property: patching twice gives the same instance, so a
 * retry after a crash needs no lookup.
 */
export function instanceOverrideOf(exception: Event, master: Event, context: EventMappingContext): InstanceOverride {
  const own = googleEventOf({ ...exception, type: 'exception', recurrence: null }, context);
  const series = googleEventOf({ ...master, type: 'singleInstance', recurrence: null }, context);
  const patch: GoogleEvent = {};
  for (const field of overridable) {
    if (field === 'start' || field === 'end' || JSON.stringify(own.event[field]) !== JSON.stringify(series.event[field])) Object.assign(patch, { [field]: own.event[field] ?? null });
  }
  const seriesZone = series.event.start?.timeZone ?? 'UTC';
  const original = DateTime.fromISO(exception.originalStart ?? '', { setZone: true });
  const originalStartTime = master.isAllDay
    ? { date: (original.isValid ? (isMidnight(original) ? original : original.setZone(seriesZone)) : DateTime.fromISO(series.event.start?.date ?? '')).toISODate() }
    : { dateTime: original.setZone(seriesZone).toISO({ suppressMilliseconds: true }), timeZone: seriesZone };
  return { originalStartTime, patch, lost: own.lost.filter((entry) => !series.lost.includes(entry)) };
}
