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

export function instrumentStore(store: Store): { store: Store; timings: StoreTimings } {
  const timings: StoreTimings = {};
  const record = (name: string, began: number) => {
    const ms = performance.now() - began;
    const timing = (timings[name] ??= { calls: 0, totalMs: 0, maxMs: 0 });
    timing.calls += 1;
    timing.totalMs += ms;
    timing.maxMs = Math.max(timing.maxMs, ms);
  };
  /** A repository's methods, timed; a method that hands out a view (itemMap.forType) has the view's methods timed under its argument. */
  const wrap = (original: Record<string, unknown>, prefix: string): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(original).map(([method, value]) => {
        if (typeof value !== 'function') return [method, value];
        const name = `${prefix}.${method}`;
        return [
          method,
          (...args: unknown[]) => {
            const began = performance.now();
            const result: unknown = (value as (...a: unknown[]) => unknown).apply(original, args);
            if (result instanceof Promise) return result.finally(() => record(name, began));
            if (result && typeof result === 'object') return wrap(result as Record<string, unknown>, `${prefix}(${String(args[0])})`);
            return result;
          },
        ];
      }),
    );
  const wrapped: Record<string, unknown> = {};
  // Every repository the store has (not the ORM itself), so a new one is timed too.
  for (const repository of Object.keys(store).filter((key) => key !== 'orm' && typeof store[key as keyof Store] === 'object')) {
    wrapped[repository] = wrap(store[repository as keyof Store] as unknown as Record<string, unknown>, repository);
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
