import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `check` until it returns a value (not undefined), or throws after `timeoutMs` saying what was awaited. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, options: { timeoutMs: number; intervalMs?: number }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up after ${Math.round(options.timeoutMs / 1000)} s waiting for ${what}.`);
    await sleep(options.intervalMs ?? 500);
  }
}

/** Value at quantile q (0..1) of unsorted numbers, nearest rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
