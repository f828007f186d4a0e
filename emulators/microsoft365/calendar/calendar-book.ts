import type { EmailAddress, PatternedRecurrence } from '@microsoft/microsoft-graph-types';
import { calendarId, decodeCalendarId, decodeEventId, eventId, dateOfDay } from './calendar-ids.js';
import type { CalendarRecord, EventFields, EventRecord, ExceptionFields } from './event-record.js';
import { isSeriesDate, occurrenceOn, type EventInstance } from './instances.js';

/** A change as calendarView delta replays it: which event, in which calendar, and how it looked before. */
export interface CalendarChange {
  seq: number;
  event: number;
  calendar: number;
  /** The record before the change (null when it is new to this calendar): what it showed then is what may need @removed now. */
  before: EventRecord | null;
}

export interface CalendarBookSnapshot {
  seq: number;
  floorSeq: number;
  nextEventNumber: number;
  calendars: CalendarRecord[];
  events: EventRecord[];
  log: CalendarChange[];
}

export const defaultCalendarName = 'Calendar';
const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const copy = <T>(value: T): T => structuredClone(value);

/**
 * The calendars of one mailbox and their events. The default calendar
 * ("Calendar", isDefaultCalendar true) always exists; others are added by
 * name, and a calendar shared with the user carries the sharer as `owner`
 * (calendar resource, learn.microsoft.com/graph/api/resources/calendar).
 * One change log per mailbox feeds calendarView delta of every calendar.
 */
export class CalendarBook {
  private readonly calendars = new Map<number, CalendarRecord>();
  private readonly events = new Map<number, EventRecord>();
  private log: CalendarChange[] = [];
  private seq = 0;
  private floorSeq = 0;
  private nextEventNumber = 1;

  constructor(
    readonly mailboxNumber: number,
    private readonly owner: () => EmailAddress,
    private readonly retention: number,
  ) {}

  get currentSeq(): number {
    return this.seq;
  }

  canServe(seq: number): boolean {
    return seq >= this.floorSeq;
  }

  /** Changes with fromSeq < seq <= untilSeq, oldest first. */
  changesBetween(fromSeq: number, untilSeq: number): CalendarChange[] {
    return this.log.filter((change) => change.seq > fromSeq && change.seq <= untilSeq);
  }

  // ---- calendars -----------------------------------------------------------

  get defaultCalendar(): CalendarRecord {
    return this.ensureCalendar(defaultCalendarName);
  }

  allCalendars(): CalendarRecord[] {
    this.ensureDefault();
    return [...this.calendars.values()].sort((a, b) => a.number - b.number);
  }

  calendar(number: number): CalendarRecord | undefined {
    this.ensureDefault();
    return this.calendars.get(number);
  }

  calendarIdOf(calendar: CalendarRecord | number): string {
    return calendarId(this.mailboxNumber, typeof calendar === 'number' ? calendar : calendar.number);
  }

  resolveCalendar(id: string): CalendarRecord | undefined {
    const decoded = decodeCalendarId(id);
    return decoded && decoded.mailbox === this.mailboxNumber ? this.calendar(decoded.calendar) : undefined;
  }

  calendarByName(name: string): CalendarRecord | undefined {
    this.ensureDefault();
    return [...this.calendars.values()].find((calendar) => calendar.name.toLowerCase() === name.toLowerCase());
  }

  /** The calendar of that name, created (owned by the user, or by `sharedBy`) when missing. */
  ensureCalendar(name: string, sharedBy?: EmailAddress): CalendarRecord {
    this.ensureDefault();
    const existing = this.calendarByName(name);
    if (existing) return existing;
    const number = Math.max(0, ...this.calendars.keys()) + 1;
    const calendar: CalendarRecord = { number, name, isDefault: false, owner: sharedBy ?? this.owner(), color: 'auto', changeCount: 0 };
    this.calendars.set(number, calendar);
    return calendar;
  }

  private ensureDefault(): void {
    if (this.calendars.size === 0) this.calendars.set(1, { number: 1, name: defaultCalendarName, isDefault: true, owner: this.owner(), color: 'auto', changeCount: 0 });
  }

  // ---- events --------------------------------------------------------------

  addEvent(calendar: CalendarRecord, fields: EventFields, recurrence?: PatternedRecurrence): EventRecord {
    const now = nowSeconds();
    const record: EventRecord = {
      number: this.nextEventNumber++,
      calendar: calendar.number,
      moveCount: 0,
      fields: copy(fields),
      exceptions: [],
      cancelledDates: [],
      createdAt: now,
      lastModifiedAt: now,
      changeCount: 0,
    };
    if (recurrence) record.recurrence = copy(recurrence);
    this.events.set(record.number, record);
    this.append(record.number, calendar.number, null);
    return record;
  }

  event(number: number): EventRecord | undefined {
    return this.events.get(number);
  }

