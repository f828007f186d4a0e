import type { CalendarWindow } from '../microsoft365/calendar-export.js';

/**
 * The calendarView delta window. Graph bakes the window into its state
 * tokens (concepts/delta-query-events.md), so the sync keeps it beside each
 * link it stores: a link the sync saved reads as
 * `calendar-window:<start>,<end>,<page|round>,<calendar id>|<Graph's link>`. When the
 * window due today differs from a finished round's (it moves on the first
 * of each month), the next cycle starts a new round over the new window;
 * the item map keeps the new round from copying anything twice.
 */

export interface WindowSettings {
  /** Whole months before the current month (24: two years of history). */
  monthsBack: number;
  /** Whole months after the current month (36: three years ahead). */
  monthsAhead: number;
}

export const defaultWindowSettings: WindowSettings = { monthsBack: 24, monthsAhead: 36 };

/** CALENDAR_WINDOW_MONTHS_BACK and CALENDAR_WINDOW_MONTHS_AHEAD (whole months, 0 to 120), else the defaults. */
export function windowFromEnv(env: NodeJS.ProcessEnv = process.env): WindowSettings {
  const months = (name: string, fallback: number) => {
    const raw = env[name];
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 120) throw new Error(`${name} must be a whole number of months from 0 to 120, got "${raw}"`);
    return value;
  };
  return { monthsBack: months('CALENDAR_WINDOW_MONTHS_BACK', defaultWindowSettings.monthsBack), monthsAhead: months('CALENDAR_WINDOW_MONTHS_AHEAD', defaultWindowSettings.monthsAhead) };
}

const PREFIX = 'calendar-window:';

export interface WindowedLink {
  /** The calendar the link walks: a new round over a new window starts from that calendar's first request. */
  sourceCalendarId: string;
  window: CalendarWindow;
  /** 'round': a deltaLink (the round over the window is complete); 'page': a first request or nextLink. */
  kind: 'page' | 'round';
  graphLink: string;
}

const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1)).toISOString();

/** The window due at `now`: from the first of the month `monthsBack` ago to the first of the month `monthsAhead + 1` on. */
export function windowDueAt(now: Date, settings: WindowSettings): CalendarWindow {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  return { start: monthStart(year, month - settings.monthsBack), end: monthStart(year, month + settings.monthsAhead + 1) };
}

export function encodeWindowedLink(link: WindowedLink): string {
  return `${PREFIX}${link.window.start},${link.window.end},${link.kind},${encodeURIComponent(link.sourceCalendarId)}|${link.graphLink}`;
}

/** The window and Graph's link of a stored link; a link without the prefix is not one the calendar sync wrote. */
export function decodeWindowedLink(stored: string): WindowedLink {
  if (!stored.startsWith(PREFIX)) throw new Error('A calendar delta link without its window was handed to the calendar sync.');
  const bar = stored.indexOf('|');
  const [start, end, kind, calendarId] = stored.slice(PREFIX.length, bar).split(',');
  if (!start || !end || !calendarId || (kind !== 'page' && kind !== 'round')) throw new Error('A calendar delta link with an unreadable window was handed to the calendar sync.');
  return { sourceCalendarId: decodeURIComponent(calendarId), window: { start, end }, kind, graphLink: stored.slice(bar + 1) };
}

export const sameWindow = (a: CalendarWindow, b: CalendarWindow) => a.start === b.start && a.end === b.end;
