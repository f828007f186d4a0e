import type { calendar_v3 } from 'googleapis/build/src/apis/calendar/v3.js';
import type { ItemMapView } from '../../store/index.js';
import { ItemErrorCode } from '../../shared/vocabulary.js';
import { classifyGoogleError } from '../../connectors/google/google-errors.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { readEventOrNull } from '../microsoft365/calendar-export.js';
import type { ItemOperations, ItemVerdictOf, TargetCopy } from '../engine/apply-itemwise.js';
import { itemRefusalOf } from '../engine/item-refusal.js';
import type { CalendarBook } from './calendar-book.js';
import { planCopy, titleOfItem, type CalendarItem, type PlannedCopy } from './calendar-items.js';
import type { EventMappingContext } from './event-mapping.js';

/** What the item map keeps of a Google copy. */
export interface EventCopyState {
  /** The Google calendar the copy is in (a move in Outlook moves it). */
  calendarId: string;
  /** Of what was written last (calendar-items.ts): the same again is not written. */
  fingerprint: string;
}

export interface CalendarSession {
  book: CalendarBook;
  context: EventMappingContext;
  /** The Google calendar of the container whose page is being applied. */
  calendarId: string;
  plans: WeakMap<CalendarItem, PlannedCopy>;
}

/** Every write names sendUpdates=none: no invitation, update or cancellation e-mail, ever (events.insert/update/patch/delete). */
const quietly = { sendUpdates: 'none' } as const;

const isGoogleStatus = (err: unknown, ...statuses: number[]) => {
  const status = classifyGoogleError(err).status;
  return status !== undefined && statuses.includes(status);
};
const isGraphNotFound = (err: unknown) => classifyGraphError(err).kind === 'notFound';

function planOf(session: CalendarSession, item: CalendarItem): PlannedCopy {
  let plan = session.plans.get(item);
  if (!plan) session.plans.set(item, (plan = planCopy(item, session.context)));
  return plan;
}

/** Writes with guests go through the slower attendee pacer: they are what trips Google's anti-spam limits (facts §0.4). */
function paceFor(book: CalendarBook, plan: PlannedCopy) {
  return (plan.event.attendees?.length ?? 0) > 0 ? book.attendeeWritePace : book.calendarPace;
}

/** A modified occurrence as a patch of the Google instance it replaces, found by its original start (events.instances originalStart). */
async function applyOverrides(book: CalendarBook, calendarId: string, eventId: string, plan: PlannedCopy): Promise<void> {
  const pace = paceFor(book, plan);
  for (const override of plan.overrides) {
    const originalStart = override.originalStartTime.dateTime ?? override.originalStartTime.date ?? undefined;
    const { data } = await book.calendarPace(() => book.calendar.events.instances({ calendarId, eventId, originalStart, showDeleted: true, maxResults: 1 }));
    const instanceId = data.items?.[0]?.id;
    if (!instanceId) continue; // the rule does not give that start: nothing in Google to override
    await pace(() => book.calendar.events.patch({ calendarId, eventId: instanceId, ...quietly, requestBody: { ...override.patch, status: 'confirmed' } }));
  }
}

/**
 * Replaces the Google copy with the plan (events.update, the whole event),
 * including one Google keeps as deleted (status cancelled): an id stays
 * reserved after deletion (python-client#846), so it is restored.
 */
async function replaceCopy(book: CalendarBook, calendarId: string, plan: PlannedCopy): Promise<void> {
  const eventId = plan.event.id!;
  await paceFor(book, plan)(() => book.calendar.events.update({ calendarId, eventId, ...quietly, requestBody: { ...plan.event, status: 'confirmed' } }));
  await applyOverrides(book, calendarId, eventId, plan);
}

/**
 * A new copy through events.import: the organizer stays the meeting's, and
 * import takes no sendUpdates at all, being "a private copy of an existing
 * event" (events.import reference; GAM never passes one). The id is derived
 * from the Outlook event's immutable id, so an import a crash interrupted is
 * found again by it, and a second import of the same id gets 409 instead of
 * a second event.
 */
