import { Context } from '@temporalio/activity';
import { graphFailure } from '../failures.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { fetchDeltaPage, initialDeltaPath, type DeltaPage } from '../microsoft365/mail-export.js';
import { applyDeltaPage } from './apply-page.js';
import { cancellationOf } from './import-messages.js';
import { systemLabelForFolder } from './labels.js';
import { openMailbox, type MailboxInput, type MailDeps } from './mailbox.js';
import type { ItemCounts } from '../../shared/vocabulary.js';
import { readUserTotals } from './totals.js';
import type { DeltaLinkUpdate, FolderStateView } from '../../store/index.js';
import { assertSourceUserPresent } from '../provisioning/source-user.js';

export interface SyncMailFolderInput extends MailboxInput {
  cycleId: string;
  sourceFolderId: string;
  /** Hand back to the workflow after about this many messages, so progress shows and history stays short. */
  messageBudget: number;
}

/** How far one folder got; the user's totals are in PreparedMailbox. */
export interface FolderSyncResult {
  /** True when the folder reached its delta link (the round is complete). */
  roundComplete: boolean;
  updated: number;
  deleted: number;
  /** Messages and removals this call went through. */
  handled: number;
}

export interface FolderProgress {
  sourceFolderId: string;
  link: string;
}

/** What every folder of one activity shares: read once, not once per folder. */
export interface PreparedMailbox {
  folders: FolderStateView[];
  labelForFolder: Map<string, string>;
  options: { maxImportBytes: number; storeSubjects: () => Promise<boolean> };
  mailbox: Awaited<ReturnType<typeof openMailbox>>;
  /** The user's totals after the last page that changed something; null while nothing has (an idle cycle never reads them). */
  totals: ItemCounts | null;
  /** Positions reached by pages that changed nothing, not yet saved (see saveUnsavedLinks). */
  unsavedLinks: Map<string, DeltaLinkUpdate>;
}

export async function prepareMailbox(deps: MailDeps, input: MailboxInput): Promise<PreparedMailbox> {
  const { store } = deps;
  const folders = await store.folders.list(input.syncUserId);
  const labelForFolder = new Map<string, string>();
  for (const f of folders) {
    const label = systemLabelForFolder(f.wellKnownName) ?? f.googleLabelId;
    if (label) labelForFolder.set(f.sourceFolderId, label);
  }
  let storeSubjects: Promise<boolean> | undefined;
  // Only an item that cannot be copied needs the policy (whether its subject may be stored).
  const readStoreSubjects = () =>
    (storeSubjects ??= store.syncUsers.get(input.syncUserId).then(async (user) => (user ? ((await store.policies.get(user.policyId))?.storeSubjects ?? false) : false)));
  return {
    folders,
    labelForFolder,
    options: { maxImportBytes: deps.maxImportBytes, storeSubjects: readStoreSubjects },
    mailbox: await openMailbox(deps, input),
    totals: null,
    unsavedLinks: new Map(),
  };
}

/**
 * Saves the positions of pages that changed nothing, in one transaction.
 * Until then a lost position costs only a second read of an unchanged page:
 * delta reads change nothing, and the id map keeps anything from being
 * copied twice.
 */
export async function saveUnsavedLinks(store: MailDeps['store'], syncUserId: string, prepared: PreparedMailbox): Promise<void> {
  if (prepared.unsavedLinks.size === 0) return;
  const links = [...prepared.unsavedLinks.values()];
  prepared.unsavedLinks.clear();
  await store.folders.saveDeltaLinks(syncUserId, links);
}

/**
 * Moves one folder forward through its delta: from where the last attempt
 * (heartbeat details), or the last cycle (the stored link), stopped. A
 * retried attempt resumes at the page it was on; an expired delta token
 * restarts the folder from the beginning, and the id map keeps that from
 * copying anything twice.
 */
