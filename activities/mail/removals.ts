import type { ItemMapState } from '../../store/index.js';
import { classifyGoogleError } from '../../connectors/google/google-errors.js';
import { googleFailure, graphFailure } from '../failures.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { findMessageFolder } from '../microsoft365/mail-export.js';
import { gmailCost } from '../pacing.js';
import { changeMessage, relabel, type ChangeOutcomes, type ChangeResult, type CopiedMessage } from './apply-changes.js';
import { gmailOwnedLabelIds, nextLabelIds, removedFromOutlookLabelName } from './labels.js';
import type { Mailbox } from './mailbox.js';
import { withOthers, type SharedCopies } from './shared-copies.js';

export interface RemovedRow {
  sourceItemId: string;
  state: ItemMapState;
  googleMessageId: string | null;
  labelIds: string[];
  sourceFolderId: string;
}

export interface RemovalContext {
  mailbox: Mailbox;
  folder: { sourceFolderId: string };
  labelForFolder: ReadonlyMap<string, string>;
  /** Every folder's label id: what a move takes off. */
  folderLabelIds: ReadonlySet<string>;
  /** The user's Deleted Items folder, when discovery found one. */
  deletedItemsFolderId: string | undefined;
  shared: SharedCopies;
  /** Where a change Gmail refuses for one message is noted (see apply-changes.ts). */
  outcomes: ChangeOutcomes;
}

export interface RemovalResult {
  /** Rows whose source message is gone (state 'deleted'), with the labels their copy now carries when that changed. */
  deleted: { sourceItemId: string; labelIds?: string[] }[];
  /** Rows whose message moved to another mirrored folder. */
  moved: { sourceItemId: string; labelIds: string[]; sourceFolderId: string }[];
  updated: number;
}

function trash(context: RemovalContext, copy: CopiedMessage): Promise<ChangeResult> {
  const { mailbox } = context;
  return changeMessage(context.outcomes, copy, 'trash', () =>
    mailbox.gmailPace(gmailCost.trash, () => mailbox.gmail.users.messages.trash({ userId: mailbox.input.targetEmail, id: copy.googleMessageId })),
  );
}

const wentThrough = (result: ChangeResult | 'unchanged') => result === 'done' || result === 'unchanged';

/**
 * What an @removed means. Delta reports a move and a deletion alike, and so
 * does a move to the online archive mailbox: the immutable id changes there
 * ("Obtain immutable identifiers for Outlook resources"), so the old id
 * answers 404 as a deleted message does. The message is read again by id:
 *  - in another mirrored folder: a move, relabelled;
 *  - in a folder the sync does not mirror: left alone, unless it left
 *    Deleted Items (emptied into Recoverable Items): a deletion;
 *  - gone (404): a deletion if it left from Deleted Items, since nothing but
 *    a deletion takes mail out of there; anywhere else it may just as well
 *    have moved to the archive mailbox (or been purged by a policy), so the
 *    copy stays, without its folder label and labelled "Removed from Outlook".
 * A deletion sends the copy to Gmail's Trash, which keeps it 30 days.
 * A copy another source message still maps to (Gmail merged them) is never
 * trashed: it only loses this message's labels.
 */
