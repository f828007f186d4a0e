import { DateTime } from 'luxon';
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar/v3.js';
import { startInstant } from './calendar-event-input.js';
import { expandOccurrences, type Occurrence } from './calendar-recurrence.js';
import type { EventResource, StoredCalendar } from './calendar-store.js';

/** The span of an event (its start and end instants, epoch ms). */
export function spanOf(event: EventResource): { startMs: number; endMs: number } {
  return { startMs: startInstant(event.start), endMs: startInstant(event.end) };
}

export const isRecurring = (event: EventResource): boolean => (event.recurrence ?? []).length > 0 && !event.recurringEventId;

/** Overlap as events.list reads it: timeMin bounds the end (exclusive), timeMax the start (exclusive). */
export function overlaps(event: EventResource, fromMs: number | undefined, toMs: number | undefined): boolean {
  const { startMs, endMs } = spanOf(event);
  if (fromMs !== undefined && endMs <= fromMs && !(endMs === startMs && startMs >= fromMs)) return false;
  if (toMs !== undefined && startMs >= toMs) return false;
  return true;
}

/** An unmodified instance of a series as Google answers it: the master's fields, its own id and times. */
export function virtualInstance(master: EventResource, occurrence: Occurrence): EventResource {
  const { recurrence: _recurrence, ...fields } = structuredClone(master);
  return { ...fields, id: occurrence.instanceId, recurringEventId: master.id!, originalStartTime: occurrence.start, start: occurrence.start, end: occurrence.end };
}

/** The overrides (modified or cancelled instances) of a series, stored as their own events. */
export function overridesOf(calendar: StoredCalendar, masterId: string): EventResource[] {
  return [...calendar.events.values()].map((stored) => stored.resource).filter((event) => event.recurringEventId === masterId);
}

/**
 * Instances of a series overlapping [fromMs, toMs): generated occurrences,
 * replaced by their overrides; a moved override counts where it now is.
 * Cancelled instances only with showDeleted.
 */
export function instancesOf(calendar: StoredCalendar, master: EventResource, fromMs: number | undefined, toMs: number | undefined, showDeleted: boolean, limit = 2500): EventResource[] {
  if (master.status === 'cancelled') return [];
  const overrides = new Map(overridesOf(calendar, master.id!).map((event) => [event.id!, event]));
  const found: EventResource[] = [];
  for (const occurrence of expandOccurrences(master, fromMs, toMs, limit)) {
    if (overrides.has(occurrence.instanceId)) continue;
    found.push(virtualInstance(master, occurrence));
  }
  for (const override of overrides.values()) {
    if (override.status === 'cancelled' ? !showDeleted : !overlaps(override, fromMs, toMs)) continue;
    if (override.status === 'cancelled' && !overlaps({ ...override, start: override.originalStartTime, end: override.originalStartTime }, fromMs, toMs)) continue;
    found.push(override);
  }
  return found.sort((a, b) => spanOf(a).startMs - spanOf(b).startMs).slice(0, limit);
}

/**
 * Resolves an instance id `{masterId}_{yyyyMMdd[THHmmssZ]}` to its series and
 * occurrence, or undefined when the id names no occurrence of a live series.
 */
export function findOccurrence(calendar: StoredCalendar, instanceId: string): { master: EventResource; occurrence: Occurrence } | undefined {
  const cut = instanceId.lastIndexOf('_');
  if (cut <= 0) return undefined;
  const master = calendar.events.get(instanceId.slice(0, cut))?.resource;
  if (!master || !isRecurring(master) || master.status === 'cancelled') return undefined;
  const suffix = instanceId.slice(cut + 1);
  const when = /^\d{8}$/.test(suffix) ? DateTime.fromFormat(suffix, 'yyyyMMdd', { zone: 'UTC' }) : DateTime.fromFormat(suffix, "yyyyMMdd'T'HHmmss'Z'", { zone: 'UTC' });
  if (!when.isValid) return undefined;
  const day = 86_400_000;
  const occurrence = expandOccurrences(master, when.toMillis() - 2 * day, when.toMillis() + 2 * day, 50).find((candidate) => candidate.instanceId === instanceId);
  return occurrence ? { master, occurrence } : undefined;
}

/** The event an id names: a stored event (tombstones included) or an unmodified instance. */
export function resolveEvent(calendar: StoredCalendar, eventId: string): EventResource | undefined {
  const stored = calendar.events.get(eventId)?.resource;
  if (stored) {
    const master = stored.recurringEventId ? calendar.events.get(stored.recurringEventId)?.resource : undefined;
    // An override outlives nothing: when its series is deleted, the instance is cancelled too.
    if (master && master.status === 'cancelled' && stored.status !== 'cancelled') return { ...structuredClone(stored), status: 'cancelled' };
    return stored;
  }
  const found = findOccurrence(calendar, eventId);
  return found ? virtualInstance(found.master, found.occurrence) : undefined;
}

export function matchesPrivateProperties(event: EventResource, constraints: readonly string[]): boolean {
  const properties = event.extendedProperties?.private ?? {};
  return constraints.every((constraint) => {
    const cut = constraint.indexOf('=');
    if (cut <= 0) return false;
    return properties[constraint.slice(0, cut)] === constraint.slice(cut + 1);
  });
}

export type EventListItem = calendar_v3.Schema$Event;
