import { Context } from '@temporalio/activity';
import type { ContainerLinkUpdate, ContainerStateView, ContainerStore } from '../../store/index.js';
import type { ItemCounts } from '../../shared/vocabulary.js';
import { graphFailure } from '../failures.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { cancellationOf } from './cancellation.js';
import { assertSourceUserPresent } from '../provisioning/source-user.js';
import type { AnyDataTypeModule, DeltaPage, EngineDeps, UserPairInput } from './data-type-module.js';
import { publishUserTotals } from './totals.js';

/** What every container of one activity shares: read once, not once per container. */
export interface WalkSession {
  module: AnyDataTypeModule;
  containers: ContainerStore;
  /** The type's containers as recorded. */
  known: ContainerStateView[];
  /** The module's own session (clients, pacers, caches). */
  moduleSession: unknown;
  /** The user's totals after the last page that changed something; null while nothing has (an idle cycle never reads them). */
  totals: ItemCounts | null;
  /** Positions reached by pages that changed nothing, not yet saved (see saveUnsavedLinks). */
  unsavedLinks: Map<string, ContainerLinkUpdate>;
}

export interface ContainerWalkResult {
  /** True when the container reached its delta link (the round is complete). */
  roundComplete: boolean;
  updated: number;
  deleted: number;
  /** Items and removals this call went through. */
  handled: number;
}

export interface ContainerProgress {
  sourceContainerId: string;
  link: string;
}

/**
 * Saves the positions of pages that changed nothing, in one transaction.
 * Until then a lost position costs only a second read of an unchanged page:
 * delta reads change nothing, and the item map keeps anything from being
 * copied twice.
 */
export async function saveUnsavedLinks(session: WalkSession, syncUserId: string): Promise<void> {
  if (session.unsavedLinks.size === 0) return;
  const links = [...session.unsavedLinks.values()];
  session.unsavedLinks.clear();
  await session.containers.saveDeltaLinks(syncUserId, links);
}

/**
 * Moves one container forward through its delta: from where the last
 * attempt (heartbeat details), or the last cycle (the stored link), stopped.
 * A retried attempt resumes at the page it was on; an expired delta token
 * restarts the container from the beginning, and the item map keeps that
 * from copying anything twice.
 */
export async function walkContainer(deps: EngineDeps, input: UserPairInput & { sourceContainerId: string; itemBudget: number }, session: WalkSession): Promise<ContainerWalkResult> {
  const { store } = deps;
  const { module } = session;
  const container = session.known.find((c) => c.sourceContainerId === input.sourceContainerId);
  // A container deleted since discovery has nothing left to copy; one the module cannot copy into yet waits, unread.
  if (!container || !module.isWalkable(session.moduleSession, container)) return { roundComplete: true, updated: 0, deleted: 0, handled: 0 };

  const ctx = Context.current();
  const fromHeartbeat = ctx.info.heartbeatDetails as ContainerProgress | undefined;
  const resumed = fromHeartbeat?.sourceContainerId === input.sourceContainerId ? fromHeartbeat : undefined;
  const startLink = () => module.initialDeltaLink(input, input.sourceContainerId);
  let link = resumed?.link ?? container.deltaLink ?? startLink();
  let handled = 0;
  // Heartbeats within a page too: a page can outlast the heartbeat timeout while pacing holds it back.
  const keepAlive = () => ctx.heartbeat({ sourceContainerId: input.sourceContainerId, link } satisfies ContainerProgress);
  let updated = 0;
  let deleted = 0;

  const fetchPage = (from: string) => {
    const pending = module.readDeltaPage(session.moduleSession, from) as Promise<DeltaPage<{ id: string }>>;
    pending.catch(() => undefined); // awaited below; a failure must not surface as unhandled meanwhile
    return { from, pending };
  };
  // The next page is read while this one is applied: reading changes nothing, so it is safe ahead of time.
  let prefetched: { from: string; pending: Promise<DeltaPage<{ id: string }>> } | null = null;

  while (handled < input.itemBudget) {
    // A pause (the workflow cancels this attempt) stops here, between pages; everything before is saved.
    if (ctx.cancellationSignal.aborted) throw cancellationOf(ctx.cancellationSignal);
    let page: DeltaPage<{ id: string }>;
    try {
      const current = prefetched?.from === link ? prefetched : fetchPage(link);
      prefetched = null;
      page = await current.pending;
    } catch (err) {
      const kind = classifyGraphError(err).kind;
      if (kind === 'notFound') {
        // Either the container or the whole user is gone; only the user's absence stops the cycle.
        await assertSourceUserPresent(deps.connections, input);
        await session.containers.remove(input.syncUserId, [input.sourceContainerId]);
        session.unsavedLinks.delete(input.sourceContainerId);
        return { roundComplete: true, updated, deleted, handled };
      }
      if (kind === 'syncStateNotFound') {
        // Graph forgot this delta token: enumerate the container again; the item map skips what is already copied.
        await store.audit.write({
          severity: 'Warning',
          category: 'sync',
          code: 'DELTA_TOKEN_EXPIRED',
          message: `Microsoft 365 no longer knows the sync state of ${containerWords[module.dataType]} "${container.path}"; it is read again from the start. Nothing is copied twice.`,
          actor: 'System',
          syncUserId: input.syncUserId,
          details: { dataType: module.dataType, sourceContainerId: input.sourceContainerId },
        });
        link = startLink();
        continue;
      }
      throw graphFailure(err);
    }
    const pageHandled = page.changed.length + page.removedIds.length;
    if (page.nextLink && handled + pageHandled < input.itemBudget) prefetched = fetchPage(page.nextLink);
    if (pageHandled > 0) {
      const result = await module.applyPage(session.moduleSession, container, page, keepAlive);
      updated += result.updated;
      deleted += result.deleted;
      handled += pageHandled;
    }

    const next = page.nextLink ?? page.deltaLink;
    if (!next) throw new Error(`Microsoft Graph answered a delta page of ${containerWords[module.dataType]} "${container.path}" with neither a nextLink nor a deltaLink.`);
    session.unsavedLinks.set(input.sourceContainerId, { sourceContainerId: input.sourceContainerId, deltaLink: next, ...(page.deltaLink ? { initialSyncComplete: true } : {}) });
    link = next;
    if (pageHandled > 0) {
      // A page that changed something is saved at once, and moves the counts (and the progress shown).
      await saveUnsavedLinks(session, input.syncUserId);
      session.totals = await publishUserTotals(store, input.syncUserId);
    }
    ctx.heartbeat({ sourceContainerId: input.sourceContainerId, link } satisfies ContainerProgress);
    if (page.deltaLink) return { roundComplete: true, updated, deleted, handled };
  }
  return { roundComplete: false, updated, deleted, handled };
}

/** How the audit log names a container of each type. */
const containerWords: Record<AnyDataTypeModule['dataType'], string> = {
  mail: 'folder',
  contacts: 'contact folder',
  calendar: 'calendar',
};
