/**
 * The Google Workspace emulator: OAuth token endpoint (service-account
 * JWT-bearer grant with domain-wide delegation), Admin SDK Directory users,
 * Gmail labels and messages (import by media upload), People API contacts and
 * contact groups, Calendar API v3 calendars and events, Google's quotas and
 * error shapes, and a control API under /_control. One host serves every
 * path; the sync reaches it only through GoogleConnectionSettings.apiBaseUrl.
 *
 * Serving it (e.g. from emulators/main.ts):
 *   const google = createGoogleEmulator({ persistDir: path.join(dataDir, 'google-emulator') });
 *   await serveHttps(google.app, { port: config.googleEmulatorPort, tls: ensureLocalTls(dataDir) });
 *   google.serviceAccountKey() // the key JSON to put in the Google connection
 */
import type { Hono } from 'hono';
import { createGoogleApp } from './app.js';
import { controlCalendars, controlEvents, controlInstances, type ControlCalendarView, type ControlInstanceView } from './calendar-control.js';
import type { ServiceAccountInfo } from './credentials.js';
import { resolveOptions, type GoogleEmulatorOptions, type ServiceAccountSeed, type UserSeed } from './options.js';
import { loadSnapshot, SnapshotWriter } from './persistence.js';
import { QuotaGuard, type ThrottleSettings } from './quota.js';
import type { ServiceAccountKeyJson } from './service-account-key.js';
import { EmulatorState } from './state.js';
import { StatsRecorder, type StatsView } from './stats.js';
import { controlContactView, controlGroupView } from './people-view.js';
import { userResource } from './users.js';
import { controlMessageView, type ControlMessageView } from './views.js';

export { createServiceAccountKey, type GeneratedServiceAccountKey, type ServiceAccountKeyJson } from './service-account-key.js';
export { defaultGmailMethodCosts, defaultQuota, syncDelegatedScopes } from './options.js';
export type { GmailMethod, GoogleEmulatorOptions, GoogleQuotaOptions, ServiceAccountSeed, UserSeed } from './options.js';
export type { ServiceAccountInfo } from './credentials.js';
export type { ThrottleSettings } from './quota.js';
export type { StatsView } from './stats.js';
export type { ControlMessageView } from './views.js';
export type { ControlCalendarView, ControlInstanceView } from './calendar-control.js';
export { defaultCalendarLimits, type CalendarLimitOptions } from './options.js';

export interface GoogleEmulator {
  /** The Hono app; serve it with emulators/https.ts (serveHttps). */
  app: Hono;
  /** The tenant's domains, primary first. */
  readonly domains: readonly string[];
  readonly primaryDomain: string;
  readonly customerId: string;
  /**
   * The current key the emulator generated for a service account (the first
   * one when none is named), ready for the sync's connection settings.
   * Undefined for accounts given with only a public key.
   */
  serviceAccountKey(clientEmail?: string): ServiceAccountKeyJson | undefined;
  serviceAccounts(): ServiceAccountInfo[];
  /** Registers a service account; returns its generated key unless seed.publicKeyPem was given. */
  addServiceAccount(seed: ServiceAccountSeed): ServiceAccountKeyJson | undefined;
  /** Adds a Workspace user; the returned object is the Directory API's user resource. */
  addUser(user: UserSeed): Record<string, unknown>;
  updateUser(email: string, patch: { isAdmin?: boolean; suspended?: boolean; gmailEnabled?: boolean }): void;
  /** The Directory resource of a user, or undefined. */
  getUser(email: string): Record<string, unknown> | undefined;
  /** What arrived in a user's mailbox, in arrival order (as GET /_control/users/{email}/messages). */
  messagesOf(email: string): ControlMessageView[];
  /** A user's contacts in People API shape with every field, plus groupNames and photo (as GET /_control/users/{email}/contacts). */
  contactsOf(email: string): Array<Record<string, unknown>>;
  /** A user's contact groups: resourceName, name, groupType, memberCount. */
  contactGroupsOf(email: string): Array<Record<string, unknown>>;
  /** A user's calendars (as GET /_control/users/{email}/calendars). */
  calendarsOf(email: string): ControlCalendarView[];
  /** Every stored event of every calendar of a user, with calendarId and calendarSummary (as GET /_control/users/{email}/events). */
  calendarEventsOf(email: string): Array<Record<string, unknown>>;
  /** The instances overlapping [from, to) (ISO instants), cancelled ones left out (as …/events?expand=true). */
  calendarInstancesOf(email: string, from: string, to: string): ControlInstanceView[];
  /** A user's labels, system and user ones. */
  labelsOf(email: string): Array<{ id: string; name: string; type: 'system' | 'user' }>;
  throttle(settings: Partial<ThrottleSettings>): ThrottleSettings;
  /**
   * Moves the mailbox clock on by `ms` (as POST /_control/clock): messages that
   * have now spent 30 days in Trash or Spam are purged. Tokens and quotas keep
   * the emulator's own clock. Returns the mailbox clock (epoch ms).
   */
  advanceMailClock(ms: number): number;
  stats(): StatsView;
  /** Back to the state right after creation: seeded users and service accounts (original keys), nothing else. */
  reset(): void;
  /** Writes the state to persistDir now (no-op without one). */
  flush(): Promise<void>;
  /** Stops the persistence timer after a last save. */
  close(): Promise<void>;
}

