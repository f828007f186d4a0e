import { Context } from '@temporalio/activity';
import type { ItemCounts } from '../../shared/vocabulary.js';
import type { MailboxInput, MailDeps } from './mailbox.js';
import { prepareMailbox, syncMailFolder, type FolderProgress } from './sync-folder.js';
import { readUserTotals } from './totals.js';

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
  counts: ItemCounts;
  updated: number;
  deleted: number;
}

/**
 * Moves several folders forward in one activity: an idle cycle of a mailbox
 * with a dozen folders is one activity (a dozen delta requests), not a dozen
 * activities, which keeps the workflow history short and the Temporal
 * server's work per user small. A retried attempt starts at the folder its
 * heartbeat names; folders before it already saved their delta links.
 */
export async function syncMailFolders(deps: MailDeps, input: SyncMailFoldersInput): Promise<FoldersSyncResult> {
  const resumed = Context.current().info.heartbeatDetails as FolderProgress | undefined;
  const resumeAt = resumed ? input.sourceFolderIds.indexOf(resumed.sourceFolderId) : -1;
  const folderIds = resumeAt > 0 ? input.sourceFolderIds.slice(resumeAt) : input.sourceFolderIds;
  let budget = input.messageBudget;
  let updated = 0;
  let deleted = 0;
  let counts: ItemCounts | null = null;
  const prepared = await prepareMailbox(deps, input);
  for (const [index, sourceFolderId] of folderIds.entries()) {
    const result = await syncMailFolder(deps, { ...input, sourceFolderId, messageBudget: Math.max(budget, 1) }, prepared);
    counts = result.counts;
    updated += result.updated;
    deleted += result.deleted;
    budget -= result.handled;
    if (!result.roundComplete || (budget <= 0 && index < folderIds.length - 1)) {
      return { remainingFolderIds: folderIds.slice(result.roundComplete ? index + 1 : index), counts, updated, deleted };
    }
  }
  return { remainingFolderIds: [], counts: counts ?? (await readUserTotals(deps.store, input.syncUserId)), updated, deleted };
}
