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

/** The policy's window (calendarMonthsBack and calendarMonthsAhead): whole months before and after the current month. */
export interface WindowSettings {
  monthsBack: number;
  monthsAhead: number;
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
