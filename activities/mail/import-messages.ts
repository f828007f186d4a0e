import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { ItemErrorCode } from '../../shared/vocabulary.js';
import { importMessage } from '../google/gmail-import.js';
import { googleFailure, graphFailure } from '../failures.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { downloadMime, type ExportedMessage } from '../microsoft365/mail-export.js';
import { gmailCost } from '../pacing.js';
import { checkSize, classifyMime, type ItemVerdict } from './classify-item.js';
import { findOwnCopyByMessageId, findOwnPendingCopy, importPendingLabelId, type CopyOwnership } from './crash-recovery.js';
import { itemRefusalOf } from '../engine/item-refusal.js';
import type { Mailbox } from './mailbox.js';
import { rawHeaderField } from './raw-headers.js';
import { cancellationOf } from '../engine/cancellation.js';

export interface ImportCandidate {
  message: ExportedMessage;
  labelIds: string[];
  /** An intent was recorded by an earlier attempt that may have imported it before dying. */
  resumingIntent: boolean;
}

export interface ImportedItem {
  sourceItemId: string;
  googleMessageId: string;
  labelIds: string[];
  /** Imported with the "Import pending" label (no Message-ID), to take off once the id map has it. */
  importPending?: boolean;
}

export interface FailedItem {
  message: ExportedMessage;
  verdict: ItemVerdict;
  serviceError?: Record<string, unknown>;
}

export interface ImportOutcome {
  imported: ImportedItem[];
  failed: FailedItem[];
  /**
   * What stopped the page, thrown after the successes are recorded: a user-level failure (throttling,
   * credentials), or Temporal's cancellation of this attempt (a pause, a heartbeat timeout).
   */
  stoppedBy: ApplicationFailure | CancelledFailure | null;
}

function itemVerdictForGoogle(err: unknown): { verdict: ItemVerdict; serviceError: Record<string, unknown> } | null {
  const refusal = itemRefusalOf(err);
  // A new message cannot be "not found": a 404 on import is about the mailbox, not this message.
  if (!refusal || refusal.failure.kind === 'notFound') return null;
  const { failure, serviceError } = refusal;
  if (failure.kind === 'tooLarge') return { verdict: { code: ItemErrorCode.ItemTooLarge, reason: `Gmail refused the message as too large: ${failure.message}` }, serviceError };
  return { verdict: { code: ItemErrorCode.ItemRejected, reason: `Gmail refused to import the message (HTTP ${failure.status}): ${failure.message}` }, serviceError };
}

/**
 * Copies new messages exactly once. The caller has recorded an intent for
 * each before this runs; a message is recorded as imported only after Gmail
 * accepted it, and an intent left by a crash is resolved (crash-recovery.ts)
 * before anything is imported again: by its Message-ID, or, for a message
 * without one, by the "Import pending" label its import carried.
 */
export async function importCandidates(mailbox: Mailbox, candidates: ImportCandidate[], maxImportBytes: number, keepAlive: () => void, ownership: CopyOwnership): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { imported: [], failed: [], stoppedBy: null };
  const { sourceUserId, targetEmail } = mailbox.input;
  // Once Temporal has given up on this attempt (heartbeat timeout, cancellation), another attempt
  // may already be working on the same page: importing further could copy a message twice.
  const cancellation = Context.current().cancellationSignal;

  const importOne = async (candidate: ImportCandidate): Promise<void> => {
    const { message } = candidate;
    const tooLarge = checkSize(message.sizeBytes, maxImportBytes);
    if (tooLarge) {
      outcome.failed.push({ message, verdict: tooLarge });
      return;
    }
    try {
      if (candidate.resumingIntent && message.internetMessageId) {
        const existing = await findOwnCopyByMessageId(mailbox, ownership, { sourceItemId: message.id, internetMessageId: message.internetMessageId, labelIds: candidate.labelIds });
        if (existing) {
          outcome.imported.push({ sourceItemId: message.id, googleMessageId: existing, labelIds: candidate.labelIds });
          return;
        }
      }
      if (outcome.stoppedBy) return;
      // The bytes are held from the download until Gmail has them; an unknown size reserves the import limit.
      await mailbox.downloads.hold(message.sizeBytes ?? maxImportBytes, () => copyDownloaded(candidate), keepAlive);
    } catch (err) {
      outcome.stoppedBy ??= err instanceof ApplicationFailure || err instanceof CancelledFailure ? err : ApplicationFailure.fromError(err);
    }
  };

  const copyDownloaded = async (candidate: ImportCandidate): Promise<void> => {
    const { message } = candidate;
    // Waiting for the budget may have outlasted the attempt, or another item may have stopped the page.
    if (outcome.stoppedBy) return;
    if (cancellation.aborted) throw cancellationOf(cancellation);
    let raw: Buffer;
    try {
      raw = await mailbox.graphPace(() => downloadMime(mailbox.graph, sourceUserId, message.id));
    } catch (err) {
      // Deleted between the delta page and the download: the next delta reports the removal.
      if (classifyGraphError(err).kind === 'notFound') return;
      throw graphFailure(err);
    }
    keepAlive();
    const verdict = checkSize(raw.length, maxImportBytes) ?? classifyMime(raw);
    if (verdict) {
      outcome.failed.push({ message: { ...message, sizeBytes: message.sizeBytes ?? raw.length }, verdict });
      return;
    }
    // Gmail merges imports by the Message-ID in the bytes; without one nothing in Gmail can find the copy again.
    const withoutMessageId = rawHeaderField(raw, 'message-id') === null;
    if (withoutMessageId && candidate.resumingIntent) {
      const existing = await findOwnPendingCopy(mailbox, ownership, { sourceItemId: message.id, raw, labelIds: candidate.labelIds });
      if (existing) {
        outcome.imported.push({ sourceItemId: message.id, googleMessageId: existing, labelIds: candidate.labelIds, importPending: true });
        return;
      }
    }
    const importLabelIds = withoutMessageId ? [...candidate.labelIds, await importPendingLabelId(mailbox)] : candidate.labelIds;
    if (outcome.stoppedBy) return;
    if (cancellation.aborted) throw cancellationOf(cancellation);
    try {
      const result = await mailbox.gmailPace(gmailCost.import, () =>
        importMessage(mailbox.gmail, { userId: targetEmail, raw, labelIds: importLabelIds, internalDateSource: 'dateHeader', neverMarkSpam: true }),
      );
      outcome.imported.push({ sourceItemId: message.id, googleMessageId: result.id, labelIds: candidate.labelIds, ...(withoutMessageId ? { importPending: true } : {}) });
      keepAlive();
    } catch (err) {
      const itemLevel = itemVerdictForGoogle(err);
      if (!itemLevel) throw googleFailure(err);
      outcome.failed.push({ message: { ...message, sizeBytes: message.sizeBytes ?? raw.length }, ...itemLevel });
    }
  };

  // The pacers bound how many of these run at once and how fast; the download budget, how many bytes they hold.
  await Promise.all(candidates.map(importOne));
  return outcome;
}
