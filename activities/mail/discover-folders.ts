import { Context } from '@temporalio/activity';
import { graphFailure } from '../failures.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { listMailFolderTree, resolveWellKnownFolderIds, type FolderNode } from '../microsoft365/mail-export.js';
import { systemLabelForFolder, userLabelNameForPath, wellKnownFolders } from './labels.js';
import { openMailbox, type MailDeps } from './mailbox.js';
import { assertSourceUserPresent } from '../provisioning/source-user.js';
import type { FolderInput } from '../../store/index.js';
import { folderLabel } from './folder-label.js';
import type { DiscoverContainersInput, DiscoveredContainers } from '../engine/data-type-module.js';

// Folders that hold no mail a person would look for in Gmail.
const skippedWellKnown = new Set(['outbox', 'syncissues', 'conflicts', 'localfailures', 'serverfailures', 'conversationhistory', 'recoverableitemsdeletions', 'searchfolders']);

/**
 * Reads the mailbox's folder tree, makes sure every folder has its Gmail
 * label, and records the folders. The labels exist before any message is
 * imported, so an import never waits on a label. Folders an earlier
 * discovery found to be well-known ones that are not synced (Outbox, ...)
 * come in as skippedContainerIds, so that Graph need not be asked again.
 */
export async function discoverMailFolders(deps: MailDeps, input: DiscoverContainersInput): Promise<DiscoveredContainers & { initialSyncTotal: number }> {
  const mailbox = await openMailbox(deps, input);
  const isNotFound = (err: unknown) => classifyGraphError(err).kind === 'notFound';
  // The tree read so far survives a retried attempt (heartbeat details): a throttled
  // request then costs one request again, not the whole walk.
  const ctx = Context.current();
  const resumed = ctx.info.heartbeatDetails as { tree?: FolderNode[] } | undefined;
  let tree: FolderNode[];
  let wellKnownById: Map<string, string>;
  const knownRows = new Map((await deps.store.folders.list(input.syncUserId)).map((row) => [row.sourceFolderId, row]));
  const known = new Map([...knownRows].map(([id, row]) => [id, row.wellKnownName]));
  const knownSkipped = new Set(input.skippedContainerIds ?? []);
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

  const rows: FolderInput[] = [];
  const unlabelled = new Set<string>();
  const skippedFolderIds: string[] = [];
  for (const folder of tree) {
    const wellKnownName = wellKnownById.get(folder.id) ?? null;
    if ((wellKnownName && skippedWellKnown.has(wellKnownName)) || (!known.has(folder.id) && knownSkipped.has(folder.id))) {
      skippedFolderIds.push(folder.id);
      continue;
    }
    const row = { sourceFolderId: folder.id, displayName: folder.displayName, path: folder.path.join('/'), wellKnownName };
    const systemLabel = systemLabelForFolder(wellKnownName);
    if (systemLabel) {
      rows.push({ ...row, googleLabelId: systemLabel, googleLabelName: null });
      continue;
    }
    const label = await folderLabel(deps, mailbox, input.syncUserId, { ...row, previous: knownRows.get(folder.id) ?? null }, userLabelNameForPath(folder.path));
    if (!label) unlabelled.add(folder.id);
    rows.push({ ...row, googleLabelId: label?.id ?? null, googleLabelName: label?.renamedTo ?? null });
  }
  await deps.store.folders.upsert(input.syncUserId, rows);
  // The size of the mailbox as Graph counts it: the progress bar's 100 % while in Initial Sync.
  // A folder without a label is not synced (see folderLabel); its messages are not counted either.
  const synced = rows.filter((row) => !unlabelled.has(row.sourceFolderId));
  const syncedIds = new Set(synced.map((row) => row.sourceFolderId));
  const initialSyncTotal = tree.filter((folder) => syncedIds.has(folder.id)).reduce((sum, folder) => sum + (folder.totalItemCount ?? 0), 0);
  return { sourceContainerIds: synced.map((row) => row.sourceFolderId), skippedContainerIds: skippedFolderIds, initialSyncTotal };
}
