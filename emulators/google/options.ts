import type { ResponseObserver } from '../response-observer.js';
import type { ServiceAccountKeyJson } from './service-account-key.js';

/** Gmail methods the emulator serves, named as in Google's quota table. */
export type GmailMethod =
  | 'getProfile'
  | 'labels.list'
  | 'labels.get'
  | 'labels.create'
  | 'labels.update'
  | 'labels.delete'
  | 'messages.list'
  | 'messages.get'
  | 'messages.import'
  | 'messages.insert'
  | 'messages.modify'
  | 'messages.batchModify'
  | 'messages.trash'
  | 'messages.untrash'
  | 'messages.delete';

/** Quota units per call (Gmail API usage limits page; import and insert 25). */
export const defaultGmailMethodCosts: Readonly<Record<GmailMethod, number>> = {
  getProfile: 1,
  'labels.list': 1,
  'labels.get': 1,
  'labels.create': 5,
  'labels.update': 5,
  'labels.delete': 5,
  'messages.list': 5,
  'messages.get': 5,
  'messages.import': 25,
  'messages.insert': 25,
  'messages.modify': 5,
  'messages.batchModify': 50,
  'messages.trash': 5,
  'messages.untrash': 5,
  'messages.delete': 10,
};

export interface GoogleQuotaOptions {
  /** false: no quota refusals at all (benchmarks, functional tests). */
  enabled: boolean;
  /** Gmail units per user per minute: 15,000; Cloud projects created since May 2026 get 6,000. */
  userUnitsPerMinute: number;
  /** Gmail units per project (service account's project) per minute. */
  projectUnitsPerMinute: number;
  /** Gmail requests in flight per user before "Too many concurrent requests for user". */
  perUserConcurrency: number;
  /** Admin SDK Directory queries per minute per (admin) user. */
  directoryQueriesPerMinute: number;
  /**
   * People API read requests per minute per user. Google publishes no number; third-party
   * reports give 90 (MrCaspan/GAS-Gmail-Signature-Templator#1) and 180 (onmyway133/notes#517):
   * the lower one is the default.
   */
  peopleReadsPerMinute: number;
  /** People API write requests per minute per user; 60 is the conservative third-party figure (unconfirmed). */
  peopleWritesPerMinute: number;
  methodCosts: Record<GmailMethod, number>;
  /** Calendar API requests per minute per user per project: 600 (Calendar API "Manage quotas" page). */
  calendarUserRequestsPerMinute: number;
  /** Calendar API requests per minute per project: 10,000 (same page). */
  calendarProjectRequestsPerMinute: number;
}

export const defaultQuota: Readonly<Omit<GoogleQuotaOptions, 'methodCosts'>> = {
  enabled: true,
  userUnitsPerMinute: 15_000,
  projectUnitsPerMinute: 1_200_000,
  perUserConcurrency: 10,
  directoryQueriesPerMinute: 2_400,
  peopleReadsPerMinute: 90,
  peopleWritesPerMinute: 60,
  calendarUserRequestsPerMinute: 600,
  calendarProjectRequestsPerMinute: 10_000,
};

/**
 * Google Calendar's use limits (not API quota) and event size limits; see
 * emulators/google/README.md "Calendar" for the sources of each default.
 */
export interface CalendarLimitOptions {
  /** "Creating more than 60 new calendars in a short period" can make the calendar read-only (support.google.com/a/answer/2905486). */
  calendarsCreatedPerWindow: number;
  /** The "short period" of that limit; Google names none: one hour (emulator's choice). */
  calendarCreationWindowMinutes: number;
  /**
   * Event writes (insert, import, patch, update) carrying attendees per window before
   * "Calendar usage limits exceeded." Google publishes no number (inovex/CalendarSync#280,
   * OGCS#1744): 500 per hour is the emulator's choice, low enough that a sync must pace.
   */
  attendeeEventWritesPerWindow: number;
  attendeeWindowMinutes: number;
  /** How long the calendar stays read-only once a use limit is hit: "for hours" (answer/2905486); 3 hours by default. */
  readOnlyMinutes: number;
  /** Longest event description: "about 8K characters" (ical2org#16, unconfirmed); the stricter 8,000 by default. */
  maxDescriptionLength: number;
  /** Attendees per event: OGCS treats 200 as Google's cap (unconfirmed); stricter: at most 199. */
  maxAttendeesPerEvent: number;
}

export const defaultCalendarLimits: Readonly<CalendarLimitOptions> = {
  calendarsCreatedPerWindow: 60,
  calendarCreationWindowMinutes: 60,
  attendeeEventWritesPerWindow: 500,
  attendeeWindowMinutes: 60,
  readOnlyMinutes: 180,
  maxDescriptionLength: 8_000,
  maxAttendeesPerEvent: 199,
};

export interface UserSeed {
  primaryEmail: string;
  givenName: string;
  familyName: string;
  isAdmin?: boolean;
  suspended?: boolean;
  /** false: the account has no Gmail (no licence); Gmail calls answer "Mail service not enabled". */
  gmailEnabled?: boolean;
  aliases?: string[];
}

