import { ApplicationFailure } from '@temporalio/activity';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { UserErrorCode } from '../../shared/vocabulary.js';
import { calendarScopes } from '../../connectors/google/google-clients.js';
import { classifyGoogleError } from '../../connectors/google/google-errors.js';
import { googleFailure, googleScopeFailure, graphFailure } from '../failures.js';

/**
 * Google's anti-spam answer to too many events with attendees: 403
 * quotaExceeded, domain usageLimits, "Calendar usage limits exceeded", and
 * the calendar read-only "for hours" (calendar-contacts-files-facts §0.4,
 * https://support.google.com/a/answer/2905486). Retrying within the cycle
 * would only prolong it, so the calendar stops for this cycle.
 */
export function isCalendarUsageLimit(err: unknown): boolean {
  const failure = classifyGoogleError(err);
  return failure.status === 403 && failure.reason === 'quotaExceeded' && /usage limits/i.test(failure.message);
}

/**
 * A failure that stops the page or the discovery: Graph's errors arrive as
 * GraphError, everything else came from the Calendar API, where a refused
 * scope is the calendar scope, and the usage limit stops the calendar for
 * this cycle (RATE_LIMITED, not retried until the next cycle).
 */
export function calendarServiceFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof GraphError) return graphFailure(err);
  if (isCalendarUsageLimit(err)) {
    return ApplicationFailure.create({
      type: UserErrorCode.RateLimited,
      message:
        "Google Calendar's usage limits were exceeded for this user (too many events with guests in a short time); Google keeps the calendar read-only for some hours. The calendar carries on at the next cycle; mail and contacts are not affected.",
      nonRetryable: true,
      details: [{ service: 'google-workspace', ...classifyGoogleError(err) }],
    });
  }
  return googleScopeFailure(err, 'calendar', calendarScopes) ?? googleFailure(err);
}
