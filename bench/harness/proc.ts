import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU and memory of other processes from /proc (Linux): the Temporal dev
 * server and the worker are children of the bench, so their figures are read
 * the way `top` reads them. Threads are grouped by name, which tells the
 * workflow thread, the Temporal core's Rust threads and libuv's pool apart.
 */
const clockTicksPerSecond = 100; // USER_HZ; 100 on every Linux the project targets.

export interface ProcessReading {
  /** User plus system CPU seconds since the process started. */
  cpuSeconds: number;
  /** Seconds its threads were ready to run but waited for a core (schedstat): the machine's contention, felt by this process. */
  runQueueWaitSeconds: number;
  rssBytes: number;
  /** Peak resident set (VmHWM). */
  peakRssBytes: number;
}

function cpuSecondsFromStat(stat: string): number {
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicksPerSecond;
}

function statusKilobytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

function runQueueWait(pid: number): number {
  let waitedNs = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        // "<ns on a cpu> <ns waiting on a run queue> <timeslices>"
        waitedNs += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  } catch {
    return 0;
  }
  return waitedNs / 1e9;
}

/** One reading of a process, or null when it has exited. */
export function readProcess(pid: number): ProcessReading | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      cpuSeconds: cpuSecondsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8')),
      runQueueWaitSeconds: runQueueWait(pid),
      rssBytes: statusKilobytes(status, 'VmRSS'),
      peakRssBytes: statusKilobytes(status, 'VmHWM'),
    };
  } catch {
    return null;
  }
}

/** CPU seconds per thread name ("node", "tokio-runtime-w", "libuv-worker", ...). */
export function readThreadCpu(pid: number): Record<string, number> {
  const byName: Record<string, number> = {};
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName;
  }
  for (const tid of tasks) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      // The main thread is named after the executable; say which it is.
      const label = tid === String(pid) ? `${name} (main thread)` : name;
      byName[label] = (byName[label] ?? 0) + cpuSecondsFromStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byName;
}

export function threadCpuDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(after)) {
    const spent = seconds - (before[name] ?? 0);
    if (spent > 0.005) delta[name] = Math.round(spent * 100) / 100;
  }
  return delta;
}

export interface UsageOverWindow {
  /** CPU seconds spent in the window. */
  cpuSeconds: number;
  /** Seconds its threads waited for a core in the window (compare with cpuSeconds). */
  runQueueWaitSeconds: number;
  /** cpuSeconds ÷ wall seconds: 1.0 is one core busy all the time. */
  cores: number;
  peakRssBytes: number;
}

/**
 * Follows a set of processes through a measurement window: CPU spent in it
 * and the highest resident set seen (sampled every second, and VmHWM).
 */
export class UsageWindow {
  private readonly start = new Map<string, ProcessReading>();
  private readonly peaks = new Map<string, number>();
  private readonly startedAt = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pids: Record<string, number>) {
    for (const [name, pid] of Object.entries(pids)) {
      const reading = readProcess(pid);
      if (reading) this.start.set(name, reading);
    }
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  private sample(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      const reading = readProcess(pid);
      if (reading) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, reading.rssBytes, reading.peakRssBytes));
    }
  }

  finish(): Record<string, UsageOverWindow> {
    clearInterval(this.timer);
    this.sample();
    const wallSeconds = Math.max(0.001, (Date.now() - this.startedAt) / 1000);
    const result: Record<string, UsageOverWindow> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const end = readProcess(pid);
      const begin = this.start.get(name);
      if (!end || !begin) continue;
      const cpuSeconds = end.cpuSeconds - begin.cpuSeconds;
      const waited = end.runQueueWaitSeconds - begin.runQueueWaitSeconds;
      result[name] = {
        cpuSeconds: Math.round(cpuSeconds * 10) / 10,
        runQueueWaitSeconds: Math.round(waited * 10) / 10,
        cores: Math.round((cpuSeconds / wallSeconds) * 100) / 100,
        peakRssBytes: this.peaks.get(name) ?? end.peakRssBytes,
      };
    }
    return result;
  }
}
