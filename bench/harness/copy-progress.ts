import type { Store } from '../../store/index.js';
import { importsAccepted, type BenchEmulators } from './emulators.js';
import { waitFor } from './wait.js';

/**
 * Follows one user's initial copy: accepted imports per second as Gmail saw
 * them, and the initial cycle as the database recorded it.
 */
export interface CopyTimeline {
  /** [seconds since the sampling began, imports accepted so far] once a second. */
  samples: Array<[number, number]>;
  stop(): void;
}

export function sampleImports(emulators: BenchEmulators): CopyTimeline {
  return sampleCounter(() => importsAccepted(emulators));
}

/** Any counter of copied items (`read`), once a second. */
export function sampleCounter(read: () => number): CopyTimeline {
  const began = Date.now();
  const samples: Array<[number, number]> = [];
  const take = () => samples.push([(Date.now() - began) / 1000, read()]);
  take();
  const timer = setInterval(take, 1000);
  return {
    samples,
    stop() {
      clearInterval(timer);
      take();
    },
  };
}

/** Imports per second between the moments 10 % and 90 % of the final count had arrived: the copy's cruising speed. */
export function steadyRate(samples: ReadonlyArray<[number, number]>): number {
  const total = samples.at(-1)?.[1] ?? 0;
  const from = samples.find(([, n]) => n >= total * 0.1);
  const to = samples.find(([, n]) => n >= total * 0.9);
  if (!from || !to || to[0] <= from[0]) return Number.NaN;
  return (to[1] - from[1]) / (to[0] - from[0]);
}

export interface InitialCycle {
  startedAt: Date;
  finishedAt: Date;
  seconds: number;
  imported: number;
  failed: number;
}

/** Waits until the user is Synced (throws if it ends Failed) and returns its initial cycle. */
export async function waitForInitialSync(store: Store, syncUserId: string, timeoutMs: number): Promise<InitialCycle> {
  await waitFor(
    'the initial sync to finish',
    async () => {
      const user = await store.syncUsers.get(syncUserId);
      if (user?.status === 'Failed') throw new Error(`The initial sync failed: ${user.errorCode} ${user.errorMessage}`);
      return user?.status === 'Synced' ? true : undefined;
    },
    { timeoutMs, intervalMs: 500 },
  );
  const cycles = await store.cycles.listRecent(syncUserId, 50);
  const initial = cycles.find((cycle) => cycle.kind === 'initial' && cycle.outcome === 'succeeded');
  if (!initial?.finishedAt) throw new Error('The user is Synced but no finished initial cycle was recorded.');
  const user = await store.syncUsers.get(syncUserId);
  return {
    startedAt: initial.startedAt,
    finishedAt: initial.finishedAt,
    seconds: (initial.finishedAt.getTime() - initial.startedAt.getTime()) / 1000,
    imported: user?.counts.imported ?? 0,
    failed: user?.counts.failed ?? 0,
  };
}
