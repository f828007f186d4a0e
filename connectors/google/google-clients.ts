import { Agent, type RequestOptions } from 'node:https';
import { Socket } from 'node:net';
import { Readable, type Duplex } from 'node:stream';
// gaxios as google-auth-library loads it (its CommonJS build): an ESM import of
// 'gaxios' would be a second copy whose types and classes do not line up.
import { gaxios, JWT } from 'google-auth-library';
// The per-API entry points load in a fraction of the time of the `googleapis`
// index, which builds every Google API client (about a second per process).
import { admin_directory_v1 } from 'googleapis/build/src/apis/admin/directory_v1.js';
import { calendar_v3 } from 'googleapis/build/src/apis/calendar/v3.js';
import { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { people_v1 } from 'googleapis/build/src/apis/people/v1.js';
import { LRUCache } from 'lru-cache';
import { googleThrottleCounter } from '../../shared/metrics/throttle-counting.js';
import { classifyGoogleError } from './google-errors.js';
import type { ServiceAccountKeyJson } from '../../shared/google-service-account-key.js';

export type { ServiceAccountKeyJson };

export interface GoogleConnectionSettings {
  serviceAccountKey: ServiceAccountKeyJson;
  /** An administrator of the Workspace tenant; Directory calls impersonate this user. */
  adminSubject: string;
  /**
   * Where every Google endpoint is reached instead of its public host (token,
   * Admin SDK, Gmail, uploads), e.g. the emulator's https://localhost:3002.
   * Unset in production.
   */
  apiBaseUrl?: string;
  /** How long a user's clients are kept after their last use (userClientIdleMs unless set, e.g. by a test). */
  userClientIdleMs?: number;
}

/**
 * How long a user's API clients (and the access tokens inside them) are kept
 * after their last use. A worker carrying thousands of users would otherwise
 * hold three clients for every user it has ever served; an idle cycle asks
 * for no Google client at all, so the next busy one builds them again and
 * asks for a fresh token (Google's last an hour).
 */
export const userClientIdleMs = 5 * 60_000;
/** A cap besides the idle time: more users at once than any worker's activity slots. */
const userClientCacheMax = 2_000;

/** One client per user (lower-cased e-mail), dropped when unused for `idleMs`. */
function clientsPerUser<T extends object>(make: (userEmail: string) => T, idleMs: number): (userEmail: string) => T {
  const cache = new LRUCache<string, T>({ max: userClientCacheMax, ttl: idleMs, updateAgeOnGet: true });
  let lastPurge = Date.now();
  return (userEmail) => {
    // lru-cache drops a stale entry only when it is read or the cap is reached: purge once per idle period.
    if (Date.now() - lastPurge >= idleMs) {
      lastPurge = Date.now();
      cache.purgeStale();
    }
    const key = userEmail.toLowerCase();
    let client = cache.get(key);
    if (!client) cache.set(key, (client = make(userEmail)));
    return client;
  };
}

export interface GoogleAccessCheck {
  adminSubject: string;
  /** The Directory id of the admin subject, proof that the delegated call went through. */
  adminUserId: string;
}

export interface GoogleClients {
  /** Admin SDK Directory, authorized as the admin subject. */
  directory: admin_directory_v1.Admin;
  /** Gmail authorized as `userEmail` (domain-wide delegation); one client per user, kept while in use. */
  gmailFor(userEmail: string): gmail_v1.Gmail;
  /** The People API (Google Contacts) authorized as `userEmail`; one client per user, kept while in use. */
  peopleFor(userEmail: string): people_v1.People;
  /** The Calendar API authorized as `userEmail`; one client per user, kept while in use. */
  calendarFor(userEmail: string): calendar_v3.Calendar;
  /**
   * Reads the admin subject from the Directory (a delegated token plus one
   * cheap call), then asks for a Gmail-scoped token, so a missing
   * domain-wide delegation scope shows up before any user is synced.
   */
  testAccess(): Promise<GoogleAccessCheck>;
}

export const directoryScopes: readonly string[] = ['https://www.googleapis.com/auth/admin.directory.user'];
export const gmailScopes: readonly string[] = ['https://www.googleapis.com/auth/gmail.modify', 'https://www.googleapis.com/auth/gmail.labels'];
/** Asked for only when a policy copies contacts, so a tenant that syncs mail alone need not authorize it. */
export const contactsScopes: readonly string[] = ['https://www.googleapis.com/auth/contacts'];
/** Asked for only when a policy copies calendars. */
export const calendarScopes: readonly string[] = ['https://www.googleapis.com/auth/calendar'];

/** Hosts the Google clients talk to; with apiBaseUrl set, all of them lead there. */
const googleHosts: ReadonlySet<string> = new Set(['oauth2.googleapis.com', 'gmail.googleapis.com', 'admin.googleapis.com', 'www.googleapis.com', 'people.googleapis.com']);

type Gaxios = gaxios.Gaxios;
type GaxiosOptions = gaxios.GaxiosOptions;
type GaxiosOptionsPrepared = gaxios.GaxiosOptionsPrepared;
type GaxiosResponse<T> = gaxios.GaxiosResponse<T>;

/**
 * The sync retries durably (Temporal, honouring Retry-After); gaxios's own
 * retries would hide throttling and ignore Retry-After, so every request goes
 * out once and its error surfaces at once.
 */
function withoutAutomaticRetry(config: GaxiosOptionsPrepared): GaxiosOptionsPrepared {
  config.retry = false;
  delete config.retryConfig;
  return config;
}

function redirectGoogleHosts(apiBaseUrl: string): (config: GaxiosOptionsPrepared) => GaxiosOptionsPrepared {
  const base = new URL(apiBaseUrl.endsWith('/') ? apiBaseUrl : `${apiBaseUrl}/`);
  return (config) => {
    const target = new URL(config.url);
    if (googleHosts.has(target.hostname)) {
      config.url = new URL(`${target.pathname.replace(/^\//, '')}${target.search}`, base);
    }
    return config;
  };
}

/**
 * One transport for every Google call: the JWT clients fetch tokens through it
 * and googleapis sends API requests through the JWT clients, so the token URL
 * (hard-coded in google-auth-library) and media-upload URLs are covered too.
 * With apiBaseUrl, every Google host is rewritten to it; that is the only
 * difference between production and the emulator.
 */
/**
 * Keep-alive HTTPS with Nagle's algorithm off. googleapis streams a multipart
 * upload in several small writes; with Nagle on, delayed ACKs add ~40 ms to
 * every import. (The agent's noDelay option does not reach TLS sockets.)
 */
class NoDelayAgent extends Agent {
  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = super.createConnection(options, callback);
    if (socket instanceof Socket) socket.setNoDelay(true);
    return socket;
  }
}

