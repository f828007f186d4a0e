import type { Client } from '@temporalio/client';
import { retrySignal, statusQuery } from '../../shared/contracts/user-sync-messages.js';
import { googleRequests, microsoftRequests, routeDelta, type BenchEmulators, type RouteCounts } from './emulators.js';
import { settledHistory } from './history.js';
import { UsageWindow, type UsageOverWindow } from './proc.js';
import { timingDelta } from './store-timing.js';
import type { BenchSync, StartedUser } from './sync-setup.js';
import { waitFor } from './wait.js';

/**
 * Idle recurring cycles of a user whose mailbox has not changed, one at a
 * time on the retry signal, each measured from a settled state to the next:
 * history events added, and requests each emulator received, by route.
 */
export interface IdleCycle {
  /** cyclesCompleted before this cycle; the workflow rediscovers folders when it is a multiple of 12. */
  cyclesBefore: number;
  /** The folder tree was read again in this cycle (any Graph request other than a delta). */
  rediscoveredFolders: boolean;
  events: number;
  microsoftRequests: number;
  googleRequests: number;
  microsoftByRoute: RouteCounts;
  googleByRoute: RouteCounts;
  seconds: number;
}

/**
 * The Microsoft 365 emulator's stats name a request by the last route pattern
 * that matches its path, so a contact folder's delta (`…/contacts/delta`) is
 * counted under `…/contacts/:contactId`; an idle cycle reads no single contact.
 */
const isDeltaOrToken = (route: string) => route.includes('/delta') || route.includes('/token') || route.endsWith('/contactFolders/:folderId/contacts/:contactId');

export async function driveIdleCycles(client: Client, emulators: BenchEmulators, user: StartedUser, cycles: number): Promise<IdleCycle[]> {
  const measured: IdleCycle[] = [];
  let history = await settledHistory(client, user.workflowId);
  for (let i = 0; i < cycles; i++) {
    const microsoftBefore = microsoftRequests(emulators);
    const googleBefore = googleRequests(emulators);
    const cyclesBefore = (await user.handle.query(statusQuery)).cyclesCompleted;
    const began = Date.now();
    await user.handle.signal(retrySignal);
    await waitFor(
      `idle cycle ${i + 1} to complete`,
      async () => {
        const snapshot = await user.handle.query(statusQuery);
        if (snapshot.status === 'Failed') throw new Error(`An idle cycle failed: ${snapshot.lastError?.code} ${snapshot.lastError?.message}`);
        return snapshot.cyclesCompleted > cyclesBefore ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const seconds = (Date.now() - began) / 1000;
    const after = await settledHistory(client, user.workflowId);
    const microsoftByRoute = routeDelta(microsoftBefore.byRoute, microsoftRequests(emulators).byRoute);
    const googleByRoute = routeDelta(googleBefore.byRoute, googleRequests(emulators).byRoute);
    const sum = (routes: RouteCounts) => Object.values(routes).reduce((a, b) => a + b, 0);
    measured.push({
      cyclesBefore,
      rediscoveredFolders: Object.keys(microsoftByRoute).some((route) => !isDeltaOrToken(route)),
      events: after.total - history.total,
      microsoftRequests: sum(microsoftByRoute),
      googleRequests: sum(googleByRoute),
      microsoftByRoute,
      googleByRoute,
      seconds,
    });
    history = after;
  }
  return measured;
}

/**
 * CPU per idle cycle, without the history reads above (they load the
 * server): the retry signal, then the database polled for the cycle's end.
 * Twelve cycles include the one that rereads the folder tree.
 */
export interface IdleCycleCpu {
  cycles: number;
  seconds: number;
  usage: Record<string, UsageOverWindow>;
  /** The worker's repository calls over these cycles. */
  storeCalls: ReturnType<typeof timingDelta>;
}

export async function idleCycleCpu(sync: BenchSync, user: StartedUser, cycles: number, processes: Record<string, number>): Promise<IdleCycleCpu> {
  const { store, worker } = sync;
  const lastCycleId = async () => (await store.cycles.listRecent(user.syncUserId, 1))[0];
  const timingsBefore = worker.storeTimings();
  const usage = new UsageWindow(processes);
  const began = Date.now();
  for (let i = 0; i < cycles; i++) {
    const before = await lastCycleId();
    await user.handle.signal(retrySignal);
    await waitFor(
      `idle cycle ${i + 1} to finish`,
      async () => {
        const last = await lastCycleId();
        return last && last.id !== before?.id && last.outcome !== 'running' ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
  }
  // The cycle's row is finished a moment before the workflow publishes its state and sets its timer;
  // the worker reports its store timings every two seconds.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  return { cycles, seconds: (Date.now() - began) / 1000, usage: usage.finish(), storeCalls: timingDelta(timingsBefore, worker.storeTimings()) };
}

/** What a run of idle cycles cost: the largest ordinary and rediscovering cycle per service, and Microsoft's average. */
export interface IdleCycleSummary {
  discoveryCycles: number;
  microsoftOrdinary: number;
  microsoftDiscovery: number;
  microsoftAverage: number;
  googleOrdinary: number;
  googleDiscovery: number;
}

export function summarizeIdleCycles(idle: IdleCycle[]): IdleCycleSummary {
  const ordinary = idle.filter((c) => !c.rediscoveredFolders);
  const discovery = idle.filter((c) => c.rediscoveredFolders);
  const largest = (cycles: IdleCycle[], pick: (c: IdleCycle) => number) => Math.max(0, ...cycles.map(pick));
  return {
    discoveryCycles: discovery.length,
    microsoftOrdinary: largest(ordinary, (c) => c.microsoftRequests),
    microsoftDiscovery: largest(discovery, (c) => c.microsoftRequests),
    microsoftAverage: idle.reduce((sum, c) => sum + c.microsoftRequests, 0) / Math.max(1, idle.length),
    googleOrdinary: largest(ordinary, (c) => c.googleRequests),
    googleDiscovery: largest(discovery, (c) => c.googleRequests),
  };
}
