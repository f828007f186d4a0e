import type { Store } from '../../store/index.js';
import { classifyGoogleError } from '../google/google-errors.js';
import { LabelUnavailableError } from '../google/gmail-labels.js';
import { googleFailure, graphFailure } from '../failures.js';
import { classifyGraphError } from '../microsoft365/graph-errors.js';
import { findMessageFolder, type DeltaPage, type ExportedMessage } from '../microsoft365/mail-export.js';
import { gmailCost } from '../pacing.js';
import { importCandidates, type FailedItem, type ImportCandidate } from './import-messages.js';
import { categoryLabelName, desiredLabelIds, labelDiff } from './labels.js';
import type { Mailbox } from './mailbox.js';

export interface FolderLabels {
  /** Source folder id → Gmail label id (system or user label). */
  labelForFolder: Map<string, string>;
}

export interface PageResult {
  updated: number;
  deleted: number;
  importedNow: number;
  failedNow: number;
}

interface MappedRow {
  state: 'intent' | 'imported' | 'deleted';
  googleMessageId: string | null;
  labelIds: string[];
}

async function labelsFor(mailbox: Mailbox, message: ExportedMessage, folderLabelId: string): Promise<string[]> {
  const categoryLabelIds: string[] = [];
  for (const category of message.categories ?? []) {
    try {
      categoryLabelIds.push(await mailbox.labels.ensure(categoryLabelName(category)));
    } catch (err) {
      // A category Gmail takes no name for is left off; the message itself still goes over.
      if (!(err instanceof LabelUnavailableError)) throw err;
    }
  }
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
 * followed to their new folder or, when gone from Microsoft 365, moved to
 * Gmail's Trash. Store writes are batched per page.
 */
export async function applyDeltaPage(
  store: Store,
  mailbox: Mailbox,
  page: DeltaPage,
  folder: { sourceFolderId: string; folderName: string },
  folderLabels: FolderLabels,
  options: { maxImportBytes: number; storeSubjects: () => Promise<boolean>; keepAlive: () => void },
): Promise<PageResult> {
  const { syncUserId, sourceUserId } = mailbox.input;
  const ids = [...page.changed.map((m) => m.id), ...page.removedIds];
  const mapped = (await store.messageMap.findBySourceIds(syncUserId, ids)) as Map<string, MappedRow>;
  const result: PageResult = { updated: 0, deleted: 0, importedNow: 0, failedNow: 0 };
  const folderLabelId = folderLabels.labelForFolder.get(folder.sourceFolderId)!;

  const candidates: ImportCandidate[] = [];
  const relabelled: { sourceItemId: string; labelIds: string[]; sourceFolderId: string }[] = [];
  for (const message of page.changed) {
    const row = mapped.get(message.id);
    const labelIds = await labelsFor(mailbox, message, folderLabelId);
    if (row?.state === 'imported' || row?.state === 'deleted') {
      if (row.state === 'deleted') {
        await mailbox.gmailPace(gmailCost.modify, () => mailbox.gmail.users.messages.untrash({ userId: mailbox.input.targetEmail, id: row.googleMessageId! }));
      }
      if (await relabel(mailbox, row.googleMessageId!, row.state === 'deleted' ? row.labelIds.filter((l) => l !== 'TRASH') : row.labelIds, labelIds) || row.state === 'deleted') {
        relabelled.push({ sourceItemId: message.id, labelIds, sourceFolderId: folder.sourceFolderId });
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
  const outcome = await importCandidates(mailbox, candidates, options.maxImportBytes, options.keepAlive);
  if (outcome.imported.length) await store.messageMap.markImported(syncUserId, outcome.imported);
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
  const deleted: string[] = [];
  const moved: { sourceItemId: string; labelIds: string[]; sourceFolderId: string }[] = [];
  for (const id of page.removedIds) {
    const row = mapped.get(id);
    if (row?.state !== 'imported' || !row.googleMessageId) continue;
    const now = await mailbox.graphPace(() => findMessageFolder(mailbox.graph, sourceUserId, id, (e) => classifyGraphError(e).kind === 'notFound')).catch((err) => {
      throw graphFailure(err);
    });
    if (now === null) {
      // Deleted in Microsoft 365: Gmail's Trash keeps it for 30 days, so a deletion stays reversible.
      try {
        await mailbox.gmailPace(gmailCost.trash, () => mailbox.gmail.users.messages.trash({ userId: mailbox.input.targetEmail, id: row.googleMessageId! }));
      } catch (err) {
        if (classifyGoogleError(err).kind !== 'notFound') throw googleFailure(err);
      }
      deleted.push(id);
    } else if (now !== folder.sourceFolderId && folderLabels.labelForFolder.has(now)) {
      const desired = [...row.labelIds.filter((l) => l !== folderLabelId), folderLabels.labelForFolder.get(now)!].sort();
      if (await relabel(mailbox, row.googleMessageId, row.labelIds, desired)) {
        moved.push({ sourceItemId: id, labelIds: desired, sourceFolderId: now });
        result.updated += 1;
      }
    }
  }
  if (deleted.length) await store.messageMap.markDeleted(syncUserId, deleted);
  if (moved.length) await store.messageMap.updateLabels(syncUserId, moved);
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
