import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * History events of a workflow across its chain of runs: the latest run,
 * then each run it continued from (WorkflowExecutionStarted carries
 * continuedExecutionRunId), back to the first.
 */
export interface RunHistory {
  runId: string;
  events: number;
}

export interface ChainHistory {
  runs: RunHistory[];
  total: number;
}

export async function chainHistory(client: Client, workflowId: string): Promise<ChainHistory> {
  const latest = await client.workflow.getHandle(workflowId).describe();
  const runs: RunHistory[] = [];
  let runId: string | undefined = latest.runId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    runs.unshift({ runId, events: events.length });
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
  }
  return { runs, total: runs.reduce((sum, run) => sum + run.events, 0) };
}

/**
 * Waits until the chain stops growing (same length twice, `quietMs` apart):
 * the workflow has finished what it was doing and sits on its timer.
 */
export async function settledHistory(client: Client, workflowId: string, quietMs = 750, timeoutMs = 120_000): Promise<ChainHistory> {
  const deadline = Date.now() + timeoutMs;
  let previous = await chainHistory(client, workflowId);
  for (;;) {
    await sleep(quietMs);
    const current = await chainHistory(client, workflowId);
    if (current.total === previous.total) return current;
    if (Date.now() > deadline) throw new Error(`The history of ${workflowId} kept growing for ${timeoutMs / 1000} s.`);
    previous = current;
  }
}
