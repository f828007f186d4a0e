import { Context } from '@temporalio/activity';
import type { MailFolderRef } from '../../workflows/user-sync/types.js';
import { googleFailure, graphFailure } from '../failures.js';
import { classifyGraphError } from '../microsoft365/graph-errors.js';
import { listMailFolderTree, resolveWellKnownFolderIds, type FolderNode } from '../microsoft365/mail-export.js';
import { systemLabelForFolder, userLabelNameForPath, wellKnownFolders } from './labels.js';
import { openMailbox, type MailboxInput, type MailDeps } from './mailbox.js';
import { assertSourceUserPresent } from '../provisioning/source-user.js';

// Folders that hold no mail a person would look for in Gmail.
const skippedWellKnown = new Set(['outbox', 'syncissues', 'conflicts', 'localfailures', 'serverfailures', 'conversationhistory', 'recoverableitemsdeletions', 'searchfolders']);

/**
 * Reads the mailbox's folder tree, makes sure every folder has its Gmail
 * label, and records the folders. The labels exist before any message is
 * imported, so an import never waits on a label.
 */
export async function discoverMailFolders(deps: MailDeps, input: MailboxInput): Promise<MailFolderRef[]> {
  const mailbox = await openMailbox(deps, input);
  const isNotFound = (err: unknown) => classifyGraphError(err).kind === 'notFound';
  // The tree read so far survives a retried attempt (heartbeat details): a throttled
  // request then costs one request again, not the whole walk.
  const ctx = Context.current();
  const resumed = ctx.info.heartbeatDetails as { tree?: FolderNode[] } | undefined;
  let tree: FolderNode[];
  let wellKnownById: Map<string, string>;
  try {
    tree = resumed?.tree ?? (await mailbox.graphPace(() => listMailFolderTree(mailbox.graph, input.sourceUserId)));
    ctx.heartbeat({ tree });
    wellKnownById = await mailbox.graphPace(() => resolveWellKnownFolderIds(mailbox.graph, input.sourceUserId, [...wellKnownFolders, ...skippedWellKnown]));
  } catch (err) {
    if (isNotFound(err)) await assertSourceUserPresent(deps.connections, input);
    throw graphFailure(err);
  }

  const rows = [];
  for (const folder of tree) {
    const wellKnownName = wellKnownById.get(folder.id) ?? null;
    if (wellKnownName && skippedWellKnown.has(wellKnownName)) continue;
    let googleLabelId = systemLabelForFolder(wellKnownName) ?? null;
    if (!googleLabelId) {
      try {
        googleLabelId = await mailbox.labels.ensure(userLabelNameForPath(folder.path));
      } catch (err) {
        throw googleFailure(err);
      }
    }
    rows.push({ sourceFolderId: folder.id, displayName: folder.displayName, path: folder.path.join('/'), wellKnownName, googleLabelId });
  }
  await deps.store.folders.upsert(input.syncUserId, rows);
  // The size of the mailbox as Graph counts it: the progress bar's 100 % while in Initial Sync.
  const syncedIds = new Set(rows.map((row) => row.sourceFolderId));
  const initialSyncTotal = tree.filter((folder) => syncedIds.has(folder.id)).reduce((sum, folder) => sum + (folder.totalItemCount ?? 0), 0);
  await deps.store.syncUsers.update(input.syncUserId, { initialSyncTotal });
  return rows.map(({ sourceFolderId, path }) => ({ sourceFolderId, path }));
}

export async function listKnownMailFolders(deps: Pick<MailDeps, 'store'>, input: { syncUserId: string }): Promise<MailFolderRef[]> {
  const folders = await deps.store.folders.list(input.syncUserId);
  return folders.map(({ sourceFolderId, path }) => ({ sourceFolderId, path }));
}
