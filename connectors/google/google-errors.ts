/**
 * Turns whatever a Google call threw (a GaxiosError from an API or from the
 * OAuth token endpoint, a network failure, anything else) into one small
 * shape the sync decides on, keeping Google's own status, reason and message.
 */
export type GoogleFailureKind = 'auth' | 'accountRefused' | 'throttled' | 'notFound' | 'conflict' | 'invalid' | 'tooLarge' | 'precondition' | 'unavailable' | 'other';

export interface GoogleFailure {
  kind: GoogleFailureKind;
  /** HTTP status of Google's answer, when there was one. */
  status?: number;
  /** Google's reason (`userRateLimitExceeded`, `duplicate`...) or the OAuth error code (`invalid_grant`). */
  reason?: string;
  /** Google's message, or the OAuth error_description. */
  message: string;
  /** Google's canonical status name when given (`RESOURCE_EXHAUSTED`, `FAILED_PRECONDITION`...). */
  googleStatus?: string;
  retryAfterMs?: number;
}

interface ApiErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    errors?: Array<{ reason?: string; message?: string; domain?: string }>;
  };
}

interface OAuthErrorBody {
  error: string;
  error_description?: string;
}

interface ResponseLike {
  status?: number;
  data?: unknown;
  headers?: Headers | Record<string, string | string[] | undefined>;
}

/** Token-endpoint answers that mean the credentials or their delegation are wrong, not a passing fault. */
const oauthCredentialErrors: ReadonlySet<string> = new Set([
  'invalid_grant',
  'unauthorized_client',
  'access_denied',
  'admin_policy_enforced',
  'disabled_client',
  'deleted_client',
  'invalid_client',
  'invalid_scope',
]);

/**
 * invalid_grant texts that are about the impersonated user (`sub`), not the
 * service account's key: the user does not exist, or not yet (users.insert:
 * "Mutate calls immediately following user creation might sometimes fail ...
 * due to propagation delay"), or is suspended or deleted. Google's service-
 * account guide lists "Not a valid email" / "Invalid email or User ID";
 * GAM's OAUTH2_TOKEN_ERRORS adds "The account has been deleted". A refused
 * key says "Invalid JWT Signature." and stays 'auth'.
 */
const subjectRefusals: readonly RegExp[] = [/^Invalid email or User ID/i, /^Not a valid email/i, /^The account has been deleted/i];

const quotaReasons: ReadonlySet<string> = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'dailyLimitExceeded']);

/**
 * 403 reasons that mean the connection itself lacks a permission (token scope,
 * Workspace policy, API not enabled). Other 403s ("Not Authorized to access
 * this resource/api" on users.insert for a domain the tenant does not own,
 * refusals armed in the emulator) are refusals of that one request: 'other'.
 */
const permissionReasons: ReadonlySet<string> = new Set(['authError', 'insufficientPermissions', 'domainPolicy', 'accessNotConfigured']);

const networkErrorCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
  'AbortError',
]);

function headerValue(headers: ResponseLike['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Gmail's quota refusals often carry their delay only in the message text,
 * with no Retry-After header: "User-rate limit exceeded.  Retry after
 * 2024-11-12T11:16:42.247Z" (googleapis/google-api-ruby-client#20544,
 * taers232c/GAMADV-XTD3#337, twentyhq/twenty#17850).
 */
const retryAfterInText = /\bRetry after (\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d))/i;

export function parseRetryAfterFromMessage(message: string | undefined, now: number = Date.now()): number | undefined {
  const match = message ? retryAfterInText.exec(message) : null;
  if (!match?.[1]) return undefined;
  const date = Date.parse(match[1]);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isOAuthErrorBody(data: unknown): data is OAuthErrorBody {
  return typeof data === 'object' && data !== null && typeof (data as { error?: unknown }).error === 'string';
}

function isApiErrorBody(data: unknown): data is ApiErrorBody {
  return typeof data === 'object' && data !== null && typeof (data as { error?: unknown }).error === 'object';
}

function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  // fetch wraps the socket error: GaxiosError -> TypeError('fetch failed') -> Error{code}
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : 'Unknown error from Google';
}

function kindForStatus(status: number, reason: string | undefined, googleStatus: string | undefined, message: string): GoogleFailureKind {
  if (status === 429 || (reason !== undefined && quotaReasons.has(reason))) return 'throttled';
  if (status === 401) return 'auth';
  // Gmail answers an oversized payload with 400 "Request payload size exceeds the limit: N bytes."
  if (status === 413 || /payload size exceeds the limit/i.test(message)) return 'tooLarge';
  if (status === 412 || reason === 'failedPrecondition' || googleStatus === 'FAILED_PRECONDITION') return 'precondition';
  if (status === 403) return reason !== undefined && permissionReasons.has(reason) ? 'auth' : 'other';
  if (status === 404) return 'notFound';
  if (status === 409) return 'conflict';
  if (status === 400) return 'invalid';
  if (status >= 500 || status === 408) return 'unavailable';
  return 'other';
}

export function classifyGoogleError(err: unknown): GoogleFailure {
  const response = (err as { response?: ResponseLike } | null)?.response;
  const status = response?.status;

  if (response === undefined || status === undefined) {
    const code = errorCode(err);
    const unreachable = code !== undefined && networkErrorCodes.has(code);
    const fetchFailed = err instanceof Error && /fetch failed|network|socket hang up/i.test(err.message);
    return { kind: unreachable || fetchFailed ? 'unavailable' : 'other', reason: code, message: messageOf(err) };
  }

  const retryAfterMs = parseRetryAfterMs(headerValue(response.headers, 'retry-after'));
  const data = response.data;

  if (isOAuthErrorBody(data)) {
    const subjectRefused = data.error === 'invalid_grant' && subjectRefusals.some((text) => text.test(data.error_description ?? ''));
    const kind: GoogleFailureKind = subjectRefused ? 'accountRefused' : oauthCredentialErrors.has(data.error) ? 'auth' : kindForStatus(status, undefined, undefined, '');
    return withRetryAfter({ kind, status, reason: data.error, message: data.error_description ?? data.error }, retryAfterMs);
  }

  if (isApiErrorBody(data) && data.error) {
    const first = data.error.errors?.[0];
    const message = data.error.message ?? first?.message ?? messageOf(err);
    const reason = first?.reason;
    const googleStatus = data.error.status;
    const failure: GoogleFailure = { kind: kindForStatus(status, reason, googleStatus, message), status, message };
    if (reason !== undefined) failure.reason = reason;
    if (googleStatus !== undefined) failure.googleStatus = googleStatus;
    // The header wins; without one, the time Gmail names in its message.
    const textDelay = failure.kind === 'throttled' ? parseRetryAfterFromMessage(message) : undefined;
    return withRetryAfter(failure, retryAfterMs ?? textDelay);
  }

  const message = typeof data === 'string' && data.length > 0 && data.length < 500 ? data : messageOf(err);
  return withRetryAfter({ kind: kindForStatus(status, undefined, undefined, message), status, message }, retryAfterMs);
}

function withRetryAfter(failure: GoogleFailure, retryAfterMs: number | undefined): GoogleFailure {
  if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  return failure;
}
