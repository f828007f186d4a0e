import type { ItemMapState, Store } from '../../store/index.js';
import type { ItemOutcome } from '../../store/repositories/items.js';
import { ItemErrorCode } from '../../shared/vocabulary.js';
import { LabelUnavailableError } from '../google/gmail-labels.js';
import type { DeltaPage, ExportedMessage } from '../microsoft365/mail-export.js';
import { gmailCost } from '../pacing.js';
import { changeMessage, newChangeOutcomes, relabel, type ChangeOutcomes, type CopiedMessage, type RefusedChange } from './apply-changes.js';
import { clearImportPending, type CopyOwnership } from './crash-recovery.js';
import { importCandidates, type FailedItem, type ImportCandidate, type ImportedItem } from './import-messages.js';
import { categoryLabelName, nextLabelIds, type LabelChange } from './labels.js';
import type { Mailbox } from './mailbox.js';
import { completeNewMessages, labelsForNewMessage } from './new-messages.js';
import { applyRemovals, clearRemovedMark } from './removals.js';
import { loadSharedCopies, withOthers } from './shared-copies.js';
import { countItemsCopied, countItemsFailed } from '../../shared/metrics/sync-metrics.js';

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
  state: ItemMapState;
  googleMessageId: string | null;
  labelIds: string[];
  sourceFolderId: string;
}

/** The aspects this entry carries; what it leaves out stays as last written to Gmail. */
async function labelChangeOf(mailbox: Mailbox, message: ExportedMessage, folderLabelId: string): Promise<LabelChange> {
  const change: LabelChange = { folderLabelId };
  if (message.isRead !== undefined) change.isRead = message.isRead;
  if (message.flag?.flagStatus !== undefined) change.flagged = message.flag.flagStatus === 'flagged';
  if (message.categories !== undefined) {
    const categoryLabelIds: string[] = [];
    for (const category of message.categories) {
      try {
        categoryLabelIds.push(await mailbox.labels.ensure(categoryLabelName(category)));
      } catch (err) {
        // A category Gmail takes no name for is left off; the message itself still goes over.
        if (!(err instanceof LabelUnavailableError)) throw err;
      }
    }
    change.categoryLabelIds = categoryLabelIds;
  }
  return change;
}

