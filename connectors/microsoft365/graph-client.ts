import { ConfidentialClientApplication } from '@azure/msal-node';
import {
  AuthenticationHandler,
  Client,
  GraphError,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  ResponseType,
  TelemetryHandler,
  type AuthenticationProvider,
  type Context,
  type GraphRequest,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { GraphThrottleCounter } from '../../shared/metrics/throttle-counting.js';
import { classifyGraphError } from './graph-errors.js';

/**
 * The Microsoft Graph connection the sync uses: an MSAL confidential client
 * (client-credentials flow) feeding the Graph SDK's middleware chain.
 *
 * Two deliberate departures from the SDK's default chain:
 *  - no RetryHandler: a 429/503 must surface at once, with its Retry-After
 *    header, so the sync can retry durably through Temporal instead of
 *    sleeping inside an activity;
 *  - a 401 InvalidAuthenticationToken is retried once with a freshly
 *    acquired token, because a cached token can be invalidated before its
 *    expiry (revocation, key roll-over); if the new token is refused too,
 *    or no token can be had, the error surfaces.
 * Nothing here is specific to the emulator: point `authorityHost` and
 * `graphBaseUrl` at it and the same code runs.
 */
export interface GraphConnectionSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Default https://login.microsoftonline.com */
  authorityHost?: string;
  /** Default https://graph.microsoft.com */
  graphBaseUrl?: string;
}

export interface GraphPreferences {
  /** `Prefer: IdType="ImmutableId"`: ids that survive moves between folders. */
  immutableIds?: boolean;
  /** `Prefer: odata.maxpagesize=N`: page size of delta and list responses. */
  maxPageSize?: number;
}

export interface GraphConnection {
  /** The Graph SDK client; relative paths resolve against `${graphBaseUrl}/v1.0`. */
  client: Client;
  /** An access token for Graph (cached by MSAL until shortly before expiry unless forceRefresh). */
  acquireToken(options?: { forceRefresh?: boolean }): Promise<string>;
  /** The RFC 822 bytes of a message (GET /users/{id}/messages/{id}/$value). Errors are thrown as GraphError. */
  getMimeContent(userId: string, messageId: string, preferences?: GraphPreferences): Promise<Buffer>;
  /** A binary resource (a contact's photo/$value...) with its Content-Type. Errors are thrown as GraphError. */
  getBinary(path: string, preferences?: GraphPreferences): Promise<{ bytes: Buffer; contentType: string | null }>;
}

/** A held token is renewed this long before it expires, as MSAL itself does. */
const tokenRefreshMarginMs = 5 * 60_000;

export const defaultAuthorityHost = 'https://login.microsoftonline.com';
export const defaultGraphBaseUrl = 'https://graph.microsoft.com';

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** The Prefer header value for the given preferences, or undefined when there are none. */
export function preferHeader(preferences: GraphPreferences = {}): string | undefined {
  const parts: string[] = [];
  if (preferences.maxPageSize !== undefined) {
    if (!Number.isInteger(preferences.maxPageSize) || preferences.maxPageSize < 1) throw new RangeError(`maxPageSize must be a positive whole number, got ${preferences.maxPageSize}`);
    parts.push(`odata.maxpagesize=${preferences.maxPageSize}`);
  }
  if (preferences.immutableIds) parts.push('IdType="ImmutableId"');
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** Adds the Prefer header to a request built with `client.api(...)`. */
export function withPreferences(request: GraphRequest, preferences: GraphPreferences = {}): GraphRequest {
  const value = preferHeader(preferences);
  return value === undefined ? request : request.header('Prefer', value);
}

function setAuthorization(context: Context, token: string): void {
  const value = `Bearer ${token}`;
  if (typeof context.request !== 'string') {
    context.request.headers.set('Authorization', value);
    return;
  }
  context.options ??= {};
  const headers = context.options.headers;
  if (headers instanceof Headers) headers.set('Authorization', value);
  else if (Array.isArray(headers)) context.options.headers = [...headers.filter(([name]) => name?.toLowerCase() !== 'authorization'), ['Authorization', value]];
  else context.options.headers = { ...(headers ?? {}), Authorization: value };
}

function hasAuthorization(context: Context): boolean {
  if (typeof context.request !== 'string') return context.request.headers.has('Authorization');
  const headers = context.options?.headers;
  if (!headers) return false;
  if (headers instanceof Headers) return headers.has('Authorization');
  if (Array.isArray(headers)) return headers.some(([name]) => name?.toLowerCase() === 'authorization');
  return Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
}

/** Retries a request once with a fresh token when Graph says the token it carried is no longer valid. */
class FreshTokenOnRejectionHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly freshToken: () => Promise<string>) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error('FreshTokenOnRejectionHandler needs a next middleware');
    await this.next.execute(context);
    if (context.response?.status !== 401 || !hasAuthorization(context)) return;
    const body = (await context.response
      .clone()
      .json()
      .catch(() => undefined)) as { error?: { code?: string } } | undefined;
    if (body?.error?.code !== 'InvalidAuthenticationToken') return;
    // The refused answer is dropped: release its connection before asking again.
    await context.response.body?.cancel().catch(() => undefined);
    setAuthorization(context, await this.freshToken());
    await this.next.execute(context);
  }
}

