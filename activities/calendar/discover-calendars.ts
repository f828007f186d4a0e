import { Context } from '@temporalio/activity';
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar/v3.js';
import type { ContainerInput, ContainerStateView } from '../../store/index.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { listOwnCalendars, type ExportedCalendar } from '../microsoft365/calendar-export.js';
import { assertSourceUserPresent } from '../provisioning/source-user.js';
import type { DiscoverContainersInput, DiscoveredContainers } from '../engine/data-type-module.js';
import { itemRefusalOf } from '../engine/item-refusal.js';
import { openCalendarBook, type CalendarBook, type CalendarDeps } from './calendar-book.js';
import { calendarServiceFailure } from './service-failure.js';

/** How the default calendar is marked among the containers: it goes to the Google user's primary calendar. */
export const DEFAULT_CALENDAR = 'calendar';
/** The Calendar API's name for the user's own main calendar. */
export const PRIMARY_CALENDAR = 'primary';

/** The secondary calendars the Google user owns, by name (a discovery that died after creating one finds it here). */
async function ownedCalendarsByName(book: CalendarBook): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  let pageToken: string | undefined;
  do {
    const { data }: { data: calendar_v3.Schema$CalendarList } = await book.calendarPace(() => book.calendar.calendarList.list({ minAccessRole: 'owner', pageToken }));
    for (const entry of data.items ?? []) if (entry.id && entry.summary && !entry.primary && !byName.has(entry.summary)) byName.set(entry.summary, entry.id);
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return byName;
}

/**
 * The Google calendar of one Outlook calendar other than the default one:
 * the one recorded (renamed when the Outlook calendar was), else one of the
 * same name, else a new one. A calendar Google refuses is left without a
 * counterpart; it is not walked until a later discovery gets one.
 */
async function secondaryFor(book: CalendarBook, calendar: ExportedCalendar, previous: ContainerStateView | undefined, owned: () => Promise<Map<string, string>>): Promise<string | null> {
  const name = calendar.name ?? 'Calendar';
  try {
    if (previous?.targetContainerId) {
      if (previous.path !== name) await book.calendarPace(() => book.calendar.calendars.patch({ calendarId: previous.targetContainerId!, requestBody: { summary: name } }));
      return previous.targetContainerId;
    }
    const existing = (await owned()).get(name);
    if (existing) return existing;
    const { data } = await book.calendarPace(() => book.calendar.calendars.insert({ requestBody: { summary: name } }));
    return data.id ?? null;
  } catch (err) {
    if (!itemRefusalOf(err)) throw err;
    return null;
  }
}

/**
 * Reads the user's own calendars (a calendar someone shared with the user
 * is its owner's to copy), makes sure each has its Google calendar, and
 * records them: the default one goes to the primary calendar.
 */
export async function discoverCalendars(deps: CalendarDeps, input: DiscoverContainersInput): Promise<DiscoveredContainers & { initialSyncTotal: number }> {
  const book = await openCalendarBook(deps, input);
  const containers = deps.store.containers.forType('calendar');
  const known = new Map((await containers.list(input.syncUserId)).map((row) => [row.sourceContainerId, row]));
  try {
    let calendars: ExportedCalendar[];
    try {
      calendars = await book.graphPace(() => listOwnCalendars(book.graph, input.sourceUserId));
    } catch (err) {
      if (classifyGraphError(err).kind === 'notFound') await assertSourceUserPresent(deps.connections, input);
      throw err;
    }
    Context.current().heartbeat();
    let owned: Map<string, string> | null = null;
    const ownedOnce = async () => (owned ??= await ownedCalendarsByName(book));
    const rows: ContainerInput[] = [];
    for (const calendar of calendars) {
      const name = calendar.name ?? 'Calendar';
      if (calendar.isDefaultCalendar) {
        rows.push({ sourceContainerId: calendar.id, displayName: name, path: name, wellKnownName: DEFAULT_CALENDAR, targetContainerId: PRIMARY_CALENDAR });
        continue;
      }
      rows.push({ sourceContainerId: calendar.id, displayName: name, path: name, wellKnownName: null, targetContainerId: await secondaryFor(book, calendar, known.get(calendar.id), ownedOnce) });
    }
    await containers.upsert(input.syncUserId, rows);
    const walkable = rows.filter((row) => row.targetContainerId);
    // A calendar reports no event count (calendar resource), so the first copy's size is not known in advance.
    return { sourceContainerIds: walkable.map((row) => row.sourceContainerId), skippedContainerIds: [], initialSyncTotal: 0 };
  } catch (err) {
    throw calendarServiceFailure(err);
  }
}
