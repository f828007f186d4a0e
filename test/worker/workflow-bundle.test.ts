import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { testDataConverter } from '../helpers/temporal.js';
import { historiesDir, historyFromFixture } from '../helpers/history-recording.js';

describe('the prebuilt workflow bundle (npm run build:workflows)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is written where asked and replays the committed histories, as the workflows from source do', async () => {
    const outFile = path.join(dir, 'workflow-bundle.js');
    const printed = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-workflow-bundle.ts', outFile], { encoding: 'utf8' });
    expect(printed).toContain(outFile);
    expect(statSync(outFile).size).toBeGreaterThan(100_000);

    const files = readdirSync(historiesDir).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    const histories = files.map((name) => ({ workflowId: name, history: historyFromFixture(JSON.parse(readFileSync(path.join(historiesDir, name), 'utf8'))) }));
    const errors: string[] = [];
    for await (const result of Worker.runReplayHistories({ dataConverter: testDataConverter(), workflowBundle: { codePath: outFile } }, histories)) {
      if (result.error) errors.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(errors).toEqual([]);
  });
});