export interface ServiceAccountSeed {
  clientEmail: string;
  projectId: string;
  /** Numeric OAuth client id; generated when omitted. */
  clientId?: string;
  /** Scopes authorized for domain-wide delegation in the Admin console for this client id. */
  dwdScopes?: string[];
  /**
   * The public half of a key you already hold. When omitted the emulator
   * generates a key pair and exposes the key JSON (GoogleEmulator.serviceAccountKey()).
   */
  publicKeyPem?: string;
  /** Its private_key_id, when publicKeyPem is given. */
  keyId?: string;
}

export interface GoogleEmulatorOptions {
  /** Domains the tenant owns; the first is the primary. Default ['example.com']. */
  domains?: string[];
  customerId?: string;
  /** Default: one administrator, admin@<primary domain>. */
  users?: UserSeed[];
  /** Default: one service account of project 'emulator-project' with the sync's delegated scopes. */
  serviceAccounts?: ServiceAccountSeed[];
  quota?: Partial<Omit<GoogleQuotaOptions, 'methodCosts'>> & {
    methodCosts?: Partial<Record<GmailMethod, number>>;
    /** Shorthand for the cost of messages.import and messages.insert (25). */
    importCost?: number;
  };
  /** Google Calendar use limits and event size limits (defaults: defaultCalendarLimits). */
  calendar?: Partial<CalendarLimitOptions>;
  /** Largest message messages.import accepts; Gmail documents 150 MB. */
  maxImportBytes?: number;
  /** Access-token lifetime reported as expires_in (real tokens report 3599). */
  tokenLifetimeSeconds?: number;
  /**
   * How long the token endpoint refuses to impersonate an account made by
   * users.insert (invalid_grant "Invalid email or User ID"), as Google does
   * while a new account propagates. Default 20; 0 turns it off (benchmarks).
   */
  newAccountTokenDelaySeconds?: number;
  /**
   * Contacts one account may hold; createContact past it fails. "A limit of 25,000 contacts"
   * is a third-party figure (contactsplus.com blog; SimpleMobileTools/Simple-Contacts#1067), unconfirmed by Google.
   */
  maxContactsPerUser?: number;
  /** Keep the raw bytes of imported messages (format=raw); off by default to spare memory. */
  keepRawMessages?: boolean;
  /** Directory that holds the state across restarts; in memory only when unset. */
  persistDir?: string;
  /** Clock in epoch milliseconds; tests pass a controllable one. */
  now?: () => number;
  /** Tests: sees every response; the test helpers validate them against Google's discovery documents. */
  observeResponse?: ResponseObserver;
}

export interface ResolvedOptions {
  domains: string[];
  customerId: string;
  users: UserSeed[];
  serviceAccounts: ServiceAccountSeed[];
  quota: GoogleQuotaOptions;
  calendar: CalendarLimitOptions;
  maxImportBytes: number;
  maxContactsPerUser: number;
  tokenLifetimeSeconds: number;
  newAccountTokenDelaySeconds: number;
  keepRawMessages: boolean;
  persistDir: string | undefined;
  now: () => number;
}

export const syncDelegatedScopes: readonly string[] = [
  'https://www.googleapis.com/auth/admin.directory.user',
  'https://www.googleapis.com/auth/gmail.modify',
  'https://www.googleapis.com/auth/gmail.labels',
  'https://www.googleapis.com/auth/contacts',
  'https://www.googleapis.com/auth/calendar',
];

export const defaultMaxImportBytes = 150 * 1024 * 1024;

function resolveQuota(quota: GoogleEmulatorOptions['quota'] = {}): GoogleQuotaOptions {
  const { importCost, methodCosts, ...limits } = quota;
  const importCosts = importCost === undefined ? {} : { 'messages.import': importCost, 'messages.insert': importCost };
  return { ...defaultQuota, ...limits, methodCosts: { ...defaultGmailMethodCosts, ...importCosts, ...methodCosts } };
}

export function resolveOptions(options: GoogleEmulatorOptions = {}): ResolvedOptions {
  const domains = (options.domains ?? ['example.com']).map((domain) => domain.toLowerCase());
  const primaryDomain = domains[0];
  if (!primaryDomain) throw new Error('The Google emulator needs at least one tenant domain (options.domains).');
  return {
    domains,
    customerId: options.customerId ?? 'C03az79cb',
    users: options.users ?? [{ primaryEmail: `admin@${primaryDomain}`, givenName: 'Workspace', familyName: 'Admin', isAdmin: true }],
    serviceAccounts: options.serviceAccounts ?? [
      {
        clientEmail: 'continuity-sync@emulator-project.iam.gserviceaccount.com',
        projectId: 'emulator-project',
        dwdScopes: [...syncDelegatedScopes],
      },
    ],
    quota: resolveQuota(options.quota),
    calendar: { ...defaultCalendarLimits, ...options.calendar },
    maxImportBytes: options.maxImportBytes ?? defaultMaxImportBytes,
    maxContactsPerUser: options.maxContactsPerUser ?? 25_000,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
    // Sources give no figure ("propagation delay", "minutes" in reports); 20 s shows the behaviour without stalling a demo.
    newAccountTokenDelaySeconds: options.newAccountTokenDelaySeconds ?? 20,
    keepRawMessages: options.keepRawMessages ?? false,
    persistDir: options.persistDir,
    now: options.now ?? Date.now,
  };
}

export type { ServiceAccountKeyJson };
