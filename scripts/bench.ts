import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareIsolatedRun } from './isolated-run.js';

/**
 * `npm run bench [-- --quick] [-- --only=throughput,fleet] [-- --profile]`:
 * every performance scenario against the emulators and a Temporal dev server
 * of its own (never ./data). The emulators' local CA must be trusted from the
 * first instruction of every process that talks to them (NODE_EXTRA_CA_CERTS
 * is read at start-up), so this script makes a temporary data directory and
 * CA, then runs bench/run.ts under that environment. See README, Performance.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const isolated = await prepareIsolatedRun({ purpose: 'the benchmark', directoryPrefix: 'm365-sync-bench-', keepVariable: 'KEEP_BENCH_DATA' });
const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'run.ts'), ...process.argv.slice(2)], { cwd: root, env: isolated.env, stdio: 'inherit' });
isolated.cleanUp();
if (result.error) throw result.error;
process.exit(result.status ?? 1);