  allEvents(): EventRecord[] {
    return [...this.events.values()];
  }

  eventsIn(calendar: CalendarRecord): EventRecord[] {
    return this.allEvents().filter((record) => record.calendar === calendar.number);
  }

  idOf(record: Pick<EventRecord, 'number' | 'moveCount'>, immutable: boolean, date?: string): string {
    return eventId(this.mailboxNumber, record.number, record.moveCount, immutable, date);
  }

  instanceIdOf(instance: EventInstance, immutable: boolean): string {
    return this.idOf(instance.record, immutable, instance.date);
  }

  /**
   * What an id names now: the event, or one occurrence of a series (not a
   * cancelled one). An ordinary id from before a move names nothing (404).
   */
  find(id: string): { record: EventRecord; instance?: EventInstance } | undefined {
    const decoded = decodeEventId(id);
    if (!decoded || decoded.mailbox !== this.mailboxNumber) return undefined;
    const record = this.events.get(decoded.event);
    if (!record || (!decoded.immutable && (decoded.moveCount & 0xffff) !== (record.moveCount & 0xffff))) return undefined;
    if (decoded.day === 0) return { record };
    const instance = occurrenceOn(record, dateOfDay(decoded.day));
    return instance ? { record, instance } : undefined;
  }

  /** New field values for the event (a series' master), new exceptions and cancelled dates; one logged change. */
  updateEvent(
    record: EventRecord,
    change: { fields?: Partial<EventFields>; recurrence?: PatternedRecurrence | null; exceptions?: { date: string; fields: ExceptionFields }[]; cancelledDates?: string[] },
  ): void {
    const before = copy(record);
    if (change.fields) record.fields = { ...record.fields, ...copy(change.fields) };
    if (change.recurrence === null) {
      delete record.recurrence;
      record.exceptions = [];
      record.cancelledDates = [];
    } else if (change.recurrence) record.recurrence = copy(change.recurrence);
    const now = nowSeconds();
    for (const exception of change.exceptions ?? []) {
      const existing = record.exceptions.find((candidate) => candidate.date === exception.date);
      if (existing) {
        existing.fields = { ...existing.fields, ...copy(exception.fields) };
        existing.changeCount++;
        existing.lastModifiedAt = now;
      } else record.exceptions.push({ date: exception.date, fields: copy(exception.fields), changeCount: 0, lastModifiedAt: now });
    }
    for (const date of change.cancelledDates ?? []) {
      if (!record.cancelledDates.includes(date)) record.cancelledDates.push(date);
      record.exceptions = record.exceptions.filter((exception) => exception.date !== date);
    }
    record.cancelledDates.sort();
    record.changeCount++;
    record.lastModifiedAt = Math.max(now, record.createdAt);
    this.append(record.number, record.calendar, before);
  }

  /** To another calendar: removed from the old one's delta, new in the new one's; the ordinary id changes, the immutable id stays. */
  moveEvent(record: EventRecord, destination: CalendarRecord): void {
    if (record.calendar === destination.number) return;
    const before = copy(record);
    record.calendar = destination.number;
    record.moveCount++;
    record.changeCount++;
    record.lastModifiedAt = Math.max(nowSeconds(), record.createdAt);
    this.append(record.number, before.calendar, before);
    this.append(record.number, destination.number, null);
  }

  deleteEvent(record: EventRecord): void {
    this.events.delete(record.number);
    this.append(record.number, record.calendar, copy(record));
  }

  isSeriesDate(record: EventRecord, date: string): boolean {
    return isSeriesDate(record, date);
  }

  /** After bulk seeding: changes so far are not replayable. */
  forgetChangeHistory(): void {
    this.seq++;
    this.floorSeq = this.seq;
    this.log = [];
  }

  toSnapshot(): CalendarBookSnapshot {
    return copy({ seq: this.seq, floorSeq: this.floorSeq, nextEventNumber: this.nextEventNumber, calendars: [...this.calendars.values()], events: this.allEvents(), log: this.log });
  }

  restore(snapshot: CalendarBookSnapshot): void {
    this.calendars.clear();
    this.events.clear();
    for (const calendar of snapshot.calendars) this.calendars.set(calendar.number, copy(calendar));
    for (const record of snapshot.events) this.events.set(record.number, copy(record));
    this.log = copy(snapshot.log);
    this.seq = snapshot.seq;
    this.floorSeq = snapshot.floorSeq;
    this.nextEventNumber = snapshot.nextEventNumber;
  }

  private append(event: number, calendar: number, before: EventRecord | null): void {
    this.log.push({ seq: ++this.seq, event, calendar, before });
    if (this.log.length > this.retention) {
      const dropped = this.log.splice(0, Math.ceil(this.retention / 2));
      this.floorSeq = Math.max(this.floorSeq, dropped[dropped.length - 1]?.seq ?? 0);
    }
  }
}
