import { CancelledFailure, Context } from '@temporalio/activity';
import type { ItemCounts } from '../../shared/vocabulary.js';
import type { MailboxInput, MailDeps } from './mailbox.js';
import { prepareMailbox, saveUnsavedLinks, syncMailFolder, type FolderProgress } from './sync-folder.js';

export interface SyncMailFoldersInput extends MailboxInput {
  cycleId: string;
  /** Folders still to bring to their delta link in this cycle, in order. */
  sourceFolderIds: string[];
  /** Hand back to the workflow after about this many messages, so progress shows and history stays short. */
  messageBudget: number;
}

export interface FoldersSyncResult {
  /** Folders not yet at their delta link when the budget ran out (the first may be part-way). */
  remainingFolderIds: string[];
  /** The user's totals after this activity's changes; null when it changed nothing. */
  counts: ItemCounts | null;
  updated: number;
  deleted: number;
}

/**
 * Moves several folders forward in one activity: an idle cycle of a mailbox
 * with a dozen folders is one activity (a dozen delta requests), not a dozen
 * activities, which keeps the workflow history short and the Temporal
 * server's work per user small. A retried attempt starts at the folder its
 * heartbeat names; folders before it that changed something saved their
 * delta links, and the others are read again next cycle at no risk.
 */
export async function syncMailFolders(deps: MailDeps, input: SyncMailFoldersInput): Promise<FoldersSyncResult> {
  const resumed = Context.current().info.heartbeatDetails as FolderProgress | undefined;
  const resumeAt = resumed ? input.sourceFolderIds.indexOf(resumed.sourceFolderId) : -1;
  const folderIds = resumeAt > 0 ? input.sourceFolderIds.slice(resumeAt) : input.sourceFolderIds;
  let budget = input.messageBudget;
  let updated = 0;
  let deleted = 0;
  const prepared = await prepareMailbox(deps, input);
  for (const [index, sourceFolderId] of folderIds.entries()) {
    const result = await syncMailFolder(deps, { ...input, sourceFolderId, messageBudget: Math.max(budget, 1) }, prepared).catch(async (err: unknown) => {
      // Stopped by a pause: the pages read without changes keep their place too.
      if (err instanceof CancelledFailure) await saveUnsavedLinks(deps.store, input.syncUserId, prepared);
      throw err;
    });
    updated += result.updated;
    deleted += result.deleted;
    budget -= result.handled;
    if (!result.roundComplete || (budget <= 0 && index < folderIds.length - 1)) {
      await saveUnsavedLinks(deps.store, input.syncUserId, prepared);
      return { remainingFolderIds: folderIds.slice(result.roundComplete ? index + 1 : index), counts: prepared.totals, updated, deleted };
    }
  }
  await saveUnsavedLinks(deps.store, input.syncUserId, prepared);
  return { remainingFolderIds: [], counts: prepared.totals, updated, deleted };
}
