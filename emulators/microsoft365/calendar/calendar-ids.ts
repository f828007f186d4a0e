import { mixSeed } from '../../mime/random.js';

/**
 * Event and calendar ids: opaque base64 like Exchange's, with a checksum so a
 * mangled id (400 ErrorInvalidIdMalformed) is told apart from a gone one
 * (404). An occurrence's id names its series and its date, so it is stable
 * and distinct per occurrence; nothing outside this file reads it.
 * The ordinary event id carries the move count and changes when the event
 * moves to another calendar; the immutable one (Prefer: IdType="ImmutableId")
 * does not (learn.microsoft.com/graph/outlook-immutable-id: event is covered).
 */
type Kind = 'event' | 'immutableEvent' | 'calendar';
const prefixes: Record<Kind, string> = { event: 'AAMkAGVl', immutableEvent: 'AAkALgBl', calendar: 'AAMkAGNh' };
const suffix = 'AAA=';
const payloadBytes = 16;

export interface DecodedEventId {
  mailbox: number;
  event: number;
  moveCount: number;
  /** Days since 1970-01-01 plus one for an occurrence; 0 for the event itself. */
  day: number;
  immutable: boolean;
}

function encode(kind: Kind, mailbox: number, item: number, version: number, day: number): string {
  const payload = Buffer.alloc(payloadBytes);
  payload.writeUInt32BE(mailbox, 0);
  payload.writeUInt32BE(item, 4);
  payload.writeUInt16BE(version & 0xffff, 8);
  payload.writeUInt32BE(day, 10);
  payload.writeUInt16BE(mixSeed(prefixes[kind].length, mailbox, item, version & 0xffff, day) & 0xffff, 14);
  return `${prefixes[kind]}${payload.toString('base64url')}${suffix}`;
}

function decode(kind: Kind, id: string): { mailbox: number; item: number; version: number; day: number } | undefined {
  const prefix = prefixes[kind];
  if (!id.startsWith(prefix) || !id.endsWith(suffix)) return undefined;
  const payload = Buffer.from(id.slice(prefix.length, id.length - suffix.length), 'base64url');
  if (payload.length !== payloadBytes) return undefined;
  const mailbox = payload.readUInt32BE(0);
  const item = payload.readUInt32BE(4);
  const version = payload.readUInt16BE(8);
  const day = payload.readUInt32BE(10);
  if (payload.readUInt16BE(14) !== (mixSeed(prefix.length, mailbox, item, version, day) & 0xffff)) return undefined;
  return { mailbox, item, version, day };
}

const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000) + 1;

/** The id of an event (date undefined) or of one of its occurrences (its date in the recurrence time zone). */
export function eventId(mailbox: number, event: number, moveCount: number, immutable: boolean, date?: string): string {
  const day = date === undefined ? 0 : dayNumber(date);
  return immutable ? encode('immutableEvent', mailbox, event, 0, day) : encode('event', mailbox, event, moveCount, day);
}

export function decodeEventId(id: string): DecodedEventId | undefined {
  const ordinary = decode('event', id);
  if (ordinary) return { mailbox: ordinary.mailbox, event: ordinary.item, moveCount: ordinary.version, day: ordinary.day, immutable: false };
  const immutable = decode('immutableEvent', id);
  return immutable ? { mailbox: immutable.mailbox, event: immutable.item, moveCount: 0, day: immutable.day, immutable: true } : undefined;
}

export const dateOfDay = (day: number): string => new Date((day - 1) * 86_400_000).toISOString().slice(0, 10);

export const calendarId = (mailbox: number, calendar: number): string => encode('calendar', mailbox, calendar, 0, 0);

export function decodeCalendarId(id: string): { mailbox: number; calendar: number } | undefined {
  const decoded = decode('calendar', id);
  return decoded ? { mailbox: decoded.mailbox, calendar: decoded.item } : undefined;
}