/**
 * Applies one delta page of one folder: new messages are imported exactly
 * once, changed ones relabelled (read, flag, categories, moves), removed ones
 * followed to their new folder or, when gone from Microsoft 365, handled as
 * removals.ts decides. A Gmail message that several source messages share
 * (Gmail merged them by Message-ID) carries the union of their labels. A
 * change Gmail refuses for one message is listed in the items view and the
 * page goes on. Store writes are batched per page.
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
  const folderLabelIds = new Set(folderLabels.labelForFolder.values());
  const changes = newChangeOutcomes();
  const revived: ImportedItem[] = [];
  const shared = await loadSharedCopies(store, syncUserId, mapped.values());

  const arrivals: { message: ExportedMessage; resumingIntent: boolean }[] = [];
  for (const message of page.changed) {
    const row = mapped.get(message.id);
    if ((row?.state === 'imported' || row?.state === 'deleted') && row.googleMessageId) {
      const copy: CopiedMessage = { sourceItemId: message.id, googleMessageId: row.googleMessageId, ...(message.subject !== undefined ? { subject: message.subject } : {}) };
      let current = row.labelIds;
      if (row.state === 'deleted') {
        const untrashed = await changeMessage(changes, copy, 'untrash', () =>
          mailbox.gmailPace(gmailCost.modify, () => mailbox.gmail.users.messages.untrash({ userId: mailbox.input.targetEmail, id: copy.googleMessageId })),
        );
        if (untrashed !== 'done') continue;
        current = row.labelIds.filter((l) => l !== 'TRASH');
      }
      const desired = nextLabelIds(current, await labelChangeOf(mailbox, message, folderLabelId), folderLabelIds);
      const others = shared.othersLabels(copy.googleMessageId, message.id);
      const relabelled = await relabel(mailbox, changes, copy, withOthers(current, others), withOthers(desired, others));
      const labelIds = relabelled === 'refused' || relabelled === 'gone' ? current : desired;
      shared.update(message.id, copy.googleMessageId, { labelIds, state: 'imported' });
      // Out of Trash again: the id map counts the copy as imported, with the labels Gmail now holds.
      if (row.state === 'deleted') revived.push({ sourceItemId: message.id, googleMessageId: copy.googleMessageId, labelIds });
      if (relabelled === 'refused' || relabelled === 'gone') continue;
      changes.settled.push(message.id);
      if (relabelled === 'done' || row.state === 'deleted') {
        changes.labelUpdates.push({ sourceItemId: message.id, labelIds, sourceFolderId: folder.sourceFolderId });
        result.updated += 1;
      }
      continue;
    }
    arrivals.push({ message, resumingIntent: row?.state === 'intent' });
  }

  // A message new to us may arrive partial (an update of one we could not copy before): read it whole first.
  const candidates: ImportCandidate[] = [];
  for (const arrival of await completeNewMessages(mailbox, arrivals)) {
    candidates.push({ ...arrival, labelIds: await labelsForNewMessage(mailbox, arrival.message, folderLabelId) });
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
  if (outcome.imported.length || revived.length) await store.messageMap.markImported(syncUserId, [...revived, ...outcome.imported]);
  await clearImportPending(
    mailbox,
    outcome.imported.flatMap((item) => (item.importPending ? [item.googleMessageId] : [])),
  );
  if (outcome.imported.length) {
    const rowsOfCopies = await store.messageMap.findByGoogleMessageIds(
      syncUserId,
      outcome.imported.map((item) => item.googleMessageId),
    );
    await clearRemovedMark(mailbox, outcome.imported, rowsOfCopies);
  }
  await recordChanges(store, syncUserId, changes, outcome.failed, folder.folderName, options.storeSubjects);
  if (outcome.imported.length)
    await store.items.clear(
      syncUserId,
      outcome.imported.map((i) => i.sourceItemId),
    );
  result.importedNow = outcome.imported.length;
  result.failedNow = outcome.failed.length + changes.refused.length;
  countItemsCopied('mail', outcome.imported.length);
  countItemsFailed('mail', [...outcome.failed.map((f) => f.verdict.code), ...changes.refused.map(() => ItemErrorCode.ChangeRejected)]);
  if (outcome.stoppedBy) throw outcome.stoppedBy;

  // Removals: a move reports @removed here and the message as new in its new folder.
  const removals = newChangeOutcomes();
  const removed = await applyRemovals(
    {
      mailbox,
      folder,
      labelForFolder: folderLabels.labelForFolder,
      folderLabelIds,
      deletedItemsFolderId: folderLabels.deletedItemsFolderId,
      shared,
      outcomes: removals,
    },
    page.removedIds,
    mapped,
  );
  const deleted = removed.deleted.map((row) => row.sourceItemId);
  if (deleted.length) await store.messageMap.markDeleted(syncUserId, deleted);
  removals.labelUpdates.push(...removed.deleted.flatMap((row) => (row.labelIds ? [{ sourceItemId: row.sourceItemId, labelIds: row.labelIds }] : [])), ...removed.moved);
  await recordChanges(store, syncUserId, removals, [], folder.folderName, options.storeSubjects);
  result.updated += removed.updated;
  result.deleted = deleted.length;
  result.failedNow += removals.refused.length;
  countItemsFailed(
    'mail',
    removals.refused.map(() => ItemErrorCode.ChangeRejected),
  );
  return result;
}

/** One page's label updates and item outcomes, in as few transactions as there are kinds of write. */
async function recordChanges(store: Store, syncUserId: string, changes: ChangeOutcomes, failedImports: FailedItem[], folderName: string, storeSubjects: () => Promise<boolean>): Promise<void> {
  if (changes.labelUpdates.length) await store.messageMap.updateLabels(syncUserId, changes.labelUpdates);
  if (failedImports.length || changes.refused.length) {
    const subjects = await storeSubjects();
    await store.items.recordOutcomes(syncUserId, [...failedImports.map((f) => failedImportRow(f, folderName, subjects)), ...changes.refused.map((r) => refusedChangeRow(r, folderName, subjects))]);
  }
  if (changes.settled.length) await store.items.clear(syncUserId, changes.settled);
}

function failedImportRow(failed: FailedItem, folderName: string, storeSubjects: boolean): ItemOutcome {
  return {
    sourceItemId: failed.message.id,
    type: 'mail',
    folderName,
    subject: storeSubjects ? (failed.message.subject ?? null) : null,
    sizeBytes: failed.message.sizeBytes ?? null,
    status: 'failed',
    errorCode: failed.verdict.code,
    reason: failed.verdict.reason,
    serviceError: failed.serviceError ?? null,
  };
}

const refusedStep: Record<RefusedChange['step'], string> = {
  relabel: 'Gmail refused to change the labels of the copy (read state, flag, categories or folder)',
  untrash: 'The message came back in Microsoft 365, but Gmail refused to take its copy out of Trash',
  trash: 'The message was deleted in Microsoft 365, but Gmail refused to move its copy to Trash',
};

function refusedChangeRow(refused: RefusedChange, folderName: string, storeSubjects: boolean): ItemOutcome {
  const { failure, serviceError } = refused.refusal;
  return {
    sourceItemId: refused.sourceItemId,
    type: 'mail',
    folderName,
    subject: storeSubjects ? (refused.subject ?? null) : null,
    sizeBytes: null,
    status: 'failed',
    errorCode: ItemErrorCode.ChangeRejected,
    reason: `${refusedStep[refused.step]} (HTTP ${failure.status}: ${failure.message}). The copy keeps its previous labels; the change is tried again when the message changes.`,
    serviceError,
  };
}