export async function applyRemovals(context: RemovalContext, removedIds: readonly string[], rows: ReadonlyMap<string, RemovedRow>): Promise<RemovalResult> {
  const { mailbox, folder, labelForFolder, folderLabelIds, deletedItemsFolderId, shared, outcomes } = context;
  const result: RemovalResult = { deleted: [], moved: [], updated: 0 };
  const fromDeletedItems = deletedItemsFolderId !== undefined && folder.sourceFolderId === deletedItemsFolderId;
  let removedLabelId: string | undefined;
  const removedLabel = async () => {
    try {
      return (removedLabelId ??= await mailbox.labels.ensure(removedFromOutlookLabelName));
    } catch (err) {
      throw googleFailure(err);
    }
  };

  for (const id of removedIds) {
    const row = rows.get(id);
    if (!row?.googleMessageId) continue;
    const copy: CopiedMessage = { sourceItemId: id, googleMessageId: row.googleMessageId };
    if (row.state === 'deleted') {
      // Kept as "Removed from Outlook" when it left another folder; Deleted Items now reports it gone too: a deletion after all.
      if (fromDeletedItems && !shared.isShared(copy.googleMessageId, id)) {
        const label = await mailbox.labels.find(removedFromOutlookLabelName).catch((err: unknown) => {
          throw googleFailure(err);
        });
        if (label !== undefined && row.labelIds.includes(label) && (await trash(context, copy)) !== 'refused') {
          result.deleted.push({ sourceItemId: id });
          outcomes.settled.push(id);
        }
      }
      continue;
    }
    if (row.state !== 'imported') continue;

    const now = await mailbox
      .graphPace(() => findMessageFolder(mailbox.graph, mailbox.input.sourceUserId, id, (e) => classifyGraphError(e).kind === 'notFound'))
      .catch((err) => {
        throw graphFailure(err);
      });
    const others = shared.othersLabels(copy.googleMessageId, id);
    if (now !== null && labelForFolder.has(now)) {
      if (now === folder.sourceFolderId) continue;
      const desired = nextLabelIds(row.labelIds, { folderLabelId: labelForFolder.get(now)! }, folderLabelIds);
      const relabelled = await relabel(mailbox, outcomes, copy, withOthers(row.labelIds, others), withOthers(desired, others));
      if (!wentThrough(relabelled)) continue;
      if (relabelled === 'done') result.updated += 1;
      result.moved.push({ sourceItemId: id, labelIds: desired, sourceFolderId: now });
      outcomes.settled.push(id);
      shared.update(id, copy.googleMessageId, { labelIds: desired });
      continue;
    }
    const deletedInOutlook = fromDeletedItems || (now === null && row.sourceFolderId === deletedItemsFolderId);
    if (now !== null && !deletedInOutlook) continue; // in a folder not mirrored (yet): nothing to conclude

    if (others.length > 0) {
      // Another source message still holds this Gmail message: only this one's own labels go.
      if ((await relabel(mailbox, outcomes, copy, withOthers(row.labelIds, others), withOthers([], others))) === 'refused') continue;
      result.deleted.push({ sourceItemId: id });
    } else if (deletedInOutlook) {
      if ((await trash(context, copy)) === 'refused') continue;
      result.deleted.push({ sourceItemId: id });
    } else {
      const kept = [...row.labelIds.filter((l) => !folderLabelIds.has(l) || gmailOwnedLabelIds.has(l)), await removedLabel()].sort();
      if ((await relabel(mailbox, outcomes, copy, row.labelIds, kept)) === 'refused') continue;
      result.deleted.push({ sourceItemId: id, labelIds: kept });
    }
    outcomes.settled.push(id);
    shared.update(id, copy.googleMessageId, { state: 'deleted' });
  }
  return result;
}

/**
 * A message that left the mailbox (moved to the archive mailbox) and comes
 * back has a new immutable id, so it is imported anew, and Gmail merges it
 * into the copy that was kept. That copy is followed by Outlook again: the
 * "Removed from Outlook" label comes off.
 */
export async function clearRemovedMark(
  mailbox: Mailbox,
  imported: readonly { sourceItemId: string; googleMessageId: string }[],
  rowsOfCopies: ReadonlyMap<string, readonly RemovedRow[]>,
): Promise<void> {
  const returning = imported.filter((item) => (rowsOfCopies.get(item.googleMessageId) ?? []).some((row) => row.state === 'deleted' && row.sourceItemId !== item.sourceItemId));
  if (returning.length === 0) return;
  const label = await mailbox.labels.find(removedFromOutlookLabelName).catch((err: unknown) => {
    throw googleFailure(err);
  });
  if (label === undefined) return;
  for (const item of returning) {
    if (!(rowsOfCopies.get(item.googleMessageId) ?? []).some((row) => row.labelIds.includes(label))) continue;
    try {
      await mailbox.gmailPace(gmailCost.modify, () => mailbox.gmail.users.messages.modify({ userId: mailbox.input.targetEmail, id: item.googleMessageId, requestBody: { removeLabelIds: [label] } }));
    } catch (err) {
      if (classifyGoogleError(err).kind !== 'notFound') throw googleFailure(err);
    }
  }
}
