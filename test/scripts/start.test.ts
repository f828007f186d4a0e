import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';

// `npm start` end to end: its own dev server, worker, API (and emulators),
// on free ports and a fresh data directory.
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('npm start', () => {
  let child: ChildProcess | undefined;
  let output = '';
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('brings up Temporal, the UI, the worker and the API, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'start-test-'));
    const [port, temporalPort, uiPort, m365Port, googlePort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
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
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));

    const health = await waitFor('a healthy API with a polling worker', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      const body = (await res.json()) as { temporal: { ok: boolean; address: string }; workers: { ok: boolean } };
      return res.status === 200 && body.workers.ok ? body : undefined;
    });
    expect(health.temporal).toMatchObject({ ok: true, address: `127.0.0.1:${temporalPort}` });

    const ui = await waitFor('Temporal UI', async () => {
      const res = await fetch(`http://127.0.0.1:${uiPort}/`);
      return res.status === 200 ? res : undefined;
    });
    expect(ui.headers.get('content-type')).toContain('text/html');

    // The generated token is printed once and stored in the data directory.
    const token = readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim();
    expect(output).toContain(`API token (saved in ${path.join(dataDir, 'api-token')}): ${token}`);
    const protectedRoute = await fetch(`http://127.0.0.1:${port}/api/diagnostics/worker-probe`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(protectedRoute.status).toBe(202);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Everything it started is gone: the frontend no longer answers.
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  }, 180_000);
});
