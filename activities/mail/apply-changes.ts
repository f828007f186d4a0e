import { classifyGoogleError } from '../../connectors/google/google-errors.js';
import { googleFailure } from '../failures.js';
import { gmailCost } from '../pacing.js';
import type { LabelUpdate } from '../../store/repositories/message-map.js';
import { itemRefusalOf, type ItemRefusal } from '../engine/item-refusal.js';
import { gmailOwnedLabelIds, labelDiff } from './labels.js';
import type { Mailbox } from './mailbox.js';

/** The Gmail calls that change a message already copied. */
export type ChangeStep = 'relabel' | 'untrash' | 'trash';

/** A message already copied: its Graph id, its Gmail id, and its subject when the entry carried one. */
export interface CopiedMessage {
  sourceItemId: string;
  googleMessageId: string;
  subject?: string;
}

export interface RefusedChange {
  sourceItemId: string;
  step: ChangeStep;
  refusal: ItemRefusal;
  subject?: string;
}

/** What the changes of one page come to, written to the store once per page. */
export interface ChangeOutcomes {
  labelUpdates: LabelUpdate[];
  refused: RefusedChange[];
  /** Items whose change went through: they leave the items view if an earlier change was refused. */
  settled: string[];
}

export const newChangeOutcomes = (): ChangeOutcomes => ({ labelUpdates: [], refused: [], settled: [] });

export type ChangeResult = 'done' | 'gone' | 'refused';

/**
 * Runs one Gmail call on one copied message. A refusal of that message alone
 * (see item-refusal.ts) is noted for the items view and the page goes on;
 * anything wider (credentials, throttling, an outage) stops the page as before.
 */
export async function changeMessage(outcomes: ChangeOutcomes, item: CopiedMessage, step: ChangeStep, call: () => Promise<unknown>): Promise<ChangeResult> {
  try {
    await call();
    return 'done';
  } catch (err) {
    // Deleted on the Google side by its user: nothing left to change.
    if (classifyGoogleError(err).kind === 'notFound') return 'gone';
    const refusal = itemRefusalOf(err);
    if (!refusal) throw googleFailure(err);
    outcomes.refused.push({ sourceItemId: item.sourceItemId, step, refusal, ...(item.subject !== undefined ? { subject: item.subject } : {}) });
    return 'refused';
  }
}

/**
 * Turns `current` into `desired` with one messages.modify. SENT and DRAFT are
 * never sent in it: Gmail refuses them there (labels guide, "Can be manually
 * applied: no"), and nextLabelIds keeps them as Gmail has them anyway.
 */
export async function relabel(mailbox: Mailbox, outcomes: ChangeOutcomes, item: CopiedMessage, current: readonly string[], desired: readonly string[]): Promise<ChangeResult | 'unchanged'> {
  const diff = labelDiff(current, desired);
  if (diff) {
    diff.addLabelIds = diff.addLabelIds.filter((id) => !gmailOwnedLabelIds.has(id));
    diff.removeLabelIds = diff.removeLabelIds.filter((id) => !gmailOwnedLabelIds.has(id));
  }
  if (!diff || (diff.addLabelIds.length === 0 && diff.removeLabelIds.length === 0)) return 'unchanged';
  return changeMessage(outcomes, item, 'relabel', () =>
    mailbox.gmailPace(gmailCost.modify, () => mailbox.gmail.users.messages.modify({ userId: mailbox.input.targetEmail, id: item.googleMessageId, requestBody: diff })),
  );
}
