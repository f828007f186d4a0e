import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareIsolatedRun } from './isolated-run.js';

/**
 * `npm test`: type-check, lint (ESLint, then Prettier's check), then the whole suite against a real Temporal dev
 * server and the emulators. The emulators' local CA must be trusted from the
 * very start of each test process, hence NODE_EXTRA_CA_CERTS set here rather
 * than inside the tests. Extra arguments go to vitest (e.g. a file filter).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function run(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

const args = process.argv.slice(2);
const skipTypecheck = args.includes('--no-typecheck');
const vitestArgs = args.filter((arg) => arg !== '--no-typecheck');

if (!skipTypecheck) {
  console.error('Type-checking (tsc --noEmit)...');
  const status = run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], process.env);
  if (status !== 0) process.exit(status);
  // --no-typecheck skips these too: they are the same kind of static check, and take about as long.
  console.error('Linting (eslint .)...');
  const lintStatus = run(bin('eslint'), ['.'], process.env);
  if (lintStatus !== 0) process.exit(lintStatus);
  console.error('Checking the format (prettier --check .)...');
  const formatStatus = run(bin('prettier'), ['--check', '--log-level', 'warn', '.'], process.env);
  if (formatStatus !== 0) process.exit(formatStatus);
}

// TEST_REPORT_JSON asks for vitest's JSON report beside the usual output (CI prints its summary line from it).
const reportArgs = process.env.TEST_REPORT_JSON ? ['--reporter=default', '--reporter=json', `--outputFile.json=${process.env.TEST_REPORT_JSON}`] : [];

const isolated = await prepareIsolatedRun({ purpose: 'the integration tests', directoryPrefix: 'm365-sync-test-', keepVariable: 'KEEP_TEST_DATA' });
const status = run(bin('vitest'), ['run', ...reportArgs, ...vitestArgs], isolated.env);
isolated.cleanUp();
process.exit(status);
