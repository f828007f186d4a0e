import type { Attendee, DateTimeTimeZone, EmailAddress, FreeBusyStatus, ItemBody, Location, PatternedRecurrence, Recipient, Sensitivity } from '@microsoft/microsoft-graph-types';

/** The Graph properties of an event the control API can set (event resource, learn.microsoft.com/graph/api/resources/event). */
export interface EventFields {
  subject?: string;
  body?: ItemBody;
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  isAllDay?: boolean;
  location?: Location;
  attendees?: Attendee[];
  organizer?: Recipient;
  showAs?: FreeBusyStatus;
  sensitivity?: Sensitivity;
  isOnlineMeeting?: boolean;
  isReminderOn?: boolean;
  reminderMinutesBeforeStart?: number;
  categories?: string[];
  importance?: 'low' | 'normal' | 'high';
  hasAttachments?: boolean;
}

/** Changes one occurrence of a series makes: any field, and perhaps a new time. */
export type ExceptionFields = Partial<EventFields>;

export interface ExceptionRecord {
  /** The occurrence's date in the recurrence time zone (YYYY-MM-DD): the key Outlook's one-per-day rule makes unique. */
  date: string;
  fields: ExceptionFields;
  changeCount: number;
  lastModifiedAt: number;
}

/** One calendar item: a single instance, or a series master with its exceptions and cancelled dates. */
export interface EventRecord {
  number: number;
  calendar: number;
  /** Bumped on a move between calendars: the ordinary id changes, the immutable one does not. */
  moveCount: number;
  fields: EventFields;
  recurrence?: PatternedRecurrence;
  exceptions: ExceptionRecord[];
  cancelledDates: string[];
  createdAt: number;
  lastModifiedAt: number;
  changeCount: number;
}

export interface CalendarRecord {
  number: number;
  name: string;
  isDefault: boolean;
  /** The user for a calendar of their own; the sharer for one shared with them (calendar resource, "owner"). */
  owner: EmailAddress;
  color: string;
  changeCount: number;
}
