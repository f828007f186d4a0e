import { DEFAULT_CALENDAR_MONTHS_AHEAD, DEFAULT_CALENDAR_MONTHS_BACK } from '../../store/index.js';
import type { DataTypeModule, DeltaPage, UserPairInput } from '../engine/data-type-module.js';
import { policyStoresSubjects } from '../engine/store-subjects.js';
import { applyPageItemwise } from '../engine/apply-itemwise.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { fetchCalendarDeltaPage, initialCalendarDeltaPath, listSeriesInstances, readEventOrNull, type CalendarWindow, type ExportedEvent } from '../microsoft365/calendar-export.js';
import { openCalendarBook, type CalendarBook, type CalendarDeps } from './calendar-book.js';
import type { CalendarItem } from './calendar-items.js';
import { decodeWindowedLink, encodeWindowedLink, sameWindow, windowDueAt, type WindowSettings } from './delta-window.js';
import { DEFAULT_CALENDAR, discoverCalendars } from './discover-calendars.js';
import { eventOperations, type CalendarSession } from './event-copies.js';
import { calendarServiceFailure } from './service-failure.js';

interface CalendarActivitySession extends CalendarSession {
  storeSubjects: () => Promise<boolean>;
  /** The default calendar is walked by the path v1.0 documents for it (calendar-export.ts). */
  defaultCalendarId: string | null;
  /** The policy's window, read once per activity: a change takes effect at the user's next cycle. */
  window: WindowSettings;
}

const isGraphNotFound = (err: unknown) => classifyGraphError(err).kind === 'notFound';

/**
 * The series behind the occurrences of a page: the master (for the rule)
 * and its instances in the window (exceptions, and which days Outlook still
 * has). Null when the series is gone.
 */
async function readSeries(book: CalendarBook, masterId: string, window: CalendarWindow): Promise<CalendarItem | null> {
  const master = await book.graphPace(() => readEventOrNull(book.graph, book.input.sourceUserId, masterId, isGraphNotFound));
  if (!master) return null;
  const instances = await book.graphPace(() => listSeriesInstances(book.graph, book.input.sourceUserId, masterId, window));
  return { id: master.id, kind: 'series', master, instances, window };
}

/**
 * Calendar as a data type: each calendar the user owns is walked by its own
 * calendarView delta over a window (delta-window.ts); single events are
 * copied as they are, the occurrences of a series fold into one Google
 * recurring event (calendar-items.ts), applied item by item through the
 * engine's ledger.
 */
export function createCalendarModule(deps: CalendarDeps): DataTypeModule<CalendarActivitySession, CalendarItem> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const ledger = store.itemMap.forType('calendar');

  /** Reads one page and folds it into items; a finished round over a window no longer due starts a new round. */
  async function readPage(session: CalendarActivitySession, stored: string): Promise<DeltaPage<CalendarItem>> {
    const { book } = session;
    const link = decodeWindowedLink(stored);
    const due = windowDueAt(now(), session.window);
    const renew = link.kind === 'round' && !sameWindow(link.window, due);
    const window = renew ? due : link.window;
    const { sourceCalendarId } = link;
    const graphLink = renew ? initialCalendarDeltaPath(book.input.sourceUserId, sourceCalendarId, sourceCalendarId === session.defaultCalendarId, due) : link.graphLink;
    const raw = await book.graphPace(() => fetchCalendarDeltaPage(book.graph, graphLink, deps.deltaPageSize));

    const changed: CalendarItem[] = [];
    const masterIds = new Set<string>();
    for (const event of raw.changed as ExportedEvent[]) {
      if (event.type === 'occurrence' || event.type === 'exception') {
        if (event.seriesMasterId) masterIds.add(event.seriesMasterId);
      } else if (event.type !== 'seriesMaster') changed.push({ id: event.id, kind: 'single', event });
    }
    // A removed occurrence (cancelled, or dropped by a new rule) leads back to its series through its 'part' row.
    const rows = await ledger.findBySourceIds(book.input.syncUserId, raw.removedIds);
    const removedIds: string[] = [];
    for (const id of raw.removedIds) {
      const row = rows.get(id);
      if (row?.state === 'part' && row.lookupKey) masterIds.add(row.lookupKey);
      else removedIds.push(id);
    }
    for (const masterId of masterIds) {
      const series = await readSeries(book, masterId, window);
      if (series) changed.push(series);
      else if (!removedIds.includes(masterId)) removedIds.push(masterId);
    }
    const wrap = (graph: string | undefined, kind: 'page' | 'round') => (graph ? encodeWindowedLink({ sourceCalendarId, window, kind, graphLink: graph }) : undefined);
    return { changed, removedIds, nextLink: wrap(raw.nextLink, 'page'), deltaLink: wrap(raw.deltaLink, 'round') };
  }

  return {
    dataType: 'calendar',

    discoverContainers: (input) => discoverCalendars(deps, input),

    async openSession(input: UserPairInput, containers) {
      const book = await openCalendarBook(deps, input);
      const user = await store.syncUsers.get(input.syncUserId);
      const policy = user ? await store.policies.get(user.policyId) : null;
      return {
        book,
        context: { sourceAddresses: user ? [user.sourceEmail] : [], targetEmail: input.targetEmail, fallbackTimeZone: 'UTC' },
        calendarId: 'primary',
        defaultCalendarId: containers.find((container) => container.wellKnownName === DEFAULT_CALENDAR)?.sourceContainerId ?? null,
        plans: new WeakMap(),
        storeSubjects: policyStoresSubjects(store, input.syncUserId),
        window: { monthsBack: policy?.calendarMonthsBack ?? DEFAULT_CALENDAR_MONTHS_BACK, monthsAhead: policy?.calendarMonthsAhead ?? DEFAULT_CALENDAR_MONTHS_AHEAD },
      };
    },

    isWalkable: (_session, calendar) => calendar.targetContainerId !== null,

    // A finished round over no window: the first read starts the round that is due (readPage), as the window is the session's clock's.
    initialDeltaLink: (_input, sourceCalendarId) => encodeWindowedLink({ sourceCalendarId, window: { start: 'none', end: 'none' }, kind: 'round', graphLink: '' }),

    // Graph's own errors reach the engine as they are: it restarts a calendar whose delta token expired (410).
    readDeltaPage: (session, link) => readPage(session, link),

    async applyPage(session, calendar, page, keepAlive) {
      try {
        session.calendarId = calendar.targetContainerId!;
        const parts = page.changed.flatMap((item) =>
          item.kind === 'series' ? item.instances.map((instance) => ({ sourceItemId: instance.id, wholeSourceItemId: item.id, sourceContainerId: calendar.sourceContainerId })) : [],
        );
        await ledger.recordParts(session.book.input.syncUserId, parts);
        return await applyPageItemwise(store, 'calendar', session.book.input.syncUserId, eventOperations, session, calendar, page, { storeSubjects: session.storeSubjects, keepAlive });
      } catch (err) {
        throw calendarServiceFailure(err);
      }
    },
  };
}
