import { randomBytes } from 'node:crypto';
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar/v3.js';

export type EventResource = calendar_v3.Schema$Event;

/** One event as the emulator keeps it: the resource as Google would answer it (status cancelled once deleted). */
export interface StoredEvent {
  resource: EventResource;
  /** Epoch ms of the last change; list's updatedMin and syncToken compare against it. */
  updatedMs: number;
}

export interface StoredCalendar {
  id: string;
  summary: string;
  description?: string;
  location?: string;
  timeZone: string;
  primary: boolean;
  etagRevision: number;
  /** Events, instance overrides (id `{master}_{start}`) and tombstones of deleted events, by id. */
  events: Map<string, StoredEvent>;
}

export interface CalendarAccountSnapshot {
  calendars: Array<Omit<StoredCalendar, 'events'> & { events: StoredEvent[] }>;
  calendarCreations: number[];
  attendeeWrites: number[];
  readOnlyUntil: number;
}

/** base32hex (RFC 2938 §3.1.2): the alphabet of event ids, generated and client-chosen alike. */
const base32hex = '0123456789abcdefghijklmnopqrstuv';

export function newEventId(): string {
  return [...randomBytes(26)].map((byte) => base32hex[byte % 32]).join('');
}

/** Google's secondary calendar ids: `<random>@group.calendar.google.com`. */
function newCalendarId(): string {
  return `${randomBytes(16).toString('hex')}@group.calendar.google.com`;
}

/**
 * One user's calendars (the primary, whose id is the user's address, and the
 * secondaries the user owns) plus the timestamps that Calendar's use limits count.
 */
export class CalendarAccount {
  readonly calendars = new Map<string, StoredCalendar>();
  /** When calendars.insert created a calendar, epoch ms (the "60 new calendars in a short period" limit). */
  calendarCreations: number[] = [];
  /** When an event write carried attendees, epoch ms. */
  attendeeWrites: number[] = [];
  /** Until then every write answers "Calendar usage limits exceeded." (epoch ms). */
  readOnlyUntil = 0;
  private sequence = 0;

  constructor(
    readonly ownerEmail: string,
    private readonly changed: () => void,
    private readonly now: () => number,
  ) {
    this.calendars.set(ownerEmail, { id: ownerEmail, summary: ownerEmail, timeZone: 'UTC', primary: true, etagRevision: 1, events: new Map() });
  }

  /** `primary` is the alias of the user's own calendar (calendarId parameter, Calendar API reference). */
  find(calendarId: string): StoredCalendar | undefined {
    const id = calendarId === 'primary' ? this.ownerEmail : calendarId;
    return this.calendars.get(id) ?? this.calendars.get(id.toLowerCase());
  }

  get primary(): StoredCalendar {
    return this.calendars.get(this.ownerEmail)!;
  }

  createCalendar(fields: { summary: string; description?: string; location?: string; timeZone?: string }): StoredCalendar {
    const calendar: StoredCalendar = { id: newCalendarId(), ...fields, timeZone: fields.timeZone ?? 'UTC', primary: false, etagRevision: 1, events: new Map() };
    this.calendars.set(calendar.id, calendar);
    this.calendarCreations.push(this.now());
    this.touch();
    return calendar;
  }

  deleteCalendar(calendar: StoredCalendar): void {
    this.calendars.delete(calendar.id);
    this.touch();
  }

  /** Stores an event's new state; `updated` and `etag` follow, as Google's do on every change. */
  saveEvent(calendar: StoredCalendar, resource: EventResource): StoredEvent {
    const nowMs = this.nextChangeTime();
    resource.updated = new Date(nowMs).toISOString();
    resource.etag = `"${nowMs}${String(++this.sequence).padStart(4, '0')}"`;
    const stored = { resource, updatedMs: nowMs };
    calendar.events.set(resource.id!, stored);
    this.touch();
    return stored;
  }

  touch(): void {
    this.changed();
  }

  /** Strictly increasing change times, so updatedMin and sync tokens never miss two changes in one millisecond. */
  private lastChange = 0;
  private nextChangeTime(): number {
    this.lastChange = Math.max(this.now(), this.lastChange + 1);
    return this.lastChange;
  }

  snapshot(): CalendarAccountSnapshot {
    return {
      calendars: [...this.calendars.values()].map((calendar) => ({ ...calendar, events: [...calendar.events.values()].map((event) => structuredClone(event)) })),
      calendarCreations: [...this.calendarCreations],
      attendeeWrites: [...this.attendeeWrites],
      readOnlyUntil: this.readOnlyUntil,
    };
  }

  static fromSnapshot(ownerEmail: string, snapshot: CalendarAccountSnapshot, changed: () => void, now: () => number): CalendarAccount {
    const account = new CalendarAccount(ownerEmail, changed, now);
    account.calendars.clear();
    for (const { events, ...calendar } of snapshot.calendars) {
      account.calendars.set(calendar.id, { ...calendar, events: new Map(events.map((event) => [event.resource.id!, structuredClone(event)])) });
      for (const event of events) account.lastChange = Math.max(account.lastChange, event.updatedMs);
    }
    account.calendarCreations = [...snapshot.calendarCreations];
    account.attendeeWrites = [...snapshot.attendeeWrites];
    account.readOnlyUntil = snapshot.readOnlyUntil;
    return account;
  }
}
