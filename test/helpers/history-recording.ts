import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/** Committed histories of the user workflow, replayed by test/workflows/user-sync/replay.test.ts. */
export const historiesDir = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));

/**
 * Saves the history of a scenario's workflow run as a replay fixture, when
 * the run asks for it (RECORD_HISTORIES=1, see README "Changing workflow
 * code safely"). The scenarios are ordinary tests; recording adds nothing
 * to what they assert.
 */
export async function recordHistoryIfAsked(handle: WorkflowHandle, scenario: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await handle.fetchHistory();
  mkdirSync(historiesDir, { recursive: true });
  writeFileSync(path.join(historiesDir, `${scenario}.json`), `${JSON.stringify(History.toObject(history as temporal.api.history.v1.History, historyJson), null, 1)}\n`);
}

const History = temporal.api.history.v1.History;

/**
 * protobufjs's own JSON form of a History (not proto3 JSON: the SDK's
 * historyToJSON trips over two copies of protobufjs under vitest). Readable,
 * and read back by historyFromFixture with the same class.
 */
const historyJson = { longs: String, enums: String, bytes: String } as const;

export function historyFromFixture(json: unknown): temporal.api.history.v1.History {
  return History.fromObject(json as Record<string, unknown>);
}
