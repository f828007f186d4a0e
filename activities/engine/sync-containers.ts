import { CancelledFailure, Context } from '@temporalio/activity';
import type { AnyDataTypeModule, ContainersSyncResult, EngineDeps, SyncContainersInput } from './data-type-module.js';
import { saveUnsavedLinks, walkContainer, type ContainerProgress, type WalkSession } from './delta-walk.js';

/**
 * Moves several containers of one data type forward in one activity: an
 * idle cycle of a mailbox with a dozen folders is one activity (a dozen delta
 * requests), not a dozen activities, which keeps the workflow history short
 * and the Temporal server's work per user small. A retried attempt starts at
 * the container its heartbeat names; containers before it that changed
 * something saved their delta links, and the others are read again next
 * cycle at no risk.
 */
export async function syncContainers(deps: EngineDeps, module: AnyDataTypeModule, input: SyncContainersInput): Promise<ContainersSyncResult> {
  const resumed = Context.current().info.heartbeatDetails as ContainerProgress | undefined;
  const resumeAt = resumed ? input.sourceContainerIds.indexOf(resumed.sourceContainerId) : -1;
  const containerIds = resumeAt > 0 ? input.sourceContainerIds.slice(resumeAt) : input.sourceContainerIds;
  let budget = input.itemBudget;
  let updated = 0;
  let deleted = 0;
  const containers = deps.store.containers.forType(module.dataType);
  const known = await containers.list(input.syncUserId);
  const session: WalkSession = { module, containers, known, moduleSession: await module.openSession(input, known), totals: null, unsavedLinks: new Map() };
  for (const [index, sourceContainerId] of containerIds.entries()) {
    const result = await walkContainer(deps, { ...input, sourceContainerId, itemBudget: Math.max(budget, 1) }, session).catch(async (err: unknown) => {
      // Stopped by a pause: the pages read without changes keep their place too.
      if (err instanceof CancelledFailure) await saveUnsavedLinks(session, input.syncUserId);
      throw err;
    });
    updated += result.updated;
    deleted += result.deleted;
    budget -= result.handled;
    if (!result.roundComplete || (budget <= 0 && index < containerIds.length - 1)) {
      await saveUnsavedLinks(session, input.syncUserId);
      return { remainingContainerIds: containerIds.slice(result.roundComplete ? index + 1 : index), counts: session.totals, updated, deleted };
    }
  }
  await saveUnsavedLinks(session, input.syncUserId);
  return { remainingContainerIds: [], counts: session.totals, updated, deleted };
}
