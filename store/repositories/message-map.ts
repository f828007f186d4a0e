import { StoreValidationError } from '../errors.js';
import type { ItemLedger, ItemMapRepository, ItemMapView } from './item-map.js';

/**
 * Mail's view of the item map: the ledger rows of data type 'mail', in
 * Gmail's words (the copy is a Gmail message, its lookup key the
 * Message-ID, what is kept of it the label ids).
 */
export interface MessageMapView extends Omit<ItemMapView, 'dataType' | 'lookupKey' | 'sourceContainerId' | 'targetItemId' | 'targetState'> {
  internetMessageId: string | null;
  sourceFolderId: string;
  googleMessageId: string | null;
  labelIds: string[];
}

export interface MessageIntent {
  /** Graph IMMUTABLE id. */
  sourceItemId: string;
  internetMessageId: string | null;
  sourceFolderId: string;
  contentHash?: string | null;
}

export interface ImportedMessage {
  sourceItemId: string;
  googleMessageId: string;
  labelIds: string[];
}

export interface LabelUpdate {
  sourceItemId: string;
  labelIds: string[];
  /** When the message moved to another folder. */
  sourceFolderId?: string;
}

export interface MessageMapRepository {
  /** Rows for the given source ids (any state), keyed by sourceItemId. */
  findBySourceIds(syncUserId: string, sourceItemIds: string[]): Promise<Map<string, MessageMapView>>;
  /** Intent rows before importing (see ItemLedger.recordIntents). Returns how many were new. */
  recordIntents(syncUserId: string, intents: MessageIntent[]): Promise<number>;
  /** Intent -> 'imported' with Gmail's id and labels (see ItemLedger.markImported). */
  markImported(syncUserId: string, messages: ImportedMessage[]): Promise<void>;
  /** Intents left by a crash between recording and importing; oldest first. */
  findIntents(syncUserId: string, limit?: number): Promise<MessageMapView[]>;
  /** Returns how many rows were updated. */
  updateLabels(syncUserId: string, updates: LabelUpdate[]): Promise<number>;
  /** Returns how many rows were marked. */
  markDeleted(syncUserId: string, sourceItemIds: string[]): Promise<number>;
  /**
   * Rows (any state) that point at these Gmail messages, keyed by Gmail id.
   * Gmail merges an import whose Message-ID it already holds, so one Gmail
   * message can stand for several source messages.
   */
  findByGoogleMessageIds(syncUserId: string, googleMessageIds: string[]): Promise<Map<string, MessageMapView[]>>;
  /** Every row with that Message-ID (a message copied into two folders has two). */
  findByInternetMessageId(syncUserId: string, internetMessageId: string): Promise<MessageMapView[]>;
  /** Rows in state 'imported' (see ItemLedger.countImported). */
  countImported(syncUserId: string): Promise<number>;
  /** Items imported, changed or deleted on the Google side since `since`, across every user. */
  countChangedSince(since: Date): Promise<number>;
}

export function createMessageMapRepository(itemMap: ItemMapRepository): MessageMapRepository {
  const ledger: ItemLedger = itemMap.forType('mail');
  return {
    async findBySourceIds(syncUserId, sourceItemIds) {
      const rows = await ledger.findBySourceIds(syncUserId, sourceItemIds);
      return new Map([...rows].map(([id, row]) => [id, toMessageView(row)]));
    },
    recordIntents: (syncUserId, intents) =>
      ledger.recordIntents(
        syncUserId,
        intents.map((intent) => ({ sourceItemId: intent.sourceItemId, lookupKey: intent.internetMessageId, sourceContainerId: intent.sourceFolderId, contentHash: intent.contentHash ?? null })),
      ),
    markImported: (syncUserId, messages) =>
      ledger.markImported(
        syncUserId,
        messages.map((message, index) => ({ sourceItemId: message.sourceItemId, targetItemId: message.googleMessageId, targetState: labelList(message.labelIds, `messages[${index}].labelIds`) })),
      ),
    async findIntents(syncUserId, limit) {
      return (await ledger.findIntents(syncUserId, limit)).map(toMessageView);
    },
    updateLabels: (syncUserId, updates) =>
      ledger.updateTargetState(
        syncUserId,
        updates.map((update, index) => ({
          sourceItemId: update.sourceItemId,
          targetState: labelList(update.labelIds, `updates[${index}].labelIds`),
          ...(update.sourceFolderId !== undefined ? { sourceContainerId: update.sourceFolderId } : {}),
        })),
      ),
    markDeleted: (syncUserId, sourceItemIds) => ledger.markDeleted(syncUserId, sourceItemIds),
    async findByGoogleMessageIds(syncUserId, googleMessageIds) {
      const rows = await ledger.findByTargetIds(syncUserId, googleMessageIds);
      return new Map([...rows].map(([id, list]) => [id, list.map(toMessageView)]));
    },
    async findByInternetMessageId(syncUserId, internetMessageId) {
      return (await ledger.findByLookupKey(syncUserId, internetMessageId)).map(toMessageView);
    },
    countImported: (syncUserId) => ledger.countImported(syncUserId),
    countChangedSince: (since) => itemMap.countChangedSince(since),
  };
}

function labelList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((label) => typeof label !== 'string' || label === '')) {
    throw new StoreValidationError(field, `${field} must be a list of Gmail label ids.`);
  }
  return [...value] as string[];
}

function toMessageView(row: ItemMapView): MessageMapView {
  const { dataType: _mail, lookupKey, sourceContainerId, targetItemId, targetState, ...sameFields } = row;
  return {
    ...sameFields,
    internetMessageId: lookupKey,
    sourceFolderId: sourceContainerId,
    googleMessageId: targetItemId,
    labelIds: Array.isArray(targetState) ? [...(targetState as string[])] : [],
  };
}
