import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { resolveContractSources, type ContractSources } from './helpers/contract/sources.js';
import { resolveTemporalCli } from '../scripts/temporal-cli.js';
import { startDevServer } from '../scripts/dev-server.js';
import { freePort } from '../shared/free-port.js';
import { writeWorkflowBundle } from '../worker/workflow-bundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalUiUrl: string;
    workflowBundlePath: string;
    testDataDir: string;
    /** The published API descriptions the emulators' responses are checked against. */
    contractSources: ContractSources;
  }
}

/**
 * One real Temporal dev server and one workflow bundle for the whole run:
 * parallel servers race, and bundling per file costs seconds. The server is
 * started the way `npm start` starts it, not by @temporalio/testing's
 * createLocal(): that one gives the server 5 s to answer, which a fresh CI
 * machine under npm ci's load did not meet (CI run of stop 19).
 */
export default async function setup(project: TestProject) {
  const dataDir = process.env.DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'm365-sync-test-'));
  const binary = await resolveTemporalCli((line) => console.error(line));
  if (!binary) throw new Error('No Temporal CLI: the integration tests need a real Temporal dev server (see README, Prerequisites).');

  const server = await startDevServer({
    binary,
    dataDir,
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
    persist: false,
    log: () => undefined,
  });

  // Every process of the run (test workers, spawned workers, npm start) encrypts payloads with one key: the committed
  // test key, so the histories recorded with it replay in later runs (test/fixtures/histories).
  process.env.PAYLOAD_CODEC_KEY ||= readFileSync(new URL('./fixtures/payload-codec-test.key', import.meta.url), 'utf8').trim();
  const workflowBundlePath = await writeWorkflowBundle(path.join(dataDir, 'workflow-bundle.js'));

  project.provide('temporalAddress', server.address);
  project.provide('temporalUiUrl', server.uiUrl);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('testDataDir', dataDir);
  project.provide(
    'contractSources',
    resolveContractSources((line) => console.error(line)),
  );

  return async () => {
    await server.stop();
  };
}
