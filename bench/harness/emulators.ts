import type { GoogleEmulatorOptions } from '../../emulators/google/options.js';
import type { Microsoft365EmulatorOptions } from '../../emulators/microsoft365/index.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../test/helpers/google-emulator.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../test/helpers/microsoft365-emulator.js';

/**
 * Both emulators over HTTPS in the bench's own process (the load driver), so
 * the sync under test talks to them over real sockets from its own process.
 */
export const benchDomain = 'example.com';

export interface BenchEmulators {
  m365: RunningMicrosoft365Emulator;
  google: StartedGoogleEmulator;
  close(): Promise<void>;
}

export async function startBenchEmulators(options: { m365?: Microsoft365EmulatorOptions; google?: GoogleEmulatorOptions } = {}): Promise<BenchEmulators> {
  const m365 = await startMicrosoft365Emulator(options.m365 ?? {});
  // Benchmarks measure throughput, not the wait for Google to accept a new account (default 20 s per user).
  const google = await startGoogleEmulator({ domains: [benchDomain], newAccountTokenDelaySeconds: 0, ...options.google });
  return {
    m365,
    google,
    async close() {
      await m365.close();
      await google.close();
    },
  };
}

/** Requests per "METHOD /route" (all statuses), from either emulator's stats. */
export type RouteCounts = Record<string, number>;

export interface ServiceRequests {
  total: number;
  /** Answers that refused the request for load: 429, and Google's 403 rate-limit reasons. */
  refused: number;
  byRoute: RouteCounts;
}

function sumStatuses(byRoute: Record<string, Record<string, number>>, accept: (status: string) => boolean): number {
  let sum = 0;
  for (const statuses of Object.values(byRoute)) {
    for (const [status, count] of Object.entries(statuses)) if (accept(status)) sum += count;
  }
  return sum;
}

function routeTotals(byRoute: Record<string, Record<string, number>>): RouteCounts {
  return Object.fromEntries(Object.entries(byRoute).map(([route, statuses]) => [route, Object.values(statuses).reduce((a, b) => a + b, 0)]));
}

export function microsoftRequests(emulators: BenchEmulators): ServiceRequests {
  const stats = emulators.m365.emulator.stats.snapshot();
  return { total: stats.totalRequests, refused: sumStatuses(stats.byRoute, (s) => s === '429'), byRoute: routeTotals(stats.byRoute) };
}

export function googleRequests(emulators: BenchEmulators): ServiceRequests {
  const stats = emulators.google.emulator.stats();
  // Google's per-user and per-project rate limits answer 403 userRateLimitExceeded / rateLimitExceeded.
  const rateLimit403 = stats.quotaRefusals.userUnits + stats.quotaRefusals.projectUnits + stats.quotaRefusals.directoryQueries;
  return { total: stats.totalRequests, refused: sumStatuses(stats.requests, (s) => s === '429') + rateLimit403, byRoute: routeTotals(stats.requests) };
}

/** Requests made between two readings, by route (routes with none left out). */
export function routeDelta(before: RouteCounts, after: RouteCounts): RouteCounts {
  const delta: RouteCounts = {};
  for (const [route, count] of Object.entries(after)) {
    const made = count - (before[route] ?? 0);
    if (made > 0) delta[route] = made;
  }
  return delta;
}

/** Successful Gmail imports so far: the progress figure of a copy. */
export function importsAccepted(emulators: BenchEmulators): number {
  const requests = emulators.google.emulator.stats().requests;
  let accepted = 0;
  for (const [route, statuses] of Object.entries(requests)) {
    if (route.includes('/import')) accepted += statuses['200'] ?? 0;
  }
  return accepted;
}
