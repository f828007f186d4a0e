import { downloadBudgetInUse, downloadBudgetWaits } from '../shared/metrics/sync-metrics.js';

/** What a worker may hold of downloaded items not yet written to Google, unless WORKER_DOWNLOAD_BUDGET_MB says otherwise. */
export const defaultDownloadBudgetBytes = 256 * 1024 * 1024;

interface Waiter {
  bytes: number;
  grant: () => void;
}

/**
 * The bytes one worker holds of items downloaded and not yet imported, for
 * every mailbox together: a download waits until what is already held
 * leaves room for it, so a worker's memory follows this budget, not how
 * many users it carries or how large their messages are.
 *
 * An item larger than the whole budget (Gmail imports up to 150 MB) still
 * goes, alone. Waiters are served in order, so a large item is not starved
 * by a stream of small ones. (async-mutex's weighted Semaphore walks every
 * unit of its value on each release, which is unusable with bytes as units.)
 */
export class DownloadBudget {
  private held = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly capacityBytes: number = defaultDownloadBudgetBytes) {
    if (!Number.isFinite(capacityBytes) || capacityBytes < 1) throw new Error(`A download budget needs at least one byte; got ${capacityBytes}.`);
  }

  /** Bytes held now (the metric `continuity_download_budget_bytes_in_use` shows the same). */
  get heldBytes(): number {
    return this.held;
  }

  /**
   * Runs `work` once `bytes` fit, and gives them back when it settles.
   * `whileWaiting` is called every `waitTickMs` while it waits (a heartbeat,
   * so Temporal does not take a patient activity for a dead one).
   */
  async hold<T>(bytes: number, work: () => Promise<T>, whileWaiting?: () => void, waitTickMs = 10_000): Promise<T> {
    const weight = Math.min(Math.max(1, Math.ceil(bytes)), this.capacityBytes);
    await this.acquire(weight, whileWaiting, waitTickMs);
    try {
      return await work();
    } finally {
      this.release(weight);
    }
  }

  private async acquire(weight: number, whileWaiting: (() => void) | undefined, waitTickMs: number): Promise<void> {
    if (this.queue.length === 0 && this.held + weight <= this.capacityBytes) {
      this.take(weight);
      return;
    }
    downloadBudgetWaits.inc();
    const tick = whileWaiting ? setInterval(whileWaiting, waitTickMs) : undefined;
    try {
      await new Promise<void>((grant) => this.queue.push({ bytes: weight, grant }));
    } finally {
      clearInterval(tick);
    }
  }

  private take(weight: number): void {
    this.held += weight;
    downloadBudgetInUse.set(this.held);
  }

  private release(weight: number): void {
    this.held -= weight;
    downloadBudgetInUse.set(this.held);
    while (this.queue.length > 0 && this.held + this.queue[0]!.bytes <= this.capacityBytes) {
      const next = this.queue.shift()!;
      this.take(next.bytes);
      next.grant();
    }
  }
}
