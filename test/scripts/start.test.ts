import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { groupAlive, startSystem, tailOf, waitFor, type StartedSystem } from '../helpers/npm-start.js';

// `npm start` end to end: its own dev server, worker, API (and emulators),
// on free ports and a fresh data directory, in a process group of its own as a
// terminal gives it (Ctrl-C signals the whole group).
type Started = StartedSystem;

async function stopSystem(started: Started, how: 'ctrl-c' | 'sigterm'): Promise<{ code: number | null; seconds: number }> {
  const pgid = started.child.pid!;
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  const sentAt = Date.now();
  if (how === 'ctrl-c') process.kill(-pgid, 'SIGINT');
  else started.child.kill('SIGTERM');
  const code = await exited;
  await waitFor('every process npm start started to end', async () => (groupAlive(pgid) ? undefined : true), 30_000);
  return { code, seconds: (Date.now() - sentAt) / 1000 };
}

/** The processes npm start started, found by their command line (pid and parent pid from ps). */
function processesOf(parentPid: number): { pid: number; args: string }[] {
  const out = execFileSync('ps', ['-o', 'pid=,ppid=,args=', '-e'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null && Number(m[2]) === parentPid)
    .map((m) => ({ pid: Number(m[1]), args: m[3]! }));
}

interface HealthBody {
  temporal: { ok: boolean };
  workers: { ok: boolean };
}

async function health(port: number): Promise<HealthBody> {
  return (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as HealthBody;
}

describe('npm start', () => {
  const started: Started[] = [];
  // Each test's system is gone before the next starts, also when it failed half-way (a leftover would load the next one's start).
  afterEach(() => {
    for (const { child } of started.splice(0)) if (child.pid && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
  });

  it('brings up Temporal, the UI, the worker and the API, and stops cleanly on SIGTERM', async () => {
    const system = await startSystem();
    started.push(system);
    const health = (await (await fetch(`http://127.0.0.1:${system.port}/api/health`)).json()) as { temporal: { ok: boolean; address: string } };
    expect(health.temporal).toMatchObject({ ok: true, address: `127.0.0.1:${system.temporalPort}` });

    const ui = await waitFor('Temporal UI', async () => {
      const res = await fetch(`http://127.0.0.1:${system.uiPort}/`);
      return res.status === 200 ? res : undefined;
    });
    expect(ui.headers.get('content-type')).toContain('text/html');

    // The generated token is printed once and stored in the data directory.
    const token = readFileSync(path.join(system.dataDir, 'api-token'), 'utf8').trim();
    expect(system.output()).toContain(`API token (saved in ${path.join(system.dataDir, 'api-token')}): ${token}`);
    const protectedRoute = await fetch(`http://127.0.0.1:${system.port}/api/diagnostics/worker-probe`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(protectedRoute.status).toBe(202);

    const stop = await stopSystem(system, 'sigterm');
    expect(stop.code).toBe(0);
    expect(stop.seconds).toBeLessThan(10);
    expect(system.output()).not.toMatch(/IllegalStateError|\n\s+at .+:\d+:\d+\)?\n/);
    // Everything it started is gone: the frontend no longer answers.
    await expect(fetch(`http://127.0.0.1:${system.port}/api/health`)).rejects.toThrow();
  }, 180_000);

  it('restarts a dev server and a worker that die (SIGKILL) on their own, and still stops within 10 s on Ctrl-C', async () => {
    const system = await startSystem();
    started.push(system);
    onTestFailed(() => console.error(system.output()));
    const npmStart = system.child.pid!;
    const devServer = processesOf(npmStart).find((p) => p.args.includes('server start-dev'));
    expect(devServer, 'the dev server is a child of npm start').toBeDefined();
    // npm start is held (SIGSTOP) while the dev server dies, so the outage lasts until the test has seen the
    // API report it: a restart quicker than one health probe would otherwise hide it.
    process.kill(npmStart, 'SIGSTOP');
    try {
      process.kill(devServer!.pid, 'SIGKILL');
      // The API stays up and says Temporal is down, then up again once the dev server is back on its database file and port.
      await waitFor(
        'the API to report Temporal down',
        async () => ((await health(system.port)).temporal.ok ? undefined : true),
        60_000,
        () => tailOf(system.output()),
      );
    } finally {
      process.kill(npmStart, 'SIGCONT');
    }
    await waitFor(
      'the dev server to be restarted and the worker polling again',
      async () => {
        const body = await health(system.port);
        return body.temporal.ok && body.workers.ok ? true : undefined;
      },
      120_000,
      () => tailOf(system.output()),
    );
    const restartedDevServer = processesOf(npmStart).find((p) => p.args.includes('server start-dev'));
    expect(restartedDevServer!.pid).not.toBe(devServer!.pid);
    expect(system.output()).toContain('Temporal dev server stopped unexpectedly; restarting it in 1 s');

    const worker = processesOf(npmStart).find((p) => p.args.includes('worker/main.ts'))!;
    process.kill(worker.pid, 'SIGKILL');
    await waitFor(
      'a new worker process',
      async () => {
        const next = processesOf(npmStart).find((p) => p.args.includes('worker/main.ts'));
        return next && next.pid !== worker.pid ? next : undefined;
      },
      30_000,
    );
    expect(system.output()).toContain('worker stopped unexpectedly; restarting it in 1 s');

    const stop = await stopSystem(system, 'ctrl-c');
    expect(stop.code).toBe(0);
    expect(stop.seconds).toBeLessThan(10);
    expect(system.output()).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  }, 300_000);

  it('stops every process it started within 10 s on Ctrl-C (SIGINT to the whole process group), exit status 0, no stack trace', async () => {
    const system = await startSystem();
    started.push(system);
    const stop = await stopSystem(system, 'ctrl-c');
    expect(stop.code).toBe(0);
    expect(stop.seconds).toBeLessThan(10);
    expect(system.output()).not.toContain('IllegalStateError');
    expect(system.output()).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  }, 180_000);
});
