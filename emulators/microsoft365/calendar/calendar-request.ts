import { DateTime } from 'luxon';
import type { GraphContext } from '../http/env.js';
import { graphError } from '../http/graph-error.js';
import { requireZone } from './time-zones.js';

/**
 * Prefer: outlook.timezone="…" sets the zone of start and end in responses;
 * without it they are in UTC (event resource; beta event-delta: "UTC assumed
 * if absent"). A zone Graph would not know is ignored, as an unknown preference is.
 */
export function outlookTimeZone(c: GraphContext): string | undefined {
  const header = c.req.header('prefer') ?? '';
  const match = /outlook\.timezone\s*=\s*"?([^",]+)"?/i.exec(header);
  const zone = match?.[1]?.trim();
  if (!zone) return undefined;
  try {
    requireZone(zone);
    return zone;
  } catch {
    return undefined;
  }
}

/** A query parameter whatever the case of its name (Graph's are case-insensitive). */
export function queryParam(c: GraphContext, name: string): string | undefined {
  for (const [key, value] of new URL(c.req.url).searchParams) if (key.toLowerCase() === name.toLowerCase()) return value;
  return undefined;
}

/**
 * startDateTime/endDateTime: "an offset … is honoured, no offset means UTC"
 * (beta event-delta). Missing ones answer 400 ErrorInvalidParameter "This
 * request requires a time window specified by the query string parameters
 * StartDateTime and EndDateTime." (microsoftgraph/microsoft-graph-docs-contrib#4342).
 */
export function timeWindow(c: GraphContext): { start: DateTime; end: DateTime } | Response {
  const rawStart = queryParam(c, 'startDateTime');
  const rawEnd = queryParam(c, 'endDateTime');
  if (!rawStart || !rawEnd) return graphError(c, 400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
  const start = DateTime.fromISO(rawStart, { zone: 'UTC', setZone: true });
  const end = DateTime.fromISO(rawEnd, { zone: 'UTC', setZone: true });
  if (!start.isValid || !end.isValid)
    return graphError(c, 400, 'ErrorInvalidParameter', `The value '${start.isValid ? rawEnd : rawStart}' of the time window parameters is not a valid date and time.`);
  if (end <= start) return graphError(c, 400, 'ErrorInvalidParameter', 'The EndDateTime of the time window must be later than its StartDateTime.');
  return { start: start.toUTC(), end: end.toUTC() };
}
