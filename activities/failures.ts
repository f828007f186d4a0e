import { ApplicationFailure } from '@temporalio/activity';
import { UserErrorCode } from '../shared/vocabulary.js';
import { classifyGoogleError, type GoogleFailure } from '../connectors/google/google-errors.js';
import { classifyGraphError, type GraphFailure } from '../connectors/microsoft365/graph-errors.js';

/**
 * Turns a failed call to Microsoft or Google into the Temporal failure the
 * workflow decides on: the type is the product's error code, the message a
 * sentence an administrator can act on, the details the service's own words.
 * Throttling is retried after the server's own delay (nextRetryDelay), never
 * in a tight loop; credentials are not retried within the cycle.
 */
type Service = 'Microsoft 365' | 'Google Workspace';

/**
 * The shortest delay a throttled retry waits even when the service says
 * "now" (Retry-After: 0, or a "Retry after" time already past on our
 * clock), so a refusal never turns into a tight loop. With no delay at all,
 * nextRetryDelay stays unset and the activity's retry policy backs off
 * exponentially (workflows/user-sync/activities.ts: 2 s doubling to 5 min).
 */
export const minimumThrottleDelayMs = 1000;

function failureFor(service: Service, failure: { kind: string; message: string; status?: number; retryAfterMs?: number }, details: Record<string, unknown>): ApplicationFailure {
  switch (failure.kind) {
    case 'mailboxAccessDenied':
      return ApplicationFailure.create({
        type: UserErrorCode.MailboxAccessDenied,
        message: `${service} refused the application access to this user's mailbox (an application access policy that leaves it out, or a missing Mail permission); the connection works for the other users: ${failure.message}`,
        nonRetryable: true,
        details: [details],
      });
    case 'noMailbox':
      return ApplicationFailure.create({
        type: UserErrorCode.NoMailbox,
        message: `This user has no Exchange Online mailbox (a guest, or no Exchange licence), so there is nothing to copy: ${failure.message}`,
        nonRetryable: true,
        details: [details],
      });
    // The token endpoint refused the impersonated user. Here the subject is the connection's own
    // admin (Directory calls); a mail activity resolves a refused mailbox user itself (target-account.ts).
    case 'accountRefused':
    case 'auth':
      return ApplicationFailure.create({
        type: UserErrorCode.AuthTokenExpired,
        message: `The ${service} connection's credentials were refused (expired or revoked): ${failure.message}`,
        nonRetryable: true,
        details: [details],
      });
    case 'throttled':
      return ApplicationFailure.create({
        type: UserErrorCode.RateLimited,
        message: `${service} is throttling requests for this user; retrying after the delay it asked for.`,
        nextRetryDelay: failure.retryAfterMs === undefined ? undefined : Math.max(minimumThrottleDelayMs, failure.retryAfterMs),
        details: [details],
      });
    case 'unavailable':
      return ApplicationFailure.create({
        type: UserErrorCode.ConnectionUnavailable,
        message: `${service} could not be reached or answered with a server error: ${failure.message}`,
        details: [details],
      });
    default:
      return ApplicationFailure.create({
        type: `${service === 'Microsoft 365' ? 'GRAPH' : 'GOOGLE'}_${failure.kind.toUpperCase()}`,
        message: `${service} refused a request: ${failure.message}`,
        details: [details],
      });
  }
}

export function graphFailure(err: unknown): ApplicationFailure {
  const failure: GraphFailure = classifyGraphError(err);
  return failureFor('Microsoft 365', failure, { service: 'microsoft365', ...failure });
}

export function googleFailure(err: unknown): ApplicationFailure {
  const failure: GoogleFailure = classifyGoogleError(err);
  return failureFor('Google Workspace', failure, { service: 'google-workspace', ...failure });
}

/**
 * The token endpoint's answers when the client id is not authorized for a
 * scope it asked for ("Client is unauthorized to retrieve access tokens
 * using this method, or client not authorized for any of the scopes
 * requested": Google's service-account guide, domain-wide delegation).
 */
const scopeRefusals: ReadonlySet<string> = new Set(['unauthorized_client', 'access_denied', 'invalid_scope']);

/**
 * For a data type with scopes of its own (contacts; calendar next), run after
 * mail has worked with the same service account: a scope refusal is that
 * type's scope alone, so it is SCOPE_NOT_AUTHORIZED on the user rather than
 * AUTH_TOKEN_EXPIRED, which would put the connection in Error and stop every
 * user's mail. Null when the error is something else.
 */
export function googleScopeFailure(err: unknown, dataType: string, scopes: readonly string[]): ApplicationFailure | null {
  const failure = classifyGoogleError(err);
  if (failure.kind !== 'auth' || failure.reason === undefined || !scopeRefusals.has(failure.reason)) return null;
  return ApplicationFailure.create({
    type: UserErrorCode.ScopeNotAuthorized,
    message: `Google refused the scope ${dataType} need (${scopes.join(', ')}) for the sync's service account: add it to the client ID's domain-wide delegation, or take ${dataType} out of the policy. Mail is not affected.`,
    nonRetryable: true,
    details: [{ service: 'google-workspace', ...failure }],
  });
}

export function userNotFound(message: string, details: Record<string, unknown> = {}): ApplicationFailure {
  return ApplicationFailure.create({ type: UserErrorCode.UserNotFound, message, nonRetryable: true, details: [details] });
}
