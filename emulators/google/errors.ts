import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { markDeliberatelyOffContract } from '../response-observer.js';

/**
 * Errors in the shapes Google answers with. Handlers throw them; the app's
 * error handler renders them, so every route fails the same way.
 */
export interface GoogleErrorDetail {
  status: ContentfulStatusCode;
  message: string;
  /** errors[0].message when Google words it differently from the top-level message. */
  itemMessage?: string;
  reason: string;
  /** `global` for most errors, `usageLimits` for quota refusals. */
  domain?: string;
  /** Canonical status name (`NOT_FOUND`, `RESOURCE_EXHAUSTED`...); omitted where Google omits it. */
  googleStatus?: string;
  /** Extra fields of the `errors[0]` entry (e.g. location, locationType). */
  errorFields?: Record<string, string>;
  headers?: Record<string, string>;
  /** APIs on Google's newer front end (People API) answer without the legacy `errors` list. */
  omitErrorItems?: boolean;
  /** google.rpc detail messages (ErrorInfo, Help...), each with its `@type`. */
  details?: Array<Record<string, unknown>>;
}

type ErrorBody = { error: { code: number; message: string; errors?: Array<Record<string, string>>; status?: string; details?: Array<Record<string, unknown>> } };

export class GoogleApiError extends Error {
  constructor(readonly detail: GoogleErrorDetail) {
    super(detail.message);
    this.name = 'GoogleApiError';
  }

  body(): ErrorBody {
    const { status, message, itemMessage, reason, domain, googleStatus, errorFields, omitErrorItems, details } = this.detail;
    const error: ErrorBody['error'] = { code: status, message };
    if (!omitErrorItems) error.errors = [{ message: itemMessage ?? message, domain: domain ?? 'global', reason, ...errorFields }];
    if (googleStatus) error.status = googleStatus;
    if (details) error.details = details.map((entry) => structuredClone(entry));
    return { error };
  }
}

/** The OAuth token endpoint's error shape: `{error, error_description}`. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

/** A control-API request the emulator cannot act on (bad body, unknown user...). */
export class ControlError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

/** An armed answer that is not Google's error shape (control API failure injection). */
export class RawAnswer extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly text: string,
  ) {
    super(text);
    this.name = 'RawAnswer';
  }
}

export function renderError(err: Error, c: Context): Response {
  if (err instanceof RawAnswer) {
    markDeliberatelyOffContract(c);
    return c.body(err.text, err.status, { 'Content-Type': 'text/plain; charset=utf-8' });
  }
  if (err instanceof GoogleApiError) {
    for (const [name, value] of Object.entries(err.detail.headers ?? {})) c.header(name, value);
    return c.json(err.body(), err.detail.status);
  }
  if (err instanceof OAuthError) {
    return c.json({ error: err.error, error_description: err.description }, err.status);
  }
  if (err instanceof ControlError) {
    return c.json({ error: { code: err.status, message: err.message } }, err.status);
  }
  return c.json(backendError(err).body(), 500);
}

export function backendError(err: Error): GoogleApiError {
  return new GoogleApiError({ status: 500, message: `Backend Error: ${err.message}`, reason: 'backendError', googleStatus: 'INTERNAL' });
}

// ----- the errors the emulator answers with, one factory each -----

/** api-facts B1: the body and header Google sends for a missing, expired or revoked access token. */
export function unauthenticated(): GoogleApiError {
  return new GoogleApiError({
    status: 401,
    message:
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    itemMessage: 'Invalid Credentials',
    reason: 'authError',
    googleStatus: 'UNAUTHENTICATED',
    errorFields: { location: 'Authorization', locationType: 'header' },
    headers: { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
  });
}

export function insufficientScopes(): GoogleApiError {
  return new GoogleApiError({
    status: 403,
    message: 'Request had insufficient authentication scopes.',
    itemMessage: 'Insufficient Permission',
    reason: 'insufficientPermissions',
    googleStatus: 'PERMISSION_DENIED',
  });
}

export function notFound(message = 'Requested entity was not found.'): GoogleApiError {
  return new GoogleApiError({ status: 404, message, reason: 'notFound', googleStatus: 'NOT_FOUND' });
}

export function invalidArgument(message: string): GoogleApiError {
  return new GoogleApiError({ status: 400, message, reason: 'invalidArgument', googleStatus: 'INVALID_ARGUMENT' });
}

export function badRequest(message: string): GoogleApiError {
  return new GoogleApiError({ status: 400, message, reason: 'badRequest', googleStatus: 'INVALID_ARGUMENT' });
}

export function mailServiceNotEnabled(): GoogleApiError {
  return new GoogleApiError({ status: 400, message: 'Mail service not enabled', reason: 'failedPrecondition', googleStatus: 'FAILED_PRECONDITION' });
}

/**
 * Emulator's choice: Google's wording for a token of one user used on another
 * user's mailbox was not found in a source; "Delegation denied for <subject>"
 * is what Gmail is commonly reported to answer.
 */
export function delegationDenied(subject: string): GoogleApiError {
  return new GoogleApiError({ status: 403, message: `Delegation denied for ${subject}`, reason: 'forbidden', googleStatus: 'PERMISSION_DENIED' });
}

export function notAuthorizedForDirectory(): GoogleApiError {
  return new GoogleApiError({ status: 403, message: 'Not Authorized to access this resource/api', reason: 'forbidden' });
}

/**
 * Gmail answers an oversized payload with 400 badRequest "Request payload size
 * exceeds the limit: N bytes." (seen for send, google-api-dotnet-client#856);
 * the emulator answers imports over maxImportBytes the same way.
 */
export function payloadTooLarge(limitBytes: number): GoogleApiError {
  return new GoogleApiError({ status: 400, message: `Request payload size exceeds the limit: ${limitBytes} bytes.`, reason: 'badRequest' });
}

/**
 * A People API error: {error: {code, message, status, details?}} without the
 * legacy `errors` list, as the People API answers (the bodies quoted in
 * googleapis/google-api-python-client#2417, rapidwebltd/php-google-people-api#45,
 * mrmattwilkins/google-contacts-sync#1).
 */
export function peopleError(status: ContentfulStatusCode, googleStatus: string, message: string, details?: Array<Record<string, unknown>>): GoogleApiError {
  const reason = googleStatus.toLowerCase().replace(/_([a-z])/g, (_m, letter: string) => letter.toUpperCase());
  return new GoogleApiError({ status, message, reason, googleStatus, omitErrorItems: true, ...(details ? { details } : {}) });
}

export function peopleInvalidArgument(message: string): GoogleApiError {
  return peopleError(400, 'INVALID_ARGUMENT', message);
}
