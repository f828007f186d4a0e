import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLocalTls } from '../shared/tls.js';
import { resolveTemporalCli } from './temporal-cli.js';

/**
 * `npm run bench [-- --quick] [-- --only=throughput,fleet] [-- --profile]`:
 * every performance scenario against the emulators and a Temporal dev server
 * of its own (never ./data). The emulators' local CA must be trusted from the
 * first instruction of every process that talks to them (NODE_EXTRA_CA_CERTS
 * is read at start-up), so this script makes a temporary data directory and
 * CA, then runs bench/run.ts under that environment. See README, Performance.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const binary = await resolveTemporalCli((line) => console.error(line));
if (!binary) {
  console.error('No Temporal CLI could be found or built; the benchmark needs a real Temporal dev server. Set TEMPORAL_CLI or install Go.');
  process.exit(1);
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'm365-sync-bench-'));
const tls = ensureLocalTls(dataDir);
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATA_DIR: dataDir,
  TEMPORAL_CLI: binary,
  NODE_EXTRA_CA_CERTS: tls.caCertPath,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};
const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'run.ts'), ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
if (!process.env.KEEP_BENCH_DATA) rmSync(dataDir, { recursive: true, force: true });
else console.error(`Bench data kept in ${dataDir}`);
if (result.error) throw result.error;
process.exit(result.status ?? 1);