export function createGoogleEmulator(options: GoogleEmulatorOptions = {}): GoogleEmulator {
  const resolved = resolveOptions(options);
  const state = new EmulatorState(resolved);
  const stats = new StatsRecorder(resolved.now);
  const quota = new QuotaGuard(resolved.quota, resolved.now, (kind) => stats.refusal(kind));
  const ctx = { options: resolved, state, quota, stats };

  const persisted = resolved.persistDir ? loadSnapshot(resolved.persistDir) : undefined;
  state.seed(persisted?.serviceAccounts);
  const baseline = state.snapshot();
  if (persisted) {
    state.restore(persisted);
    // Users and service accounts added to the options since the last run.
    state.seed(baseline.serviceAccounts);
  }
  const writer = resolved.persistDir ? new SnapshotWriter(state, resolved.persistDir) : undefined;

  const reset = () => {
    state.restore(baseline);
    state.newAccountTokenDelayMs = resolved.newAccountTokenDelaySeconds * 1000;
    quota.reset();
    stats.reset();
  };

  const requireUser = (email: string) => {
    const user = state.users.find(email);
    if (!user) throw new Error(`No user ${email} in the Google emulator.`);
    return user;
  };

  return {
    app: createGoogleApp(ctx, reset, options.observeResponse),
    domains: resolved.domains,
    primaryDomain: resolved.domains[0] ?? '',
    customerId: resolved.customerId,
    serviceAccountKey: (clientEmail) => state.credentials.resolve(clientEmail)?.generatedKey,
    serviceAccounts: () => state.credentials.list().map((record) => state.credentials.info(record)),
    addServiceAccount: (seed) => state.credentials.add(seed).generatedKey,
    addUser: (user) => {
      if (state.users.addressTaken(user.primaryEmail)) throw new Error(`${user.primaryEmail} already exists in the Google emulator.`);
      return userResource(state.users.add(user, resolved.now()), resolved.customerId);
    },
    updateUser: (email, patch) => {
      state.users.update(requireUser(email).id, patch);
    },
    getUser: (email) => {
      const user = state.users.find(email);
      return user ? userResource(user, resolved.customerId) : undefined;
    },
    messagesOf: (email) => {
      const mailbox = state.mailboxOf(requireUser(email));
      return [...mailbox.messages.values()].map((message) => controlMessageView(message, mailbox));
    },
    contactsOf: (email) => {
      const book = state.contactBookOf(requireUser(email));
      return [...book.people.values()].map((person) => controlContactView(book, person));
    },
    contactGroupsOf: (email) => {
      const book = state.contactBookOf(requireUser(email));
      return [...book.groups.values()].map((group) => controlGroupView(book, group));
    },
    calendarsOf: (email) => controlCalendars(state.calendarAccountOf(requireUser(email))),
    calendarEventsOf: (email) => controlEvents(state.calendarAccountOf(requireUser(email))),
    calendarInstancesOf: (email, from, to) => controlInstances(state.calendarAccountOf(requireUser(email)), Date.parse(from), Date.parse(to)),
    labelsOf: (email) => [...state.mailboxOf(requireUser(email)).labels.values()].map(({ id, name, type }) => ({ id, name, type })),
    throttle: (settings) => quota.configure(settings),
    advanceMailClock: (ms) => state.advanceMailClock(ms),
    stats: () => stats.view(),
    reset,
    flush: async () => writer?.flush(),
    close: async () => writer?.close(),
  };
}
