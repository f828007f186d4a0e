import { z } from 'zod';

/** Graph's own JSON shapes for what the control API takes (event, dateTimeTimeZone, patternedRecurrence resources). */
const dateTimeTimeZone = z.object({ dateTime: z.string().min(1), timeZone: z.string().min(1) }).strict();
const emailAddress = z.object({ name: z.string().optional(), address: z.string().min(1) }).strict();
const recipient = z.object({ emailAddress }).strict();
const physicalAddress = z
  .object({ street: z.string().optional(), city: z.string().optional(), state: z.string().optional(), countryOrRegion: z.string().optional(), postalCode: z.string().optional() })
  .strict();
const location = z
  .object({
    displayName: z.string(),
    locationType: z.enum(['default', 'conferenceRoom', 'homeAddress', 'businessAddress', 'geoCoordinates', 'streetAddress', 'hotel', 'restaurant', 'localBusiness', 'postalAddress']).optional(),
    locationEmailAddress: z.string().optional(),
    address: physicalAddress.optional(),
  })
  .strict();
const attendee = z
  .object({
    emailAddress,
    type: z.enum(['required', 'optional', 'resource']).default('required'),
    status: z
      .object({ response: z.enum(['none', 'organizer', 'tentativelyAccepted', 'accepted', 'declined', 'notResponded']), time: z.string().optional() })
      .strict()
      .optional(),
  })
  .strict();
const dayOfWeek = z.enum(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']);

export const recurrenceSchema = z
  .object({
    pattern: z
      .object({
        type: z.enum(['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly']),
        interval: z.number().int().min(1).max(99).default(1),
        daysOfWeek: z.array(dayOfWeek).optional(),
        firstDayOfWeek: dayOfWeek.optional(),
        dayOfMonth: z.number().int().min(1).max(31).optional(),
        month: z.number().int().min(1).max(12).optional(),
        index: z.enum(['first', 'second', 'third', 'fourth', 'last']).optional(),
      })
      .strict(),
    range: z
      .object({
        type: z.enum(['endDate', 'noEnd', 'numbered']),
        startDate: z.iso.date(),
        endDate: z.iso.date().optional(),
        numberOfOccurrences: z.number().int().min(1).max(999).optional(),
        recurrenceTimeZone: z.string().optional(),
      })
      .strict(),
  })
  .strict();

export const eventFieldsShape = {
  subject: z.string().max(255).optional(),
  body: z
    .object({ contentType: z.enum(['text', 'html']), content: z.string() })
    .strict()
    .optional(),
  start: dateTimeTimeZone,
  end: dateTimeTimeZone,
  isAllDay: z.boolean().optional(),
  location: location.optional(),
  // Exchange Online allows at most 500 attendees per event (event resource).
  attendees: z.array(attendee).max(500).optional(),
  organizer: recipient.optional(),
  showAs: z.enum(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']).optional(),
  sensitivity: z.enum(['normal', 'personal', 'private', 'confidential']).optional(),
  isOnlineMeeting: z.boolean().optional(),
  isReminderOn: z.boolean().optional(),
  reminderMinutesBeforeStart: z.number().int().min(0).optional(),
  categories: z.array(z.string()).optional(),
  importance: z.enum(['low', 'normal', 'high']).optional(),
  hasAttachments: z.boolean().optional(),
};

const eventFields = z.object(eventFieldsShape).strict();
const partialFields = eventFields.partial();

/** `originalStart`: the occurrence's date ("YYYY-MM-DD") or its original start instant (ISO 8601, as Graph's originalStart). */
export const exceptionSchema = partialFields.extend({ originalStart: z.string().min(10) }).strict();

export const addEventSchema = eventFields
  .extend({
    calendar: z.string().min(1).max(255).optional(),
    recurrence: recurrenceSchema.optional(),
    exceptions: z.array(exceptionSchema).optional(),
    cancelledOccurrences: z.array(z.iso.date()).optional(),
  })
  .strict();

export const generateEventsSchema = z.object({ count: z.number().int().min(1).max(10_000), calendar: z.string().min(1).max(255).optional(), from: z.iso.date().optional() }).strict();

export const updateEventSchema = partialFields
  .extend({
    recurrence: recurrenceSchema.nullable().optional(),
    exceptions: z.array(exceptionSchema).optional(),
    cancelledOccurrences: z.array(z.iso.date()).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one property to change');

export const moveEventSchema = z.object({ calendar: z.string().min(1).max(255) }).strict();

export const addCalendarSchema = z.object({ name: z.string().min(1).max(255), sharedBy: z.string().min(1).optional() }).strict();

export type AddEventBody = z.infer<typeof addEventSchema>;
export type ExceptionBody = z.infer<typeof exceptionSchema>;