export async function syncMailFolder(deps: MailDeps, input: SyncMailFolderInput, shared: PreparedMailbox): Promise<FolderSyncResult> {
  const { store } = deps;
  const { folders, labelForFolder, options, mailbox } = shared;
  const deletedItemsFolderId = folders.find((f) => f.wellKnownName === 'deleteditems')?.sourceFolderId;
  const folder = folders.find((f) => f.sourceFolderId === input.sourceFolderId);
  // A folder deleted since discovery has nothing left to copy; one Gmail refused every label
  // name for (LABEL_UNAVAILABLE) waits, unread, until a discovery finds it a label.
  if (!folder || !labelForFolder.has(folder.sourceFolderId)) return { roundComplete: true, updated: 0, deleted: 0, handled: 0 };

  const ctx = Context.current();
  const fromHeartbeat = ctx.info.heartbeatDetails as FolderProgress | undefined;
  const resumed = fromHeartbeat?.sourceFolderId === input.sourceFolderId ? fromHeartbeat : undefined;
  const startLink = () => initialDeltaPath(input.sourceUserId, input.sourceFolderId);
  let link = resumed?.link ?? folder.deltaLink ?? startLink();
  let handled = 0;
  // Heartbeats within a page too: a page can outlast the heartbeat timeout while pacing holds it back.
  const keepAlive = () => ctx.heartbeat({ sourceFolderId: input.sourceFolderId, link } satisfies FolderProgress);
  let updated = 0;
  let deleted = 0;

  const fetchPage = (from: string) => {
    const pending = mailbox.graphPace(() => fetchDeltaPage(mailbox.graph, from, deps.deltaPageSize));
    pending.catch(() => undefined); // awaited below; a failure must not surface as unhandled meanwhile
    return { from, pending };
  };
  // The next page is read while this one is imported: reading changes nothing, so it is safe ahead of time.
  let prefetched: { from: string; pending: Promise<DeltaPage> } | null = null;

  while (handled < input.messageBudget) {
    // A pause (the workflow cancels this attempt) stops here, between pages; everything before is saved.
    if (ctx.cancellationSignal.aborted) throw cancellationOf(ctx.cancellationSignal);
    let page: DeltaPage;
    try {
      const current: { from: string; pending: Promise<DeltaPage> } = prefetched?.from === link ? prefetched : fetchPage(link);
      prefetched = null;
      page = await current.pending;
    } catch (err) {
      const kind = classifyGraphError(err).kind;
      if (kind === 'notFound') {
        // Either the folder or the whole user is gone; only the user's absence stops the cycle.
        await assertSourceUserPresent(deps.connections, input);
        await store.folders.remove(input.syncUserId, [input.sourceFolderId]);
        shared.unsavedLinks.delete(input.sourceFolderId);
        return { roundComplete: true, updated, deleted, handled };
      }
      if (kind === 'syncStateNotFound') {
        // Graph forgot this delta token: enumerate the folder again; the id map skips what is already copied.
        await store.audit.write({
          severity: 'Warning',
          category: 'sync',
          code: 'DELTA_TOKEN_EXPIRED',
          message: `Microsoft 365 no longer knows the sync state of folder "${folder.path}"; the folder is read again from the start. Nothing is copied twice.`,
          actor: 'System',
          syncUserId: input.syncUserId,
          details: { sourceFolderId: input.sourceFolderId },
        });
        link = startLink();
        continue;
      }
      throw graphFailure(err);
    }
    const pageHandled = page.changed.length + page.removedIds.length;
    if (page.nextLink && handled + pageHandled < input.messageBudget) prefetched = fetchPage(page.nextLink);
    if (pageHandled > 0) {
      const result = await applyDeltaPage(store, mailbox, page, { sourceFolderId: folder.sourceFolderId, folderName: folder.path }, { labelForFolder, deletedItemsFolderId }, { ...options, keepAlive });
      updated += result.updated;
      deleted += result.deleted;
      handled += pageHandled;
    }

    const next = page.nextLink ?? page.deltaLink;
    if (!next) throw new Error(`Microsoft Graph answered a delta page of folder "${folder.path}" with neither a nextLink nor a deltaLink.`);
    shared.unsavedLinks.set(input.sourceFolderId, { sourceFolderId: input.sourceFolderId, deltaLink: next, ...(page.deltaLink ? { initialSyncComplete: true } : {}) });
    link = next;
    if (pageHandled > 0) {
      // A page that changed something is saved at once, and moves the counts (and the progress shown).
      await saveUnsavedLinks(store, input.syncUserId, shared);
      shared.totals = await readUserTotals(store, input.syncUserId, { publish: true });
    }
    ctx.heartbeat({ sourceFolderId: input.sourceFolderId, link } satisfies FolderProgress);
    if (page.deltaLink) return { roundComplete: true, updated, deleted, handled };
  }
  return { roundComplete: false, updated, deleted, handled };
}
