import type { Logger } from '../shared/logger.js';

/**
 * Restarts what `npm start` started when it dies on its own (a crash, the
 * OOM killer, a `kill -9`): one dead piece must not leave the whole system
 * down until someone notices. Waits double from 1 s to 30 s while a process
 * keeps dying young, and start again from 1 s once it stayed up for a minute.
 */
export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** A process that ran this long before dying is restarted after the first delay again. */
  stableAfterMs: number;
}

export const defaultRestartPolicy: RestartPolicy = { firstDelayMs: 1_000, maxDelayMs: 30_000, stableAfterMs: 60_000 };

/**
 * A Ctrl-C reaches every process of the group at once: a child may be seen
 * dying before our own SIGINT handler has run. Deciding a little later lets
 * that stop count as the expected one it is.
 */
const settleMs = 250;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Supervisor {
  /** Marks `name` as (re)started: the clock for "stayed up long enough" starts now. */
  started(name: string): void;
  /** `name` ended: unless the system is stopping, log it and run `restart` after the back-off (again if it throws). */
  exited(name: string, info: ExitInfo, restart: () => Promise<void> | void): void;
  /** No more restarts: the system is stopping. */
  cancel(): void;
}

export function createSupervisor(log: Logger, isStopping: () => boolean, policy: RestartPolicy = defaultRestartPolicy): Supervisor {
  const state = new Map<string, { delayMs: number; startedAt: number }>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, run: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!isStopping()) run();
    }, ms);
    timers.add(timer);
  };

  const supervisor: Supervisor = {
    started(name) {
      const entry = state.get(name) ?? { delayMs: policy.firstDelayMs, startedAt: 0 };
      entry.startedAt = Date.now();
      state.set(name, entry);
    },
    exited(name, info, restart) {
      later(settleMs, () => {
        const entry = state.get(name) ?? { delayMs: policy.firstDelayMs, startedAt: 0 };
        if (Date.now() - entry.startedAt >= policy.stableAfterMs) entry.delayMs = policy.firstDelayMs;
        const delayMs = entry.delayMs;
        entry.delayMs = Math.min(delayMs * 2, policy.maxDelayMs);
        state.set(name, entry);
        log.error({ process: name, code: info.code, signal: info.signal, restartInMs: delayMs }, `${name} stopped unexpectedly; restarting it in ${delayMs / 1000} s`);
        later(delayMs, () => {
          log.info({ process: name }, `restarting ${name}`);
          Promise.resolve()
            .then(restart)
            .catch((err: unknown) => {
              log.error({ process: name, err: err instanceof Error ? err.message : String(err) }, `${name} could not be restarted`);
              supervisor.exited(name, { code: null, signal: null }, restart);
            });
        });
      });
    },
    cancel() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
  return supervisor;
}
