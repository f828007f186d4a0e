import type { Client } from '@temporalio/client';
import { retrySignal, statusQuery } from '../../workflows/user-sync/signals.js';
import { googleRequests, microsoftRequests, routeDelta, type BenchEmulators, type RouteCounts } from './emulators.js';
import { settledHistory } from './history.js';
import type { StartedUser } from './sync-setup.js';
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
      rediscoveredFolders: Object.keys(microsoftByRoute).some((route) => !route.includes('/delta') && !route.includes('/token')),
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
