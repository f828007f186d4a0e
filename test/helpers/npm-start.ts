import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../shared/free-port.js';

/**
 * Polls `probe` until it returns a value; a probe that throws counts as "not yet".
 * The timeout names the last failure and, when given, what the system printed
 * last, so a failure under CI's load says why without a second run.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000, context?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastFailure = 'the probe never answered';
  while (Date.now() < deadline) {
    const value = await probe().catch((err: unknown) => {
      lastFailure = `last probe failed: ${err instanceof Error ? err.message : String(err)}`;
      return undefined;
    });
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what} (${lastFailure})${context ? `\n--- output, last lines ---\n${context()}` : ''}`);
}

/** The last lines a system printed, for a failure message. */
export function tailOf(output: string, lines = 60): string {
  return output.split('\n').slice(-lines).join('\n');
}

/** True while any process of the group (npm start and everything it started) is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface StartedSystem {
  child: ChildProcess;
  output: () => string;
  port: number;
  temporalPort: number;
  uiPort: number;
  dataDir: string;
}

/**
 * `npm start` (scripts/start.ts) in a process group of its own, on free ports
 * and a fresh data directory, with `env` on top; resolves once the API is
 * healthy and a worker polls.
 */
export async function startSystem(env: NodeJS.ProcessEnv = {}): Promise<StartedSystem> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'start-test-'));
  const [port, temporalPort, uiPort, m365Port, googlePort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    detached: true,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_DEV_SERVER_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      M365_EMULATOR_PORT: String(m365Port),
      GOOGLE_EMULATOR_PORT: String(googlePort),
      TEMPORAL_ADDRESS: '',
      API_TOKEN: '',
      DATABASE_URL: '',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was healthy:\n${output}`))));
  await Promise.race([
    exited,
    // Generous: under CI's load a cold start (dev server, workflow bundle, emulators) has taken over 20 s.
    waitFor(
      'a healthy API with a polling worker',
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        const body = (await res.json()) as { workers: { ok: boolean; detail: string } };
        if (res.status === 200 && body.workers.ok) return body;
        throw new Error(`health ${res.status}: ${JSON.stringify(body).slice(0, 400)}`);
      },
      150_000,
      () => tailOf(output),
    ),
  ]);
  exited.catch(() => undefined);
  return { child, output: () => output, port, temporalPort, uiPort, dataDir };
}

/** SIGTERM, then waits for npm start's exit and for every process of its group to be gone. */
export async function stopSystem(started: StartedSystem): Promise<number | null> {
  const pgid = started.child.pid!;
  if (started.child.exitCode !== null) return started.child.exitCode;
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGTERM');
  const code = await exited;
  await waitFor('every process npm start started to end', async () => (groupAlive(pgid) ? undefined : true), 30_000);
  return code;
}

/** Kills whatever is left of a system (when a test failed half-way) and removes its data directory (afterAll). */
export function disposeSystem(started: StartedSystem): void {
  if (started.child.pid && groupAlive(started.child.pid)) process.kill(-started.child.pid, 'SIGKILL');
  rmSync(started.dataDir, { recursive: true, force: true });
}
