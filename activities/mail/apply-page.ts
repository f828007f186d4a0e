import type { Store } from '../../store/index.js';
import { classifyGoogleError } from '../google/google-errors.js';
import { googleFailure } from '../failures.js';
import type { DeltaPage, ExportedMessage } from '../microsoft365/mail-export.js';
import { gmailCost } from '../pacing.js';
import { clearImportPending, type CopyOwnership } from './crash-recovery.js';
import { importCandidates, type FailedItem, type ImportCandidate } from './import-messages.js';
import { categoryLabelName, desiredLabelIds, labelDiff } from './labels.js';
import type { Mailbox } from './mailbox.js';
import { applyRemovals, clearRemovedMark } from './removals.js';
import { loadSharedCopies, withOthers } from './shared-copies.js';

export interface FolderLabels {
  /** Source folder id → Gmail label id (system or user label). */
  labelForFolder: Map<string, string>;
  /** The user's Deleted Items folder: only a removal from there proves a deletion (removals.ts). */
  deletedItemsFolderId?: string;
}

export interface PageResult {
  updated: number;
  deleted: number;
  importedNow: number;
  failedNow: number;
}

interface MappedRow {
  sourceItemId: string;
  state: 'intent' | 'imported' | 'deleted';
  googleMessageId: string | null;
  labelIds: string[];
  sourceFolderId: string;
}

async function labelsFor(mailbox: Mailbox, message: ExportedMessage, folderLabelId: string): Promise<string[]> {
  const categoryLabelIds: string[] = [];
  for (const category of message.categories ?? []) categoryLabelIds.push(await mailbox.labels.ensure(categoryLabelName(category)));
  return desiredLabelIds({ folderLabelId, isRead: message.isRead ?? true, flagged: message.flag?.flagStatus === 'flagged', categoryLabelIds });
}

async function relabel(mailbox: Mailbox, googleMessageId: string, current: string[], desired: string[]): Promise<boolean> {
  const diff = labelDiff(current, desired);
  if (!diff) return false;
  try {
    await mailbox.gmailPace(gmailCost.modify, () =>
      mailbox.gmail.users.messages.modify({ userId: mailbox.input.targetEmail, id: googleMessageId, requestBody: diff }),
    );
  } catch (err) {
    // Deleted on the Google side by its user: nothing left to relabel.
    if (classifyGoogleError(err).kind === 'notFound') return false;
    throw googleFailure(err);
  }
  return true;
}

/**
 * Applies one delta page of one folder: new messages are imported exactly
 * once, changed ones relabelled (read, flag, categories, moves), removed ones
 * followed to their new folder, or, when gone from Microsoft 365, handled as
 * removals.ts decides. A Gmail message that several source messages share
 * (Gmail merged them by Message-ID) carries the union of their labels.
 * Store writes are batched per page.
 */
