import type { calendar_v3 } from 'googleapis/build/src/apis/calendar/v3.js';
import type { Store } from '../../store/index.js';
import type { ConnectionClients } from '../../connectors/connection-clients.js';
import type { GraphConnection } from '../../connectors/microsoft365/graph-client.js';
import { googleRetryAfter, graphRetryAfter, type MailboxPacers, type RetryDelayOf } from '../pacing.js';
import type { UserPairInput } from '../engine/data-type-module.js';
import { isCalendarUsageLimit } from './service-failure.js';

export interface CalendarDeps {
  store: Store;
  connections: ConnectionClients;
  /** The same pacers as mail's and contacts': Graph's per-mailbox budget is shared by every type of the mailbox. */
  pacers: MailboxPacers;
  /** Events per Graph delta page (Prefer: odata.maxpagesize). */
  deltaPageSize: number;
  /** The clock the window is due by (tests move it to roll the window forward). */
  now?: () => Date;
}

/** Both ends of one user's calendars, with their pacers. */
export interface CalendarBook {
  input: UserPairInput;
  graph: GraphConnection;
  calendar: calendar_v3.Calendar;
  graphPace: <T>(task: () => Promise<T>) => Promise<T>;
  /** Every Calendar API request of the Google user (600 a minute: calendar-contacts-files-facts §1.2). */
  calendarPace: <T>(task: () => Promise<T>) => Promise<T>;
  /** A write of an event with attendees: slower still, as attendees trip Google's anti-spam limits (facts §0.4). */
  attendeeWritePace: <T>(task: () => Promise<T>) => Promise<T>;
}

/** Throttling is waited out as for Gmail, but never the usage limit: the calendar stays read-only for hours (service-failure.ts). */
const calendarRetryAfter: RetryDelayOf = (err, attempt) => (isCalendarUsageLimit(err) ? undefined : googleRetryAfter(err, attempt));

export async function openCalendarBook(deps: CalendarDeps, input: UserPairInput): Promise<CalendarBook> {
  const { graph, google } = await deps.connections.pair(input.sourceConnectionId, input.targetConnectionId);
  const calendar = google.clients.calendarFor(input.targetEmail);
  const graphPacer = deps.pacers.graphFor(`${input.sourceConnectionId}/${input.sourceUserId}`);
  const userKey = `${input.targetConnectionId}/${input.targetEmail}`;
  const calendarPacer = deps.pacers.calendarFor(userKey);
  const attendeePacer = deps.pacers.calendarAttendeeWritesFor(userKey);
  const calendarPace = <T>(task: () => Promise<T>) => calendarPacer.run(1, task, calendarRetryAfter);
  return {
    input,
    graph,
    calendar,
    graphPace: (task) => graphPacer.run(1, task, graphRetryAfter),
    calendarPace,
    attendeeWritePace: (task) => attendeePacer.run(1, () => calendarPace(task), calendarRetryAfter),
  };
}
