/**
 * One vocabulary for everything that can go wrong talking to Microsoft:
 * MSAL token errors, Graph error responses (thrown by the SDK as GraphError),
 * single responses inside a $batch, and network failures. Decisions are made
 * on status and `code`, never on message wording, except for MSAL errors
 * that the Graph SDK has already flattened into a message (it keeps only
 * name and message of errors raised inside its middleware).
 */
export type GraphFailureKind = 'auth' | 'mailboxAccessDenied' | 'noMailbox' | 'throttled' | 'notFound' | 'syncStateNotFound' | 'unavailable' | 'other';

export interface GraphFailure {
  kind: GraphFailureKind;
  status?: number;
  /** Graph's error code, or MSAL's (e.g. invalid_client) with the AADSTS number when there is one. */
  code?: string;
  message: string;
  /** From Retry-After, when the service sent one. */
  retryAfterMs?: number;
}

const msalErrorNames = new Set(['AuthError', 'ServerError', 'ClientAuthError', 'ClientConfigurationError', 'InteractionRequiredAuthError']);
const msalNetworkCodes = new Set(['network_error', 'endpoints_resolution_error', 'openid_config_error', 'untrusted_authority']);
const syncStateCodes = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid']);
/**
 * Exchange Online has no mailbox behind this user for the REST API: a guest,
 * an unlicensed or on-premises user (404 MailboxNotEnabledForRESTAPI "The
 * mailbox is either inactive, soft-deleted, or is hosted on-premise.";
 * microsoftgraph/microsoft-graph-docs-contrib#405, msgraph-sdk-javascript#1756).
 * MailboxNotSupportedForRESTAPI is the older spelling (jasonjoh/php-tutorial#2).
 */
const noMailboxCodes = new Set(['mailboxnotenabledforrestapi', 'mailboxnotsupportedforrestapi']);
const networkErrorCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);

type HeaderSource = Headers | Record<string, string> | undefined;

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return entry?.[1];
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function fromHttpStatus(status: number, code: string | undefined, message: string, headers: HeaderSource): GraphFailure {
  const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'));
  const base = { status, message, ...(code ? { code } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  if (status === 410 || (code !== undefined && syncStateCodes.has(code.toLowerCase()))) return { kind: 'syncStateNotFound', ...base };
  if (code !== undefined && noMailboxCodes.has(code.toLowerCase())) return { kind: 'noMailbox', ...base };
  // A mailbox refused to the app while its token is good: an application access policy that leaves
  // it out answers 403 ErrorAccessDenied "Access to OData is disabled." (Graph, auth-limit-mailbox-access).
  // Only the token endpoint's refusals and a refused token (401) say the connection's credentials are bad.
  if (status === 403 && code?.toLowerCase() === 'erroraccessdenied') return { kind: 'mailboxAccessDenied', ...base };
  if (status === 401 || status === 403) return { kind: 'auth', ...base };
  if (status === 429 || (status === 503 && retryAfterMs !== undefined)) return { kind: 'throttled', ...base };
  if (status === 404) return { kind: 'notFound', ...base };
  if (status >= 500) return { kind: 'unavailable', ...base };
  return { kind: 'other', ...base };
}

/** MSAL: errorCode such as invalid_client, errorNo such as 7000215, status of the token endpoint's answer. */
function fromMsal(errorCode: string, message: string, aadsts: string | undefined, status: number | undefined): GraphFailure {
  const code = aadsts ? `${errorCode} (AADSTS${aadsts})` : errorCode;
  const base = { code, message, ...(status !== undefined ? { status } : {}) };
  if (msalNetworkCodes.has(errorCode)) return { kind: 'unavailable', ...base };
  if (status !== undefined && (status === 429 || status >= 500)) return { kind: status === 429 ? 'throttled' : 'unavailable', ...base };
  return { kind: 'auth', ...base };
}

function isNetworkError(error: Error & { code?: unknown; cause?: unknown }): boolean {
  if (typeof error.code === 'string' && networkErrorCodes.has(error.code)) return true;
  if (error.name === 'TypeError' && /fetch failed/i.test(error.message)) return true;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return true;
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' && networkErrorCodes.has(cause.code);
}

interface GraphErrorLike extends Error {
  statusCode: number;
  code: string | null;
  headers?: Headers;
}

interface MsalErrorLike extends Error {
  errorCode: string;
  errorMessage?: string;
  errorNo?: string | number;
  status?: number;
}

interface BatchResponseLike {
  status: number;
  headers?: Record<string, string>;
  body?: { error?: { code?: string; message?: string } };
}

export function classifyGraphError(err: unknown): GraphFailure {
  if (err && typeof err === 'object' && 'statusCode' in err && err instanceof Error) {
    const error = err as GraphErrorLike;
    if (error.statusCode > 0) return fromHttpStatus(error.statusCode, error.code ?? undefined, error.message, error.headers);
    // No HTTP answer: an MSAL error or a network failure raised inside the SDK's middleware.
    const name = error.code ?? error.name;
    if (msalErrorNames.has(name)) {
      const msalCode = /^([a-z_]+):/.exec(error.message)?.[1] ?? 'unknown_error';
      const aadsts = /AADSTS(\d+)/.exec(error.message)?.[1] ?? /Error\(s\): (\d+)/.exec(error.message)?.[1];
      return fromMsal(msalCode, error.message, aadsts, undefined);
    }
    if (name === 'TypeError' || name === 'AbortError' || /fetch failed|ECONN|ETIMEDOUT|ENOTFOUND|socket/i.test(error.message)) {
      return { kind: 'unavailable', message: error.message, ...(error.code ? { code: error.code } : {}) };
    }
    return { kind: 'other', message: error.message, ...(error.code ? { code: error.code } : {}) };
  }
  if (err && typeof err === 'object' && 'errorCode' in err && err instanceof Error) {
    const error = err as MsalErrorLike;
    const aadsts = error.errorNo !== undefined && error.errorNo !== '' ? String(error.errorNo) : /AADSTS(\d+)/.exec(error.message)?.[1];
    return fromMsal(error.errorCode, error.message, aadsts, error.status);
  }
  if (err && typeof err === 'object' && 'status' in err && typeof (err as BatchResponseLike).status === 'number' && !(err instanceof Error)) {
    const response = err as BatchResponseLike;
    return fromHttpStatus(response.status, response.body?.error?.code, response.body?.error?.message ?? `HTTP ${response.status}`, response.headers);
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (isNetworkError(err)) return { kind: 'unavailable', message: err.message, ...(typeof code === 'string' ? { code } : {}) };
    return { kind: 'other', message: err.message };
  }
  return { kind: 'other', message: String(err) };
}
