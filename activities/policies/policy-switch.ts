import type { Client } from '@temporalio/client';
import { SyncStatus } from '../../shared/vocabulary.js';
import type { PolicyView, Store, SyncUserView } from '../../store/index.js';
import { pauseSignal, resumeSignal } from '../../shared/contracts/user-sync-messages.js';

/**
 * One pause (or resume) signal per user when a policy is disabled (or
 * enabled). The API sends them at once; this pass sends them only when the
 * API could not (Temporal down, a change written straight to the database).
 * Which of the two sends is decided by the policy's usersToldEnabled flag:
 * the one that flips it sends, the other does nothing.
 */
export async function tellUsersOfSwitch(store: Store, client: Client, policy: PolicyView, rows: SyncUserView[]): Promise<number> {
  if (!(await store.policies.claimUsersTold(policy.id, policy.enabled))) return 0;
  let told = 0;
  try {
    for (const row of rows) {
      if (!hasWorkflow(row)) continue;
      const signal = policy.enabled ? resumeSignal : pauseSignal;
      if (await signalIfOpen(client, row.workflowId, (handle) => handle.signal(signal, { reason: 'policy-disabled' }))) told += 1;
    }
  } catch (err) {
    // Some users were not told: the next pass claims the job again (a user told twice is harmless; signals are idempotent).
    await store.policies.releaseUsersTold(policy.id);
    throw err;
  }
  return told;
}

/** Rows with a workflow of their own: not Excluded (closed) and not SyncedElsewhere (none). */
export function hasWorkflow(row: SyncUserView): boolean {
  return row.status !== SyncStatus.Excluded && row.status !== SyncStatus.SyncedElsewhere;
}

/** Signals an open workflow; a closed one (an Excluded user) has nothing left to tell. */
export async function signalIfOpen(client: Client, workflowId: string, send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>): Promise<boolean> {
  try {
    await send(client.workflow.getHandle(workflowId));
    return true;
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return false;
    throw err;
  }
}
