import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds a Temporal CLI binary without downloading one at run time, which
 * machines without internet cannot do. Order: TEMPORAL_CLI, `temporal` on
 * PATH, our cache, then a `go install` build into the cache. Returns
 * undefined only when none of that works, so callers can fall back to the
 * SDK's own download where there is internet.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const fallbackVersions = ['v1.4.1', 'v1.3.0'];

export function temporalCliCacheDir(version = TEMPORAL_CLI_VERSION): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'm365-google-continuity', 'temporal-cli', version);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function cachedBinary(): string | undefined {
  for (const version of [TEMPORAL_CLI_VERSION, ...fallbackVersions]) {
    const candidate = path.join(temporalCliCacheDir(version), 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function goInstall(version: string, log: (line: string) => void): Promise<string | undefined> {
  const dir = temporalCliCacheDir(version);
  mkdirSync(dir, { recursive: true });
  log(`Building the Temporal CLI ${version} with go install (first run only; takes a few minutes)...`);
  const started = Date.now();
  return new Promise((resolve) => {
    // -x would be too chatty; -v prints each package as it compiles, which is the progress we show.
    const child = spawn('go', ['install', '-v', `github.com/temporalio/cli/cmd/temporal@${version}`], {
      env: { ...process.env, GOBIN: dir, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let compiled = 0;
    let lastReport = Date.now();
    let errorTail = '';
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString();
      errorTail = (errorTail + text).slice(-4000);
      compiled += text.split('\n').filter((l) => l && !l.startsWith('go: downloading')).length;
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        log(`  ...still building the Temporal CLI: ${compiled} packages so far, ${Math.round((Date.now() - started) / 1000)} s`);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', (err) => {
      log(`go install could not run: ${err.message}`);
      resolve(undefined);
    });
    child.on('close', (code) => {
      const binary = path.join(dir, 'temporal');
      if (code === 0 && isExecutable(binary)) {
        log(`Built the Temporal CLI ${version} in ${Math.round((Date.now() - started) / 1000)} s: ${binary}`);
        resolve(binary);
      } else {
        log(`go install of the Temporal CLI ${version} failed (exit ${code}):\n${errorTail}`);
        resolve(undefined);
      }
    });
  });
}

export async function resolveTemporalCli(log: (line: string) => void = console.error): Promise<string | undefined> {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TEMPORAL_CLI points at ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const found = onPath('temporal') ?? cachedBinary();
  if (found) return found;
  if (spawnSync('go', ['version']).status !== 0) {
    log('No Temporal CLI found and no Go toolchain to build one; falling back to the Temporal SDK download.');
    return undefined;
  }
  for (const version of [TEMPORAL_CLI_VERSION, ...fallbackVersions]) {
    const built = await goInstall(version, log);
    if (built) return built;
  }
  return undefined;
}

// `npm run temporal:build` resolves (and if needed builds) the binary and prints its path.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const binary = await resolveTemporalCli();
  if (!binary) {
    console.error('Could not find or build the Temporal CLI.');
    process.exit(1);
  }
  console.log(binary);
}
