import { GoogleApiError } from './errors.js';

/**
 * Calendar API errors in Google's legacy JSON shape ({error: {errors: [{domain, reason, message}], code, message}}),
 * reasons and texts from the "Handle API errors" guide (developers.google.com/workspace/calendar/api/guides/errors)
 * unless noted.
 */
export function calendarError(status: 400 | 403 | 404 | 409 | 410 | 412 | 429, reason: string, message: string, domain = 'global'): GoogleApiError {
  return new GoogleApiError({ status, message, reason, domain });
}

export const calendarNotFound = (): GoogleApiError => calendarError(404, 'notFound', 'Not Found');

/** A client-chosen id outside base32hex / 5–1024 characters: "Invalid resource id value." (wanasit/google-calendar#25). */
export const invalidResourceId = (): GoogleApiError => calendarError(400, 'invalid', 'Invalid resource id value.');

/** An id taken by a live or deleted event of the calendar (googleapis/google-api-python-client#846). */
export const identifierExists = (): GoogleApiError => calendarError(409, 'duplicate', 'The requested identifier already exists.');

export const invalidValue = (message: string): GoogleApiError => calendarError(400, 'invalid', message);

export const requiredField = (message: string): GoogleApiError => calendarError(400, 'required', message);

/** "403: Calendar usage limits exceeded" (errors guide): domain usageLimits, reason quotaExceeded. */
export const calendarUsageLimitsExceeded = (): GoogleApiError => calendarError(403, 'quotaExceeded', 'Calendar usage limits exceeded.', 'usageLimits');

/** Import into a calendar whose owner neither organizes nor attends (reason handled by GAM-team/GAM src/gam/__init__.py). */
export const participantIsNeitherOrganizerNorAttendee = (): GoogleApiError =>
  calendarError(403, 'participantIsNeitherOrganizerNorAttendee', 'The calendar owner must be either the organizer or an attendee of an imported event.', 'calendar');

/** "400: The specified time range is empty." (errors guide, domain calendar, location timeMax). */
export function timeRangeEmpty(): GoogleApiError {
  return new GoogleApiError({
    status: 400,
    message: 'The specified time range is empty.',
    reason: 'timeRangeEmpty',
    domain: 'calendar',
    errorFields: { locationType: 'parameter', location: 'timeMax' },
  });
}
