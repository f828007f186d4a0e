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
export interface DiscoverFoldersInput extends MailboxInput {
  /** Folders an earlier discovery found to be well-known ones that are not synced (Outbox, ...). */
  skippedFolderIds?: string[];
}

export interface DiscoveredFolders {
  folders: MailFolderRef[];
  /** To hand to the next discovery, so that it knows these folders without asking Graph again. */
  skippedFolderIds: string[];
}

export async function discoverMailFolders(deps: MailDeps, input: DiscoverFoldersInput): Promise<DiscoveredFolders> {
  const mailbox = await openMailbox(deps, input);
  const isNotFound = (err: unknown) => classifyGraphError(err).kind === 'notFound';
  // The tree read so far survives a retried attempt (heartbeat details): a throttled
  // request then costs one request again, not the whole walk.
  const ctx = Context.current();
  const resumed = ctx.info.heartbeatDetails as { tree?: FolderNode[] } | undefined;
  let tree: FolderNode[];
  let wellKnownById: Map<string, string>;
  const known = new Map((await deps.store.folders.list(input.syncUserId)).map((folder) => [folder.sourceFolderId, folder.wellKnownName]));
  const knownSkipped = new Set(input.skippedFolderIds ?? []);
  try {
    tree = resumed?.tree ?? (await mailbox.graphPace(() => listMailFolderTree(mailbox.graph, input.sourceUserId)));
    ctx.heartbeat({ tree });
    // Which folder is which well-known one is asked again only when a folder is new to us (rare);
    // the folders already recorded keep what was found out the first time.
    wellKnownById = tree.some((folder) => !known.has(folder.id) && !knownSkipped.has(folder.id))
      ? await mailbox.graphPace(() => resolveWellKnownFolderIds(mailbox.graph, input.sourceUserId, [...wellKnownFolders, ...skippedWellKnown]))
      : new Map([...known].flatMap(([id, name]) => (name ? [[id, name] as const] : [])));
  } catch (err) {
    if (isNotFound(err)) await assertSourceUserPresent(deps.connections, input);
    throw graphFailure(err);
  }

  const rows = [];
  const skippedFolderIds: string[] = [];
  for (const folder of tree) {
    const wellKnownName = wellKnownById.get(folder.id) ?? null;
    if ((wellKnownName && skippedWellKnown.has(wellKnownName)) || (!known.has(folder.id) && knownSkipped.has(folder.id))) {
      skippedFolderIds.push(folder.id);
      continue;
    }
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
  return { folders: rows.map(({ sourceFolderId, path }) => ({ sourceFolderId, path })), skippedFolderIds };
}