export async function applyDeltaPage(
  store: Store,
  mailbox: Mailbox,
  page: DeltaPage,
  folder: { sourceFolderId: string; folderName: string },
  folderLabels: FolderLabels,
  options: { maxImportBytes: number; storeSubjects: () => Promise<boolean>; keepAlive: () => void },
): Promise<PageResult> {
  const { syncUserId } = mailbox.input;
  const ids = [...page.changed.map((m) => m.id), ...page.removedIds];
  const mapped = (await store.messageMap.findBySourceIds(syncUserId, ids)) as Map<string, MappedRow>;
  const result: PageResult = { updated: 0, deleted: 0, importedNow: 0, failedNow: 0 };
  const folderLabelId = folderLabels.labelForFolder.get(folder.sourceFolderId)!;
  const shared = await loadSharedCopies(store, syncUserId, mapped.values());

  const candidates: ImportCandidate[] = [];
  const relabelled: { sourceItemId: string; labelIds: string[]; sourceFolderId: string }[] = [];
  for (const message of page.changed) {
    const row = mapped.get(message.id);
    const labelIds = await labelsFor(mailbox, message, folderLabelId);
    if (row?.state === 'imported' || row?.state === 'deleted') {
      if (row.state === 'deleted') {
        await mailbox.gmailPace(gmailCost.modify, () => mailbox.gmail.users.messages.untrash({ userId: mailbox.input.targetEmail, id: row.googleMessageId! }));
      }
      const others = shared.othersLabels(row.googleMessageId!, message.id);
      const current = row.state === 'deleted' ? row.labelIds.filter((l) => l !== 'TRASH') : row.labelIds;
      if (await relabel(mailbox, row.googleMessageId!, withOthers(current, others), withOthers(labelIds, others)) || row.state === 'deleted') {
        relabelled.push({ sourceItemId: message.id, labelIds, sourceFolderId: folder.sourceFolderId });
        shared.update(message.id, row.googleMessageId!, { labelIds, state: 'imported' });
        result.updated += 1;
      }
      continue;
    }
    candidates.push({ message, labelIds, resumingIntent: row?.state === 'intent' });
  }

  // Intent first, import second, record third: a crash anywhere leaves either nothing or an intent to resolve.
  const newIntents = candidates.filter((c) => !c.resumingIntent);
  if (newIntents.length) {
    await store.messageMap.recordIntents(
      syncUserId,
      newIntents.map((c) => ({ sourceItemId: c.message.id, internetMessageId: c.message.internetMessageId ?? null, sourceFolderId: folder.sourceFolderId })),
    );
  }
  const ownership: CopyOwnership = {
    claimed: new Set(),
    isMappedByAnother: async (googleMessageId, sourceItemId) =>
      ((await store.messageMap.findByGoogleMessageIds(syncUserId, [googleMessageId])).get(googleMessageId) ?? []).some((row) => row.sourceItemId !== sourceItemId),
  };
  const outcome = await importCandidates(mailbox, candidates, options.maxImportBytes, options.keepAlive, ownership);
  if (outcome.imported.length) await store.messageMap.markImported(syncUserId, outcome.imported);
  await clearImportPending(mailbox, outcome.imported.flatMap((item) => (item.importPending ? [item.googleMessageId] : [])));
  if (outcome.imported.length) {
    const rowsOfCopies = await store.messageMap.findByGoogleMessageIds(syncUserId, outcome.imported.map((item) => item.googleMessageId));
    await clearRemovedMark(mailbox, outcome.imported, rowsOfCopies);
  }
  if (outcome.failed.length) {
    const storeSubjects = await options.storeSubjects();
    await store.items.recordOutcomes(syncUserId, outcome.failed.map((f) => itemRow(f, folder.folderName, storeSubjects)));
  }
  if (outcome.imported.length) await store.items.clear(syncUserId, outcome.imported.map((i) => i.sourceItemId));
  if (relabelled.length) await store.messageMap.updateLabels(syncUserId, relabelled);
  result.importedNow = outcome.imported.length;
  result.failedNow = outcome.failed.length;
  if (outcome.stoppedBy) throw outcome.stoppedBy;

  // Removals: a move reports @removed here and the message as new in its new folder.
  const removals = await applyRemovals(
    {
      mailbox,
      folder,
      labelForFolder: folderLabels.labelForFolder,
      deletedItemsFolderId: folderLabels.deletedItemsFolderId,
      shared,
      relabel: (googleMessageId, current, desired) => relabel(mailbox, googleMessageId, current, desired),
    },
    page.removedIds,
    mapped,
  );
  const deleted = removals.deleted.map((row) => row.sourceItemId);
  const keptLabels = removals.deleted.flatMap((row) => (row.labelIds ? [{ sourceItemId: row.sourceItemId, labelIds: row.labelIds }] : []));
  if (deleted.length) await store.messageMap.markDeleted(syncUserId, deleted);
  if (keptLabels.length) await store.messageMap.updateLabels(syncUserId, keptLabels);
  if (removals.moved.length) await store.messageMap.updateLabels(syncUserId, removals.moved);
  result.updated += removals.updated;
  result.deleted = deleted.length;
  return result;
}

function itemRow(failed: FailedItem, folderName: string, storeSubjects: boolean) {
  return {
    sourceItemId: failed.message.id,
    type: 'mail' as const,
    folderName,
    subject: storeSubjects ? (failed.message.subject ?? null) : null,
    sizeBytes: failed.message.sizeBytes ?? null,
    status: 'failed' as const,
    errorCode: failed.verdict.code,
    reason: failed.verdict.reason,
    serviceError: failed.serviceError ?? null,
  };
}
