import { describe, expect, it } from 'vitest';
import { decodeWindowedLink, defaultWindowSettings, encodeWindowedLink, windowDueAt, windowFromEnv } from '../../../activities/calendar/delta-window.js';

describe('calendar delta window', () => {
  it('runs from the first of the month two years back to the first of the month three years and one month on, and moves on the first of each month', () => {
    expect(windowDueAt(new Date('2026-12-02T10:00:00Z'), defaultWindowSettings)).toEqual({ start: '2024-12-01T00:00:00.000Z', end: '2030-01-01T00:00:00.000Z' });
    expect(windowDueAt(new Date('2026-12-31T23:59:59Z'), defaultWindowSettings)).toEqual(windowDueAt(new Date('2026-12-01T00:00:00Z'), defaultWindowSettings));
    expect(windowDueAt(new Date('2027-01-01T00:00:00Z'), defaultWindowSettings).start).toBe('2025-01-01T00:00:00.000Z');
  });

  it('keeps the window and the calendar beside Graph’s own link, and refuses a link that lacks them', () => {
    const link = {
      sourceCalendarId: 'AAMk,id=',
      window: { start: '2024-12-01T00:00:00.000Z', end: '2030-01-01T00:00:00.000Z' },
      kind: 'round' as const,
      graphLink: 'https://graph.microsoft.com/v1.0/users/u/calendarView/delta?$deltatoken=a|b',
    };
    expect(decodeWindowedLink(encodeWindowedLink(link))).toEqual(link);
    expect(() => decodeWindowedLink('https://graph.microsoft.com/v1.0/users/u/calendarView/delta')).toThrow(/without its window/);
  });

  it('reads its size from the environment, refusing what is not a whole number of months', () => {
    expect(windowFromEnv({ CALENDAR_WINDOW_MONTHS_BACK: '6', CALENDAR_WINDOW_MONTHS_AHEAD: '12' })).toEqual({ monthsBack: 6, monthsAhead: 12 });
    expect(windowFromEnv({})).toEqual(defaultWindowSettings);
    expect(() => windowFromEnv({ CALENDAR_WINDOW_MONTHS_BACK: '1.5' })).toThrow(/CALENDAR_WINDOW_MONTHS_BACK/);
  });
});
