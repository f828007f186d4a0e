import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { resolveTsFromJsImports, workflowsPath } from './worker.js';

/**
 * Bundles the workflow code once, ahead of time: a production worker then
 * loads the file (WORKFLOW_BUNDLE_PATH) instead of running webpack at every
 * start, and every worker of a deploy runs byte for byte the same workflows,
 * the ones the replay test checked.
 */
export async function writeWorkflowBundle(outFile: string): Promise<string> {
  const bundle = await bundleWorkflowCode({ workflowsPath, webpackConfigHook: resolveTsFromJsImports });
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, bundle.code);
  return outFile;
}