async function importCopy(book: CalendarBook, calendarId: string, plan: PlannedCopy): Promise<void> {
  try {
    await paceFor(book, plan)(() => book.calendar.events.import({ calendarId, requestBody: plan.event }));
  } catch (err) {
    if (!isGoogleStatus(err, 409)) throw err;
    await replaceCopy(book, calendarId, plan);
    return;
  }
  await applyOverrides(book, calendarId, plan.event.id!, plan);
}

function copyOf(plan: PlannedCopy, calendarId: string, item: CalendarItem): TargetCopy {
  const hasAttachments = item.kind === 'single' ? item.event.hasAttachments : item.master.hasAttachments;
  return {
    targetItemId: plan.event.id!,
    targetState: { calendarId, fingerprint: plan.fingerprint } satisfies EventCopyState,
    ...(hasAttachments
      ? {
          partial: {
            code: ItemErrorCode.AttachmentsNotCopied,
            reason: 'The event is in Google Calendar without its attachments: Google Calendar takes only Google Drive files, and files are not synced yet.',
          },
        }
      : {}),
  };
}

function verdictOf(err: unknown): ItemVerdictOf | null {
  const refusal = itemRefusalOf(err);
  return refusal ? { code: ItemErrorCode.ItemRejected, reason: `Google Calendar refused it: ${refusal.failure.message}`, serviceError: refusal.serviceError } : null;
}

/** Calendar's item operations for the engine's exactly-once ledger (applyPageItemwise). */
export const eventOperations: ItemOperations<CalendarSession, CalendarItem> = {
  classify(session, item) {
    const { refusal } = planOf(session, item);
    return refusal ? { code: refusal.code, reason: `Google Calendar cannot express it: ${refusal.reason}` } : null;
  },

  lookupKey: (item) => item.id,

  async findExisting(session, item) {
    const plan = planOf(session, item);
    const { book, calendarId } = session;
    let existing: calendar_v3.Schema$Event | null;
    try {
      existing = (await book.calendarPace(() => book.calendar.events.get({ calendarId, eventId: plan.event.id! }))).data;
    } catch (err) {
      if (isGoogleStatus(err, 404, 410)) return null;
      throw err;
    }
    if (existing.status === 'cancelled') return null;
    // The attempt that died may have imported the series but not all of its exceptions: write it whole again.
    await replaceCopy(book, calendarId, plan);
    return copyOf(plan, calendarId, item);
  },

  async write(session, _container, item) {
    const plan = planOf(session, item);
    await importCopy(session.book, session.calendarId, plan);
    return copyOf(plan, session.calendarId, item);
  },

  async update(session, container, item, row) {
    const plan = planOf(session, item);
    const { book } = session;
    const known = row.targetState as EventCopyState | null;
    const target = container.targetContainerId!;
    const eventId = row.targetItemId!;
    if (known && known.calendarId !== target) {
      // Moved to another calendar in Outlook: the copy moves too (events.move), then takes the event's latest state.
      await book.calendarPace(() => book.calendar.events.move({ calendarId: known.calendarId, eventId, destination: target, ...quietly }));
    } else if (known?.fingerprint === plan.fingerprint) {
      return { targetState: known, unchanged: true };
    }
    try {
      await replaceCopy(book, target, plan);
    } catch (err) {
      // Deleted for good in Google (not even a tombstone): copied again.
      if (!isGoogleStatus(err, 404, 410)) throw err;
      await importCopy(book, target, plan);
    }
    const { targetItemId: _id, ...copy } = copyOf(plan, target, item);
    return copy;
  },

  async remove(session, row: ItemMapView) {
    const { book } = session;
    // calendarView delta also reports as @removed an event outside the window that changed, and one moved to another
    // calendar (event-delta: "filter the events under @removed"): only an event Outlook no longer has is deleted.
    const still = await book.graphPace(() => readEventOrNull(book.graph, book.input.sourceUserId, row.sourceItemId, isGraphNotFound));
    if (still) return false;
    const known = row.targetState as EventCopyState | null;
    try {
      // To Google Calendar's bin (status cancelled, restorable there for 30 days), no cancellation e-mail.
      await book.calendarPace(() => book.calendar.events.delete({ calendarId: known?.calendarId ?? session.calendarId, eventId: row.targetItemId!, ...quietly }));
    } catch (err) {
      if (!isGoogleStatus(err, 404, 410)) throw err;
    }
    return true;
  },

  refusalOf: verdictOf,

  titleOf: titleOfItem,
};
