import { randomUUID } from 'node:crypto';
import { MessageMapSchema, type MessageMapEntity } from '../entities/index.js';
import { StoreConflictError, StoreNotFoundError, StoreValidationError } from '../errors.js';
import { requireText } from '../validate.js';
import type { MessageMapState } from '../vocabulary.js';
import { affectedRows, chunks, forkEm, isForeignKeyViolation, isUuid, type StoreContext } from './support.js';

export interface MessageMapView {
  id: string;
  syncUserId: string;
  sourceItemId: string;
  internetMessageId: string | null;
  sourceFolderId: string;
  googleMessageId: string | null;
  state: MessageMapState;
  labelIds: string[];
  contentHash: string | null;
  createdAt: Date;
  updatedAt: Date;
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
  /**
   * Writes 'intent' rows before importing; a source id that already has a row
   * (any state) is left untouched. One transaction. Returns how many were new.
   */
  recordIntents(syncUserId: string, intents: MessageIntent[]): Promise<number>;
  /**
   * Intent (or any existing row) -> 'imported' with Gmail's id and labels. One
   * transaction; refused as a whole (MESSAGE_INTENT_MISSING) if a source id
   * has no row, since an import without an intent would escape crash recovery.
   */
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
  /**
   * Rows in state 'imported'. With `excludingListedItems`, a copy whose later
   * change Gmail refused (listed in the items view as failed) is not counted:
   * it counts as failed there, so exported = imported + failed stays one
   * count per message.
   */
  countImported(syncUserId: string, options?: { excludingListedItems?: boolean }): Promise<number>;
  /** Messages imported, relabelled or deleted on the Google side since `since`, across every user. */
  countChangedSince(since: Date): Promise<number>;
}

