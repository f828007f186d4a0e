import type { CyclesRepository } from '../index.js';
import { observeCycleDuration } from '../../shared/metrics/sync-metrics.js';

/**
 * Observes the duration of the cycle just finished, from its row (the start
 * the database recorded, whichever worker began it). A metric never fails
 * a cycle: a read that fails only leaves this observation out.
 */
export async function observeFinishedCycle(cycles: CyclesRepository, syncUserId: string, cycleId: string, outcome: 'succeeded' | 'failed'): Promise<void> {
  try {
    const [latest] = await cycles.listRecent(syncUserId, 1);
    if (latest?.id !== cycleId) return;
    observeCycleDuration({ kind: latest.kind, outcome, startedAt: latest.startedAt }, latest.finishedAt ?? new Date());
  } catch {
    // The cycle's own bookkeeping is what matters here.
  }
}
