import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureLocalTls } from '../shared/tls.js';
import { resolveTemporalCli } from './temporal-cli.js';

export interface IsolatedRun {
  dataDir: string;
  /** The environment of the child process: DATA_DIR, TEMPORAL_CLI, the trusted local CA, quiet logs. */
  env: NodeJS.ProcessEnv;
  /** Removes the data directory unless `keepVariable` is set in the environment. */
  cleanUp(): void;
}

/**
 * What `npm test` and `npm run bench` both need before they start their
 * child: a Temporal CLI (exits when none can be found or built), a temporary
 * data directory of their own (never ./data) and the emulators' local CA,
 * trusted through NODE_EXTRA_CA_CERTS because Node reads it only at start-up.
 */
export async function prepareIsolatedRun(options: { purpose: string; directoryPrefix: string; keepVariable: string }): Promise<IsolatedRun> {
  const binary = await resolveTemporalCli((line) => console.error(line));
  if (!binary) {
    console.error(`No Temporal CLI could be found or built; ${options.purpose} needs a real Temporal dev server. Set TEMPORAL_CLI or install Go.`);
    process.exit(1);
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), options.directoryPrefix));
  const tls = ensureLocalTls(dataDir);
  return {
    dataDir,
    env: { ...process.env, DATA_DIR: dataDir, TEMPORAL_CLI: binary, NODE_EXTRA_CA_CERTS: tls.caCertPath, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    cleanUp() {
      if (!process.env[options.keepVariable]) rmSync(dataDir, { recursive: true, force: true });
      else console.error(`Data kept in ${dataDir}`);
    },
  };
}
