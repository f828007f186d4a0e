import { randomUUID } from 'node:crypto';
import { raw } from '@mikro-orm/core';
import { FolderStateSchema, type FolderStateEntity } from '../entities/index.js';
import { StoreNotFoundError, StoreValidationError } from '../errors.js';
import { requireText, wholeNumber } from '../validate.js';
import { ITEM_COUNT_FIELDS, type ItemCounts } from '../vocabulary.js';
import { affectedRows, chunks, forkEm, isForeignKeyViolation, isUuid, type StoreContext } from './support.js';


export interface FolderInput {
  /** Graph immutable folder id. */
  sourceFolderId: string;
  displayName: string;
  /** e.g. 'Inbox/Projects/2024'. */
  path: string;
  /** Absent keeps the stored value; null clears it. */
  wellKnownName?: string | null;
  /** Absent keeps the stored value; null clears it. */
  googleLabelId?: string | null;
  /** The label's name in Gmail when Gmail refused the one the path gives. Absent keeps the stored value; null clears it. */
  googleLabelName?: string | null;
}

export interface FolderStateView {
  id: string;
  syncUserId: string;
  sourceFolderId: string;
  displayName: string;
  path: string;
  wellKnownName: string | null;
  googleLabelId: string | null;
  googleLabelName: string | null;
  deltaLink: string | null;
  initialSyncComplete: boolean;
  counts: ItemCounts;
  updatedAt: Date;
}

export interface DeltaLinkUpdate {
  sourceFolderId: string;
  deltaLink: string | null;
  /** Set when the link is a delta link: the folder's first full pass is done. */
  initialSyncComplete?: boolean;
}

export interface FoldersRepository {
  /** By path. */
  list(syncUserId: string): Promise<FolderStateView[]>;
  /** Insert or update on (syncUserId, sourceFolderId); one transaction. Returns the rows in input order. */
  upsert(syncUserId: string, folders: FolderInput[]): Promise<FolderStateView[]>;
  /**
   * Several folders' positions in one transaction (one commit for an idle
   * cycle's dozen folders). A null link forgets the position (the service
   * expired it): the next pass starts over for that folder. Throws, writing
   * nothing, when one of the folders is unknown.
   */
  saveDeltaLinks(syncUserId: string, links: DeltaLinkUpdate[]): Promise<void>;
  /** Atomic increments. */
  addCounts(syncUserId: string, sourceFolderId: string, delta: Partial<ItemCounts>): Promise<void>;
  /** Folders gone from the mailbox. Returns how many rows were removed. */
  remove(syncUserId: string, sourceFolderIds: string[]): Promise<number>;
}

