import type { Hono } from 'hono';
import type { ResponseObserver } from '../response-observer.js';
import { createEmulatorApp } from './app.js';
import type { GraphEnv } from './http/env.js';
import { seedTenant, type SeedOptions, type SeedResult } from './seed/seed.js';
import { loadTenantInto, saveTenant } from './state/persistence.js';
import { TenantState } from './state/tenant.js';
import { ThrottleGovernor, type QuotaSettings } from './throttle/governor.js';
import { RequestStats } from './throttle/stats.js';
import { DirectoryLatency } from './http/directory-latency.js';
import { defaultGrantedPermissions } from './identity/application-permissions.js';

/**
 * Microsoft 365 emulator: the Entra ID client-credentials token endpoint and
 * the subset of Microsoft Graph v1.0 the sync uses (users, groups, mail
 * folders, per-folder message delta, message metadata and MIME, contact
 * folders, contacts, their photos and per-folder contact delta, calendars,
 * events with Outlook recurrence and calendarView delta, $batch),
 * with Graph's error shapes and Outlook's throttling, plus a control API for
 * faults. Serve `app` with emulators/https.ts (the real clients need HTTPS).
 */
export interface Microsoft365EmulatorOptions {
  tenantId?: string;
  clientId?: string;
  /** Generated when absent; read it back from `clientSecret`. */
  clientSecret?: string;
  /** Domain of seeded users. Default "contoso.example". */
  domain?: string;
  /**
   * The Microsoft Graph application permissions the tenant's admin has consented to; tokens carry
   * them as `roles` and each resource family checks its own. Default: what the sync needs
   * (User.Read.All, GroupMember.Read.All, Mail.Read, Contacts.Read, Calendars.Read).
   */
  grantedPermissions?: readonly string[];
  /** Lifetime of issued access tokens. Default 3599 s, as Entra ID. */
  tokenLifetimeSeconds?: number;
  /** Outlook throttling; defaults: 4 concurrent and 10,000 requests per 600 s per mailbox, scope "mailbox". */
  quota?: Partial<QuotaSettings>;
  /** PidTagMessageSize reported for "oversized" items. Default 160 MiB (over Gmail's 150 MB import limit). */
  oversizedBytes?: number;
  /** Change-log entries kept per folder; older delta tokens answer 410 SyncStateNotFound. Default 100,000. */
  deltaChangeLogRetention?: number;
  /** Save the tenant here (and load it back at start), so a demo survives a restart. */
  persistDir?: string;
  /** With persistDir: save this long after the last change. Default 1000 ms. */
  persistDebounceMs?: number;
  /** Seed at start when nothing was loaded from persistDir. */
  seed?: SeedOptions;
  /** Tests: sees every response (including each request inside a $batch); the test helpers validate them against Graph's description. */
  observeResponse?: ResponseObserver;
}

export interface Microsoft365Emulator {
  app: Hono<GraphEnv>;
  /** Users, groups, mailboxes and credentials; tests and the demo change them directly. */
  tenant: TenantState;
  throttle: ThrottleGovernor;
  stats: RequestStats;
  /** A delay before each directory page (POST /_control/directory-latency). */
  directoryLatency: DirectoryLatency;
  readonly tenantId: string;
  readonly clientId: string;
  /** The secret that currently works (null after a revoke, until a rotate). */
  readonly clientSecret: string | null;
  seed(options: SeedOptions): SeedResult;
  /** Writes the tenant to persistDir now (throws without persistDir). */
  persist(): void;
  /** Replaces the tenant with the one saved in persistDir; false when none was saved. */
  load(): boolean;
  /** Back to the initial state: initial secret and permissions, no faults, empty stats, the start seed re-applied. */
  reset(): void;
  /** Saves pending changes and stops the save timer. */
  close(): void;
}

export const defaultQuota: QuotaSettings = { enabled: true, concurrency: 4, requestsPerWindow: 10_000, windowSeconds: 600, scope: 'mailbox' };
export const defaultOversizedBytes = 160 * 1024 * 1024;

export function createMicrosoft365Emulator(options: Microsoft365EmulatorOptions = {}): Microsoft365Emulator {
  const tenant = new TenantState(
    {
      domain: options.domain ?? 'contoso.example',
      oversizedBytes: options.oversizedBytes ?? defaultOversizedBytes,
      changeLogRetention: options.deltaChangeLogRetention ?? 100_000,
    },
    {
      ...(options.tenantId ? { tenantId: options.tenantId } : {}),
      ...(options.clientId ? { clientId: options.clientId } : {}),
      ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
      grantedPermissions: options.grantedPermissions ?? defaultGrantedPermissions,
    },
  );
  const governor = new ThrottleGovernor({ ...defaultQuota, ...options.quota });
  const stats = new RequestStats();
  const directoryLatency = new DirectoryLatency();
  const persistDir = options.persistDir;

  const requirePersistDir = (): string => {
    if (!persistDir) throw new Error('This emulator was created without persistDir, so it has nowhere to save or load its state.');
    return persistDir;
  };

  const loaded = persistDir ? loadTenantInto(tenant, persistDir) : false;
  if (!loaded && options.seed) seedTenant(tenant, options.seed);
  const initialSecret = tenant.credentials.clientSecret;

  let saveTimer: NodeJS.Timeout | undefined;
  const saveNow = (): void => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    saveTenant(tenant, requirePersistDir());
  };
  if (persistDir) {
    // A fresh tenant is saved at once, so a restart finds the same app registration and secret.
    if (!loaded) saveNow();
    tenant.onChange(() => {
      if (saveTimer) return;
      saveTimer = setTimeout(saveNow, options.persistDebounceMs ?? 1000);
      saveTimer.unref();
    });
  }

  const reset = (): void => {
    tenant.clear();
    if (initialSecret !== null) tenant.credentials.resetSecret(initialSecret);
    tenant.credentials.resetPermissions(options.grantedPermissions ?? defaultGrantedPermissions);
    governor.reset();
    stats.reset();
    directoryLatency.reset();
    if (options.seed) seedTenant(tenant, options.seed);
  };

  const app = createEmulatorApp({ tenant, governor, stats, tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599, directoryLatency, reset, observeResponse: options.observeResponse });

  return {
    app,
    tenant,
    throttle: governor,
    stats,
    directoryLatency,
    get tenantId() {
      return tenant.credentials.tenantId;
    },
    get clientId() {
      return tenant.credentials.clientId;
    },
    get clientSecret() {
      return tenant.credentials.clientSecret;
    },
    seed: (seedOptions) => seedTenant(tenant, seedOptions),
    persist: saveNow,
    load: () => loadTenantInto(tenant, requirePersistDir()),
    reset,
    close: () => {
      if (saveTimer) saveNow();
    },
  };
}

export type { SeedOptions, SeedPerson, SeedResult } from './seed/seed.js';
export type { QuotaScope, QuotaSettings, ThrottleAdjustment } from './throttle/governor.js';
export type { AddMessagesRequest, RequestedMessageKind } from './state/tenant.js';
export type { DirectoryGroup, DirectoryUser, NewGroup, NewUser } from './state/directory.js';
export type { FlagStatus, MessageRecord } from './state/mailbox.js';
export { TenantState } from './state/tenant.js';
export { defaultGrantedPermissions } from './identity/application-permissions.js';
