import type { Event } from '@microsoft/microsoft-graph-types';
import { expect } from 'vitest';
import { withPreferences, type GraphConnection, type GraphPreferences } from '../../../connectors/microsoft365/graph-client.js';
import type { RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';
import { controlJson } from './fixtures.js';

export type CalendarDeltaItem = Event & { '@removed'?: { reason: string } };

interface Page {
  value: CalendarDeltaItem[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

export interface CalendarRound {
  items: CalendarDeltaItem[];
  pages: number;
  deltaLink: string;
}

/** Every request the product makes carries Prefer: IdType="ImmutableId". */
export const immutable: GraphPreferences = { immutableIds: true };

/** Follows next links until the delta link, as a sync does; `start` is a path with the window (first round) or a delta link. */
export async function calendarDeltaRound(connection: GraphConnection, start: string, preferences: GraphPreferences = immutable, extraHeaders: Record<string, string> = {}): Promise<CalendarRound> {
  const items: CalendarDeltaItem[] = [];
  let pages = 0;
  let url = start;
  for (;;) {
    let request = withPreferences(connection.client.api(url), preferences);
    for (const [name, value] of Object.entries(extraHeaders)) request = request.header(name, value);
    const page = (await request.get()) as Page;
    pages++;
    expect(page.value.length).toBeLessThanOrEqual(preferences.maxPageSize ?? 10);
    items.push(...page.value);
    if (page['@odata.deltaLink']) {
      expect(page['@odata.nextLink']).toBeUndefined();
      return { items, pages, deltaLink: page['@odata.deltaLink'] };
    }
    expect(page['@odata.nextLink']).toMatch(/\/calendarView\/delta\?\$skiptoken=/);
    url = page['@odata.nextLink'] as string;
  }
}

export interface ControlOccurrence {
  id: string;
  immutableId: string;
  type: string;
  seriesId: string | null;
  seriesImmutableId: string | null;
  originalDate: string | null;
  start: string;
  end: string;
  subject: string;
  isAllDay: boolean;
  calendar: string;
}

export interface AddedEvent {
  id: string;
  immutableId: string;
  calendarId: string;
  calendar: string;
}

export const addEvent = (running: RunningMicrosoft365Emulator, upn: string, event: Record<string, unknown>): Promise<AddedEvent> => controlJson<AddedEvent>(running, `/users/${upn}/events`, event);

export async function expandedOccurrences(running: RunningMicrosoft365Emulator, upn: string, from: string, to: string): Promise<ControlOccurrence[]> {
  const response = await fetch(`${running.url}/_control/users/${upn}/events?expand=true&from=${from}&to=${to}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { occurrences: ControlOccurrence[] }).occurrences;
}

/** A Graph page's start instants as UTC ISO strings without fractions ("2026-03-02T08:00:00Z"). */
export const utcStarts = (events: readonly Event[]): string[] => events.map((event) => `${(event.start?.dateTime ?? '').slice(0, 19)}Z`);
