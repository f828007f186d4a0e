import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulators, type RunningEmulators } from '../../../emulators/main.js';
import { contractObservers } from '../../helpers/contract/recorder.js';
import { controlUsers, freshDataDir, postJson } from './fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface LogLine {
  msg?: string;
  microsoft365?: string;
  google?: string;
}

/** Resolves with the first JSON log line whose message is `message`; rejects if the process ends first. */
function waitForLog(child: ChildProcess, message: string): Promise<LogLine> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as LogLine;
      if (parsed.msg === message) resolve(parsed);
    });
    child.once('exit', (code) => reject(new Error(`emulators/main.ts exited (code ${code}) before logging "${message}"`)));
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('npm run emulators (emulators/main.ts as a process)', () => {
  const dataDir = freshDataDir();
  let restarted: RunningEmulators | undefined;

  afterAll(async () => {
    await restarted?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs JSON, and on SIGTERM saves what changed and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulators/main.ts'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, M365_EMULATOR_PORT: '0', GOOGLE_EMULATOR_PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = exitOf(child);
    const listening = await waitForLog(child, 'emulators listening');
    const m365Url = listening.microsoft365 ?? '';
    expect(listening.google).toMatch(/^https:\/\/localhost:\d+$/);

    const upn = (await controlUsers(m365Url))[0]?.userPrincipalName ?? '';
    const before = (await controlUsers(m365Url))[0]?.messages ?? 0;
    expect((await postJson(`${m365Url}/_control/users/${upn}/messages`, { count: 2 })).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });

    restarted = await startEmulators({ dataDir, m365Port: 0, googlePort: 0, observeResponses: contractObservers() });
    expect(restarted.firstStart).toBe(false);
    expect((await controlUsers(restarted.m365.url)).find((user) => user.userPrincipalName === upn)?.messages).toBe(before + 2);
  });
});
