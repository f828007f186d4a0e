import type { Store } from '../../store/index.js';
import { quantile } from './wait.js';

/**
 * The fleet's cycles as the database recorded them (sync_cycles: one row per
 * cycle, written by the beginSyncCycle and finishSyncCycle local activities),
 * read in one query with each cycle's predecessor of the same user.
 *
 * Lag of a scheduled cycle = its start − its due time, where due time = the
 * previous cycle's finish + the interval: the workflow sets its timer for
 * exactly that right after the previous cycle finishes. A user whose due
 * time passed without a cycle starting counts with its wait so far, so a
 * backlog shows in the figures instead of hiding behind the cycles that did
 * start.
 */
export interface CycleRow {
  syncUserId: string;
  kind: 'initial' | 'delta';
  trigger: string;
  outcome: string;
  startedAt: number;
  finishedAt: number | null;
  previousFinishedAt: number | null;
}

function toEpochMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  const text = String(value);
  if (/^\d+$/.test(text)) return Number(text);
  // SQLite keeps UTC datetimes without a zone designator; PostgreSQL's text for a timestamptz ends in an hour offset such as "+00".
  const iso = text.replace(' ', 'T');
  if (/([zZ]|[+-]\d\d:?\d\d)$/.test(iso)) return Date.parse(iso);
  if (/T[\d:.]+[+-]\d\d$/.test(iso)) return Date.parse(`${iso}:00`);
  return Date.parse(`${iso}Z`);
}

export async function readCycles(store: Store): Promise<CycleRow[]> {
  const rows = (await store.orm.em
    .fork()
    .getConnection()
    .execute(
      `select sync_user_id as u, kind as k, "trigger" as t, outcome as o, started_at as s, finished_at as f,
            lag(finished_at) over (partition by sync_user_id order by started_at, id) as pf
       from sync_cycles`,
      [],
      'all',
    )) as Array<{ u: string; k: 'initial' | 'delta'; t: string; o: string; s: unknown; f: unknown; pf: unknown }>;
  return rows.map((row) => ({
    syncUserId: row.u,
    kind: row.k,
    trigger: row.t,
    outcome: row.o,
    startedAt: toEpochMs(row.s)!,
    finishedAt: toEpochMs(row.f),
    previousFinishedAt: toEpochMs(row.pf),
  }));
}

/** Users with a succeeded first (initial) sync: one count, not the whole cycle table. */
export async function countUsersPastFirstSync(store: Store): Promise<number> {
  const [row] = (await store.orm.em.fork().getConnection().execute(`select count(distinct sync_user_id) as n from sync_cycles where kind = 'initial' and outcome = 'succeeded'`, [], 'all')) as Array<{
    n: number | string;
  }>;
  return Number(row?.n ?? 0);
}

export interface WindowFigures {
  windowSeconds: number;
  finished: { initial: number; delta: number; failed: number };
  /** Delta cycles finished per minute in the window. */
  deltaCyclesPerMinute: number;
  /** Every cycle (initial and delta) finished per minute in the window. */
  cyclesPerMinute: number;
  lagSeconds: { p50: number; p95: number; max: number; samples: number; startedSamples: number; overdueAtEnd: number };
  /** Users with no finished initial cycle when the window closed. */
  usersWithoutInitialSync: number;
}

export function windowFigures(rows: readonly CycleRow[], users: number, intervalSeconds: number, from: number, to: number): WindowFigures {
  const intervalMs = intervalSeconds * 1000;
  const inWindow = (t: number | null) => t !== null && t >= from && t < to;
  const finished = { initial: 0, delta: 0, failed: 0 };
  const lags: number[] = [];
  let startedSamples = 0;
  const lastByUser = new Map<string, CycleRow>();
  const initialDone = new Set<string>();
  for (const row of rows) {
    if (row.kind === 'initial' && row.finishedAt !== null && row.finishedAt < to) initialDone.add(row.syncUserId);
    if (row.startedAt < to) {
      const last = lastByUser.get(row.syncUserId);
      if (!last || row.startedAt > last.startedAt) lastByUser.set(row.syncUserId, row);
    }
    if (inWindow(row.finishedAt)) {
      if (row.outcome === 'failed') finished.failed += 1;
      else finished[row.kind] += 1;
    }
    if (row.trigger === 'schedule' && inWindow(row.startedAt) && row.previousFinishedAt !== null) {
      lags.push((row.startedAt - (row.previousFinishedAt + intervalMs)) / 1000);
      startedSamples += 1;
    }
  }
  let overdueAtEnd = 0;
  for (const last of lastByUser.values()) {
    // Finished, and its next cycle was due before the window closed, yet none had started.
    if (last.finishedAt === null || last.finishedAt >= to) continue;
    const due = last.finishedAt + intervalMs;
    if (due < to) {
      lags.push((to - due) / 1000);
      overdueAtEnd += 1;
    }
  }
  const minutes = (to - from) / 60_000;
  return {
    windowSeconds: Math.round((to - from) / 1000),
    finished,
    deltaCyclesPerMinute: finished.delta / minutes,
    cyclesPerMinute: (finished.delta + finished.initial) / minutes,
    lagSeconds: { p50: quantile(lags, 0.5), p95: quantile(lags, 0.95), max: lags.length ? Math.max(...lags) : Number.NaN, samples: lags.length, startedSamples, overdueAtEnd },
    usersWithoutInitialSync: users - initialDone.size,
  };
}
