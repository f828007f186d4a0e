import type { Store } from '../../store/index.js';

/**
 * Counts and times every repository call the worker makes (wall time from
 * call to answer, so waiting for SQLite's one connection is included). Used
 * only inside the bench's worker process, to tell how much of a cycle is
 * spent on the database.
 */
export interface CallTiming {
  calls: number;
  totalMs: number;
  maxMs: number;
}

export type StoreTimings = Record<string, CallTiming>;

const repositories = ['connections', 'policies', 'audit', 'syncUsers', 'messageMap', 'items', 'folders', 'cycles'] as const;

export function instrumentStore(store: Store): { store: Store; timings: StoreTimings } {
  const timings: StoreTimings = {};
  const record = (name: string, began: number) => {
    const ms = performance.now() - began;
    const timing = (timings[name] ??= { calls: 0, totalMs: 0, maxMs: 0 });
    timing.calls += 1;
    timing.totalMs += ms;
    timing.maxMs = Math.max(timing.maxMs, ms);
  };
  const wrapped: Record<string, unknown> = {};
  for (const repository of repositories) {
    const original = store[repository] as unknown as Record<string, unknown>;
    wrapped[repository] = Object.fromEntries(
      Object.entries(original).map(([method, value]) => {
        if (typeof value !== 'function') return [method, value];
        const name = `${repository}.${method}`;
        return [
          method,
          async (...args: unknown[]) => {
            const began = performance.now();
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(original, args);
            } finally {
              record(name, began);
            }
          },
        ];
      }),
    );
  }
  return { store: Object.assign(Object.create(store) as Store, wrapped), timings };
}

/** Calls made between two readings, per method, busiest first. */
export function timingDelta(before: StoreTimings, after: StoreTimings): Array<{ method: string; calls: number; meanMs: number; totalSeconds: number }> {
  return Object.entries(after)
    .map(([method, timing]) => {
      const calls = timing.calls - (before[method]?.calls ?? 0);
      const totalMs = timing.totalMs - (before[method]?.totalMs ?? 0);
      return { method, calls, meanMs: calls ? Math.round((totalMs / calls) * 10) / 10 : 0, totalSeconds: Math.round(totalMs / 100) / 10 };
    })
    .filter((entry) => entry.calls > 0)
    .sort((a, b) => b.totalSeconds - a.totalSeconds);
}