export function createGoogleTransport(apiBaseUrl?: string): Gaxios {
  const transport = new gaxios.Gaxios({ agent: new NoDelayAgent({ keepAlive: true }) });
  const redirect = apiBaseUrl ? redirectGoogleHosts(apiBaseUrl) : undefined;
  transport.interceptors.request.add({
    resolved: async (config) => {
      withoutAutomaticRetry(config);
      return redirect ? redirect(config) : config;
    },
  });
  transport.interceptors.response.add(googleThrottleCounter(classifyGoogleError));
  return transport;
}

function isApiAuthenticationFailure(error: unknown): boolean {
  const response = (error as { response?: { status?: number; data?: unknown } } | null)?.response;
  if (response?.status !== 401) return false;
  // Token-endpoint failures (`{error: 'unauthorized_client'}`) are not about a stale token.
  const data = response.data as { error?: unknown } | undefined;
  return typeof data?.error !== 'string';
}

/**
 * A delegated service-account client that drops its cached access token when
 * an API answers 401 (token revoked or expired early on Google's side) and
 * tries once more with a fresh one. The library's own refresh-on-failure also
 * fires on 403, which would replay quota refusals, so it is not used.
 */
export class DelegatedJwt extends JWT {
  forgetAccessToken(): void {
    // The shape JWT starts with: expired, refreshable through the signed assertion.
    this.credentials = { refresh_token: 'jwt-placeholder', expiry_date: 1 };
  }

  protected override async requestAsync<T>(opts: GaxiosOptions, reAuthRetried = false): Promise<GaxiosResponse<T>> {
    try {
      return await super.requestAsync<T>(opts, true);
    } catch (error) {
      if (!isApiAuthenticationFailure(error)) throw error;
      this.forgetAccessToken();
      // A streamed body (media upload) is consumed; its caller must resend it.
      if (reAuthRetried || opts.data instanceof Readable) throw error;
      return super.requestAsync<T>(opts, true);
    }
  }
}

/** The per-call rootUrl of a client built by createGoogleClients (set only when apiBaseUrl is). */
export function configuredRootUrl(gmail: gmail_v1.Gmail): string | undefined {
  return gmail.context._options.rootUrl;
}

/** Service-account credentials impersonating `subject` (domain-wide delegation). */
export function delegatedCredentials(key: ServiceAccountKeyJson, subject: string, scopes: readonly string[], transporter: Gaxios): DelegatedJwt {
  return new DelegatedJwt({
    email: key.client_email,
    key: key.private_key,
    keyId: key.private_key_id,
    subject,
    scopes: [...scopes],
    transporter,
  });
}

export function createGoogleClients(settings: GoogleConnectionSettings): GoogleClients {
  const transporter = createGoogleTransport(settings.apiBaseUrl);
  const rootUrl = settings.apiBaseUrl ? `${settings.apiBaseUrl.replace(/\/+$/, '')}/` : undefined;
  const authorize = (subject: string, scopes: readonly string[]) => delegatedCredentials(settings.serviceAccountKey, subject, scopes, transporter);

  const directory = new admin_directory_v1.Admin({ auth: authorize(settings.adminSubject, directoryScopes), rootUrl });
  const idleMs = settings.userClientIdleMs ?? userClientIdleMs;
  const gmailFor = clientsPerUser((userEmail) => new gmail_v1.Gmail({ auth: authorize(userEmail, gmailScopes), rootUrl }), idleMs);
  const peopleFor = clientsPerUser((userEmail) => new people_v1.People({ auth: authorize(userEmail, contactsScopes), rootUrl }), idleMs);
  const calendarFor = clientsPerUser((userEmail) => new calendar_v3.Calendar({ auth: authorize(userEmail, calendarScopes), rootUrl }), idleMs);

  return {
    directory,
    gmailFor,
    peopleFor,
    calendarFor,
    async testAccess(): Promise<GoogleAccessCheck> {
      const { data } = await directory.users.get({ userKey: settings.adminSubject, projection: 'basic', fields: 'id,primaryEmail' });
      await authorize(settings.adminSubject, gmailScopes).getAccessToken();
      return { adminSubject: data.primaryEmail ?? settings.adminSubject, adminUserId: data.id ?? '' };
    },
  };
}
