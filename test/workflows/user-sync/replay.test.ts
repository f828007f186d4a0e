import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { testDataConverter } from '../../helpers/temporal.js';
import { historiesDir, historyFromFixture } from '../../helpers/history-recording.js';

/**
 * Every committed history replays through today's workflow bundle. A change
 * to the workflow's command sequence that is not behind patched() makes the
 * replay diverge (a DeterminismViolationError) and fails here.
 */
describe('user sync workflow: replay of recorded histories', () => {
  const files = readdirSync(historiesDir)
    .filter((name) => name.endsWith('.json'))
    .sort();

  it('has the recorded scenarios to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'initial-sync-paused.json',
        'failed-cycle.json',
        'credentials-healed.json',
        'excluded.json',
        'continued-as-new.json',
        'paused-across-runs.json',
        'paused-across-runs.next-run.json',
        'contacts-enabled.json',
        'calendar-enabled.json',
        // Recorded before discovery moved into the sync activity: runs that started with a discover activity per first sync.
        'failed-cycle.separate-discovery.json',
        'continued-as-new.separate-discovery.json',
        'paused-across-runs.separate-discovery.json',
        'contacts-enabled.separate-discovery.json',
        // Recorded before the first-sync patches (issue 13): the runs that started on the engine.
        'failed-cycle.engine.json',
        'continued-as-new.engine.json',
        'paused-across-runs.engine.json',
        'paused-across-runs.next-run.engine.json',
      ]),
    );
  });

  it('replays each of them without a determinism error', async () => {
    const histories = files.map((name) => ({ workflowId: path.basename(name, '.json'), history: historyFromFixture(JSON.parse(readFileSync(path.join(historiesDir, name), 'utf8'))) }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ dataConverter: testDataConverter(), workflowBundle: { codePath: inject('workflowBundlePath') } }, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