export function createMessageMapRepository(context: StoreContext): MessageMapRepository {
  return {
    async findBySourceIds(syncUserId, sourceItemIds) {
      const found = new Map<string, MessageMapView>();
      if (!isUuid(syncUserId) || sourceItemIds.length === 0) return found;
      const em = forkEm(context);
      for (const batch of chunks([...new Set(sourceItemIds)])) {
        const rows = await em.find(MessageMapSchema, { syncUserId, sourceItemId: { $in: batch } });
        for (const row of rows) found.set(row.sourceItemId, toView(row));
      }
      return found;
    },

    async findByGoogleMessageIds(syncUserId, googleMessageIds) {
      const found = new Map<string, MessageMapView[]>();
      if (!isUuid(syncUserId) || googleMessageIds.length === 0) return found;
      const em = forkEm(context);
      for (const batch of chunks([...new Set(googleMessageIds)])) {
        const rows = await em.find(MessageMapSchema, { syncUserId, googleMessageId: { $in: batch } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
        for (const row of rows) {
          const view = toView(row);
          const list = found.get(view.googleMessageId!) ?? [];
          list.push(view);
          found.set(view.googleMessageId!, list);
        }
      }
      return found;
    },

    async recordIntents(syncUserId, intents) {
      requireSyncUserId(syncUserId);
      if (intents.length === 0) return 0;
      const now = new Date();
      const rows: MessageMapEntity[] = intents.map((intent, index) => ({
        id: randomUUID(),
        syncUserId,
        sourceItemId: requireText(intent.sourceItemId, `intents[${index}].sourceItemId`, 1024),
        internetMessageId: intent.internetMessageId ?? null,
        sourceFolderId: requireText(intent.sourceFolderId, `intents[${index}].sourceFolderId`, 1024),
        googleMessageId: null,
        state: 'intent',
        labelIds: [],
        contentHash: intent.contentHash ?? null,
        createdAt: now,
        updatedAt: now,
      }));
      try {
        return await forkEm(context).transactional(async (em) => {
          let inserted = 0;
          for (const batch of chunks(rows)) {
            const result = await em.createQueryBuilder(MessageMapSchema).insert(batch).onConflict(['syncUserId', 'sourceItemId']).ignore().execute('run');
            inserted += affectedRows(result);
          }
          return inserted;
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new StoreNotFoundError('SyncUser', syncUserId);
        throw error;
      }
    },

    async markImported(syncUserId, messages) {
      requireSyncUserId(syncUserId);
      if (messages.length === 0) return;
      const now = new Date();
      await forkEm(context).transactional(async (em) => {
        const missing: string[] = [];
        for (const [index, message] of messages.entries()) {
          const changes = {
            googleMessageId: requireText(message.googleMessageId, `messages[${index}].googleMessageId`),
            labelIds: labelList(message.labelIds, `messages[${index}].labelIds`),
            state: 'imported' as const,
            updatedAt: now,
          };
          const updated = await em.nativeUpdate(MessageMapSchema, { syncUserId, sourceItemId: message.sourceItemId }, changes);
          if (affectedRows(updated) === 0) missing.push(message.sourceItemId);
        }
        if (missing.length > 0) {
          throw new StoreConflictError('MESSAGE_INTENT_MISSING', `No intent was recorded for ${missing.length} imported message(s) (e.g. ${missing[0]}); record intents before importing.`);
        }
      });
    },

    async findIntents(syncUserId, limit = 1000) {
      if (!isUuid(syncUserId)) return [];
      const rows = await forkEm(context).find(MessageMapSchema, { syncUserId, state: 'intent' }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit });
      return rows.map(toView);
    },

    async updateLabels(syncUserId, updates) {
      requireSyncUserId(syncUserId);
      if (updates.length === 0) return 0;
      const now = new Date();
      return forkEm(context).transactional(async (em) => {
        let updated = 0;
        for (const [index, update] of updates.entries()) {
          const changes: Partial<MessageMapEntity> = { labelIds: labelList(update.labelIds, `updates[${index}].labelIds`), updatedAt: now };
          if (update.sourceFolderId !== undefined) changes.sourceFolderId = requireText(update.sourceFolderId, `updates[${index}].sourceFolderId`, 1024);
          updated += affectedRows(await em.nativeUpdate(MessageMapSchema, { syncUserId, sourceItemId: update.sourceItemId }, changes));
        }
        return updated;
      });
    },

    async markDeleted(syncUserId, sourceItemIds) {
      requireSyncUserId(syncUserId);
      if (sourceItemIds.length === 0) return 0;
      const now = new Date();
      return forkEm(context).transactional(async (em) => {
        let updated = 0;
        for (const batch of chunks([...new Set(sourceItemIds)])) {
          updated += affectedRows(await em.nativeUpdate(MessageMapSchema, { syncUserId, sourceItemId: { $in: batch } }, { state: 'deleted', updatedAt: now }));
        }
        return updated;
      });
    },

    async findByInternetMessageId(syncUserId, internetMessageId) {
      if (!isUuid(syncUserId)) return [];
      const rows = await forkEm(context).find(MessageMapSchema, { syncUserId, internetMessageId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      return rows.map(toView);
    },

    async countImported(syncUserId, options = {}) {
      if (!isUuid(syncUserId)) return 0;
      if (!options.excludingListedItems) return forkEm(context).count(MessageMapSchema, { syncUserId, state: 'imported' });
      const [row] = await forkEm(context)
        .getConnection()
        .execute<{ total: number | string }[]>(
          `select count(*) as total from message_map m where m.sync_user_id = ? and m.state = 'imported'
             and not exists (select 1 from item_records i where i.sync_user_id = m.sync_user_id and i.source_item_id = m.source_item_id)`,
          [syncUserId],
        );
      return Number(row?.total ?? 0);
    },

    async countChangedSince(since) {
      if (!(since instanceof Date) || Number.isNaN(since.getTime())) throw new StoreValidationError('since', 'since must be a valid date.');
      // Intents are not changes yet: they become one when imported.
      return forkEm(context).count(MessageMapSchema, { updatedAt: { $gte: since }, state: { $in: ['imported', 'deleted'] } });
    },
  };
}

function requireSyncUserId(syncUserId: string): void {
  if (!isUuid(syncUserId)) throw new StoreValidationError('syncUserId', `syncUserId must be a sync user's id, got "${syncUserId}".`);
}

function labelList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((label) => typeof label !== 'string' || label === '')) {
    throw new StoreValidationError(field, `${field} must be a list of Gmail label ids.`);
  }
  return [...value] as string[];
}

function toView(entity: MessageMapEntity): MessageMapView {
  return {
    id: entity.id,
    syncUserId: entity.syncUserId,
    sourceItemId: entity.sourceItemId,
    internetMessageId: entity.internetMessageId ?? null,
    sourceFolderId: entity.sourceFolderId,
    googleMessageId: entity.googleMessageId ?? null,
    state: entity.state,
    labelIds: [...entity.labelIds],
    contentHash: entity.contentHash ?? null,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}