export function createFoldersRepository(context: StoreContext): FoldersRepository {
  async function listWhere(syncUserId: string, sourceFolderIds?: string[]): Promise<FolderStateView[]> {
    const em = forkEm(context);
    if (sourceFolderIds === undefined) {
      return (await em.find(FolderStateSchema, { syncUserId }, { orderBy: { path: 'asc', id: 'asc' } })).map(toView);
    }
    const rows: FolderStateEntity[] = [];
    for (const batch of chunks(sourceFolderIds)) rows.push(...(await em.find(FolderStateSchema, { syncUserId, sourceFolderId: { $in: batch } })));
    const bySourceId = new Map(rows.map((row) => [row.sourceFolderId, toView(row)]));
    return sourceFolderIds.flatMap((id) => bySourceId.get(id) ?? []);
  }

  return {
    async list(syncUserId) {
      return isUuid(syncUserId) ? listWhere(syncUserId) : [];
    },

    async upsert(syncUserId, folders) {
      if (!isUuid(syncUserId)) throw new StoreNotFoundError('SyncUser', syncUserId);
      if (folders.length === 0) return [];
      const clean = folders.map((folder, index) => validateFolder(folder, index));
      const now = new Date();
      try {
        await forkEm(context).transactional(async (em) => {
          // Inserts first (they take the write lock), then refresh what the caller gave.
          for (const batch of chunks(clean)) {
            await em
              .createQueryBuilder(FolderStateSchema)
              .insert(batch.map((folder) => newRow(syncUserId, folder, now)))
              .onConflict(['syncUserId', 'sourceFolderId'])
              .ignore()
              .execute('run');
          }
          for (const folder of clean) {
            const changes: Partial<FolderStateEntity> = { displayName: folder.displayName, path: folder.path, updatedAt: now };
            if (folder.wellKnownName !== undefined) changes.wellKnownName = folder.wellKnownName;
            if (folder.googleLabelId !== undefined) changes.googleLabelId = folder.googleLabelId;
            if (folder.googleLabelName !== undefined) changes.googleLabelName = folder.googleLabelName;
            await em.nativeUpdate(FolderStateSchema, { syncUserId, sourceFolderId: folder.sourceFolderId }, changes);
          }
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new StoreNotFoundError('SyncUser', syncUserId);
        throw error;
      }
      return listWhere(syncUserId, clean.map((folder) => folder.sourceFolderId));
    },

    async saveDeltaLinks(syncUserId, links) {
      if (links.length === 0) return;
      const now = new Date();
      const rows = links.map((link) => {
        const changes: Partial<FolderStateEntity> = { deltaLink: link.deltaLink === null ? null : requireText(link.deltaLink, 'deltaLink', 16_384), updatedAt: now };
        if (link.initialSyncComplete !== undefined) changes.initialSyncComplete = link.initialSyncComplete;
        return { sourceFolderId: link.sourceFolderId, changes };
      });
      if (!isUuid(syncUserId)) throw new StoreNotFoundError('Folder', links[0]!.sourceFolderId);
      await forkEm(context).transactional(async (em) => {
        for (const row of rows) {
          const updated = affectedRows(await em.nativeUpdate(FolderStateSchema, { syncUserId, sourceFolderId: row.sourceFolderId }, row.changes));
          if (updated === 0) throw new StoreNotFoundError('Folder', row.sourceFolderId);
        }
      });
    },

    async addCounts(syncUserId, sourceFolderId, delta) {
      const increments: Record<string, unknown> = { updatedAt: new Date() };
      for (const field of ITEM_COUNT_FIELDS) {
        if (delta[field] !== undefined) increments[field] = raw(`${field} + ?`, [wholeNumber(delta[field], `delta.${field}`)]);
      }
      const updated = isUuid(syncUserId)
        ? affectedRows(
            await forkEm(context)
              .createQueryBuilder(FolderStateSchema)
              .update(increments as Partial<FolderStateEntity>)
              .where({ syncUserId, sourceFolderId })
              .execute('run'),
          )
        : 0;
      if (updated === 0) throw new StoreNotFoundError('Folder', sourceFolderId);
    },

    async remove(syncUserId, sourceFolderIds) {
      if (!isUuid(syncUserId) || sourceFolderIds.length === 0) return 0;
      return forkEm(context).transactional(async (em) => {
        let removed = 0;
        for (const batch of chunks([...new Set(sourceFolderIds)])) {
          removed += affectedRows(await em.nativeDelete(FolderStateSchema, { syncUserId, sourceFolderId: { $in: batch } }));
        }
        return removed;
      });
    },
  };
}

function validateFolder(folder: FolderInput, index: number): FolderInput {
  const field = (name: string) => `folders[${index}].${name}`;
  const clean: FolderInput = {
    sourceFolderId: requireText(folder.sourceFolderId, field('sourceFolderId'), 1024),
    displayName: requireText(folder.displayName, field('displayName'), 1024),
    path: requireText(folder.path, field('path'), 4000),
  };
  for (const name of ['wellKnownName', 'googleLabelId', 'googleLabelName'] as const) {
    const value = folder[name];
    if (value === undefined) continue;
    if (value !== null && (typeof value !== 'string' || value === '')) throw new StoreValidationError(field(name), `${field(name)} must be text or null.`);
    clean[name] = value;
  }
  return clean;
}

function newRow(syncUserId: string, folder: FolderInput, now: Date): FolderStateEntity {
  return {
    id: randomUUID(),
    syncUserId,
    sourceFolderId: folder.sourceFolderId,
    displayName: folder.displayName,
    path: folder.path,
    wellKnownName: folder.wellKnownName ?? null,
    googleLabelId: folder.googleLabelId ?? null,
    googleLabelName: folder.googleLabelName ?? null,
    deltaLink: null,
    initialSyncComplete: false,
    exported: 0,
    imported: 0,
    failed: 0,
    skipped: 0,
    updatedAt: now,
  };
}

function toView(entity: FolderStateEntity): FolderStateView {
  return {
    id: entity.id,
    syncUserId: entity.syncUserId,
    sourceFolderId: entity.sourceFolderId,
    displayName: entity.displayName,
    path: entity.path,
    wellKnownName: entity.wellKnownName ?? null,
    googleLabelId: entity.googleLabelId ?? null,
    googleLabelName: entity.googleLabelName ?? null,
    deltaLink: entity.deltaLink ?? null,
    initialSyncComplete: entity.initialSyncComplete,
    counts: { exported: entity.exported, imported: entity.imported, failed: entity.failed, skipped: entity.skipped },
    updatedAt: entity.updatedAt,
  };
}