/** A GraphError like the SDK throws for JSON error bodies, for responses read in RAW mode. */
async function graphErrorFrom(response: Response): Promise<GraphError> {
  const text = await response.text();
  let parsed: { error?: { code?: string; message?: string; innerError?: { 'request-id'?: string } } } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  const error = new GraphError(response.status, parsed?.error?.message ?? (text || response.statusText));
  error.code = parsed?.error?.code ?? null;
  error.requestId = parsed?.error?.innerError?.['request-id'] ?? null;
  error.body = parsed?.error ? JSON.stringify(parsed.error) : text;
  error.headers = response.headers;
  return error;
}

export function createGraphClient(settings: GraphConnectionSettings): GraphConnection {
  const authorityHost = trimSlash(settings.authorityHost ?? defaultAuthorityHost);
  const graphBaseUrl = trimSlash(settings.graphBaseUrl ?? defaultGraphBaseUrl);
  const customAuthority = authorityHost !== defaultAuthorityHost;

  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      authority: `${authorityHost}/${settings.tenantId}`,
      // A host MSAL does not know must be declared, or it asks Microsoft's instance discovery about it.
      ...(customAuthority ? { knownAuthorities: [new URL(authorityHost).host] } : {}),
    },
  });
  const scopes = [`${graphBaseUrl}/.default`];

  // MSAL's own cache lookup costs more CPU than the delta request it authorises (an idle
  // cycle is a dozen of them), so the token is kept here until shortly before it expires.
  let held: { token: string; refreshAfter: number } | null = null;
  const acquireToken = async (options: { forceRefresh?: boolean } = {}): Promise<string> => {
    if (!options.forceRefresh && held && Date.now() < held.refreshAfter) return held.token;
    const result = await msal.acquireTokenByClientCredential({ scopes, skipCache: options.forceRefresh ?? false });
    if (!result?.accessToken) throw new Error('MSAL returned no access token for the client-credentials request.');
    held = { token: result.accessToken, refreshAfter: (result.expiresOn?.getTime() ?? 0) - tokenRefreshMarginMs };
    return result.accessToken;
  };
  const authProvider: AuthenticationProvider = { getAccessToken: () => acquireToken() };

  const graphHost = new URL(graphBaseUrl).hostname;
  const middleware: Middleware[] = [
    new AuthenticationHandler(authProvider),
    new FreshTokenOnRejectionHandler(() => acquireToken({ forceRefresh: true })),
    new RedirectHandler(new RedirectHandlerOptions()),
    new TelemetryHandler(),
    new GraphThrottleCounter(classifyGraphError),
    new HTTPMessageHandler(),
  ];
  const client = Client.initWithMiddleware({
    middleware,
    baseUrl: graphBaseUrl,
    defaultVersion: 'v1.0',
    // The SDK attaches the bearer token only to Graph hosts and these.
    ...(graphHost !== new URL(defaultGraphBaseUrl).hostname ? { customHosts: new Set([graphHost]) } : {}),
  });

  async function getBinary(path: string, preferences: GraphPreferences = {}): Promise<{ bytes: Buffer; contentType: string | null }> {
    const response = (await withPreferences(client.api(path).responseType(ResponseType.RAW), preferences).get()) as Response;
    if (!response.ok) throw await graphErrorFrom(response);
    return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
  }

  return {
    client,
    acquireToken,
    async getMimeContent(userId, messageId, preferences = {}) {
      const { bytes } = await getBinary(`/users/${encodeURIComponent(userId)}/messages/${encodeURIComponent(messageId)}/$value`, preferences);
      return bytes;
    },
    getBinary,
  };
}
