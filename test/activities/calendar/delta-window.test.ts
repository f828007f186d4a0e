import { describe, expect, it } from 'vitest';
import { decodeWindowedLink, encodeWindowedLink, windowDueAt } from '../../../activities/calendar/delta-window.js';
import { DEFAULT_CALENDAR_MONTHS_AHEAD, DEFAULT_CALENDAR_MONTHS_BACK } from '../../../store/index.js';

const defaultWindowSettings = { monthsBack: DEFAULT_CALENDAR_MONTHS_BACK, monthsAhead: DEFAULT_CALENDAR_MONTHS_AHEAD };

describe('calendar delta window', () => {
  it('runs from the first of the month two years back to the first of the month three years and one month on, and moves on the first of each month', () => {
    expect(windowDueAt(new Date('2026-12-02T10:00:00Z'), defaultWindowSettings)).toEqual({ start: '2024-12-01T00:00:00.000Z', end: '2030-01-01T00:00:00.000Z' });
    expect(windowDueAt(new Date('2026-12-31T23:59:59Z'), defaultWindowSettings)).toEqual(windowDueAt(new Date('2026-12-01T00:00:00Z'), defaultWindowSettings));
    expect(windowDueAt(new Date('2027-01-01T00:00:00Z'), defaultWindowSettings).start).toBe('2025-01-01T00:00:00.000Z');
  });

  it('follows the policy’s months back and ahead, a window of 0 and 0 being the current month', () => {
    expect(windowDueAt(new Date('2026-12-02T10:00:00Z'), { monthsBack: 6, monthsAhead: 12 })).toEqual({ start: '2026-06-01T00:00:00.000Z', end: '2028-01-01T00:00:00.000Z' });
    expect(windowDueAt(new Date('2026-12-02T10:00:00Z'), { monthsBack: 0, monthsAhead: 0 })).toEqual({ start: '2026-12-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' });
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
});
