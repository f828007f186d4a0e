import { randomUUID } from 'node:crypto';
import { raw } from '@mikro-orm/core';
import { ContainerStateSchema, type ContainerStateEntity } from '../entities/index.js';
import { StoreNotFoundError, StoreValidationError } from '../errors.js';
import { requireText, wholeNumber } from '../validate.js';
import { ITEM_COUNT_FIELDS, type DataType, type ItemCounts } from '../vocabulary.js';
import { emptyCounts } from '../../shared/vocabulary.js';
import { affectedRows, chunks, countsOf, forkEm, isForeignKeyViolation, isUuid, type StoreContext, writeTransaction } from './support.js';

/** Columns a caller may leave out: absent keeps the stored value, null clears it. */
type OptionalContainerColumn = 'wellKnownName' | 'targetContainerId' | 'targetContainerName';

/** One data type's containers (mail folders, calendars, contact folders) of a user, with their delta positions. */
export interface ContainerInput extends Pick<ContainerStateEntity, 'sourceContainerId' | 'displayName' | 'path'>, Partial<Pick<ContainerStateEntity, OptionalContainerColumn>> {}

/** A container as callers see it: the row, with its counters as one object. */
export interface ContainerStateView extends Omit<ContainerStateEntity, keyof ItemCounts> {
  counts: ItemCounts;
}

export interface ContainerLinkUpdate {
  sourceContainerId: string;
  deltaLink: string | null;
  /** Set when the link is a delta link: the container's first full pass is done. */
  initialSyncComplete?: boolean;
}

export interface ContainerStore {
  /** By path. */
  list(syncUserId: string): Promise<ContainerStateView[]>;
  /** Insert or update on (syncUserId, sourceContainerId); one transaction. Returns the rows in input order. */
  upsert(syncUserId: string, containers: ContainerInput[]): Promise<ContainerStateView[]>;
  /**
   * Several containers' positions in one transaction (one commit for an idle
   * cycle's dozen folders). A null link forgets the position (the service
   * expired it): the next pass starts over for that container. Throws, writing
   * nothing, when one of them is unknown.
   */
  saveDeltaLinks(syncUserId: string, links: ContainerLinkUpdate[]): Promise<void>;
  /** Atomic increments. */
  addCounts(syncUserId: string, sourceContainerId: string, delta: Partial<ItemCounts>): Promise<void>;
  /** Containers gone from the source. Returns how many rows were removed. */
  remove(syncUserId: string, sourceContainerIds: string[]): Promise<number>;
}

export interface ContainersRepository {
  forType(dataType: DataType): ContainerStore;
}

export function createContainersRepository(context: StoreContext): ContainersRepository {
  const stores = new Map<DataType, ContainerStore>();
  return {
    forType(dataType) {
      let found = stores.get(dataType);
      if (!found) stores.set(dataType, (found = createContainerStore(context, dataType)));
      return found;
    },
  };
}

function createContainerStore(context: StoreContext, dataType: DataType): ContainerStore {
  async function listWhere(syncUserId: string, sourceContainerIds?: string[]): Promise<ContainerStateView[]> {
    const em = forkEm(context);
    if (sourceContainerIds === undefined) {
      return (await em.find(ContainerStateSchema, { syncUserId, dataType }, { orderBy: { path: 'asc', id: 'asc' } })).map(toView);
    }
    const rows: ContainerStateEntity[] = [];
    for (const batch of chunks(sourceContainerIds)) rows.push(...(await em.find(ContainerStateSchema, { syncUserId, dataType, sourceContainerId: { $in: batch } })));
    const bySourceId = new Map(rows.map((row) => [row.sourceContainerId, toView(row)]));
    return sourceContainerIds.flatMap((id) => bySourceId.get(id) ?? []);
  }

  return {
    async list(syncUserId) {
      return isUuid(syncUserId) ? listWhere(syncUserId) : [];
    },

    async upsert(syncUserId, containers) {
      if (!isUuid(syncUserId)) throw new StoreNotFoundError('SyncUser', syncUserId);
      if (containers.length === 0) return [];
      const clean = containers.map((folder, index) => validateContainer(folder, index));
      const now = new Date();
      try {
        await writeTransaction(context, async (em) => {
          // Inserts first (they take the write lock), then refresh what the caller gave.
          for (const batch of chunks(clean)) {
            await em
              .createQueryBuilder(ContainerStateSchema)
              .insert(batch.map((folder) => newRow(syncUserId, dataType, folder, now)))
              .onConflict(['syncUserId', 'dataType', 'sourceContainerId'])
              .ignore()
              .execute('run');
          }
          for (const folder of clean) {
            const changes: Partial<ContainerStateEntity> = { displayName: folder.displayName, path: folder.path, updatedAt: now };
            if (folder.wellKnownName !== undefined) changes.wellKnownName = folder.wellKnownName;
            if (folder.targetContainerId !== undefined) changes.targetContainerId = folder.targetContainerId;
            if (folder.targetContainerName !== undefined) changes.targetContainerName = folder.targetContainerName;
            await em.nativeUpdate(ContainerStateSchema, { syncUserId, dataType, sourceContainerId: folder.sourceContainerId }, changes);
          }
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new StoreNotFoundError('SyncUser', syncUserId);
        throw error;
      }
      return listWhere(
        syncUserId,
        clean.map((folder) => folder.sourceContainerId),
      );
    },

    async saveDeltaLinks(syncUserId, links) {
      if (links.length === 0) return;
      const now = new Date();
      const rows = links.map((link) => {
        const changes: Partial<ContainerStateEntity> = { deltaLink: link.deltaLink === null ? null : requireText(link.deltaLink, 'deltaLink', 16_384), updatedAt: now };
        if (link.initialSyncComplete !== undefined) changes.initialSyncComplete = link.initialSyncComplete;
        return { sourceContainerId: link.sourceContainerId, changes };
      });
      if (!isUuid(syncUserId)) throw new StoreNotFoundError('Container', links[0]!.sourceContainerId);
      await writeTransaction(context, async (em) => {
        for (const row of rows) {
          const updated = affectedRows(await em.nativeUpdate(ContainerStateSchema, { syncUserId, dataType, sourceContainerId: row.sourceContainerId }, row.changes));
          if (updated === 0) throw new StoreNotFoundError('Container', row.sourceContainerId);
        }
      });
    },

    async addCounts(syncUserId, sourceContainerId, delta) {
      const increments: Record<string, unknown> = { updatedAt: new Date() };
      for (const field of ITEM_COUNT_FIELDS) {
        if (delta[field] !== undefined) increments[field] = raw(`${field} + ?`, [wholeNumber(delta[field], `delta.${field}`)]);
      }
      const updated = isUuid(syncUserId)
        ? affectedRows(
            await forkEm(context)
              .createQueryBuilder(ContainerStateSchema)
              .update(increments as Partial<ContainerStateEntity>)
              .where({ syncUserId, dataType, sourceContainerId })
              .execute('run'),
          )
        : 0;
      if (updated === 0) throw new StoreNotFoundError('Container', sourceContainerId);
    },

    async remove(syncUserId, sourceContainerIds) {
      if (!isUuid(syncUserId) || sourceContainerIds.length === 0) return 0;
      return writeTransaction(context, async (em) => {
        let removed = 0;
        for (const batch of chunks([...new Set(sourceContainerIds)])) {
          removed += affectedRows(await em.nativeDelete(ContainerStateSchema, { syncUserId, dataType, sourceContainerId: { $in: batch } }));
        }
        return removed;
      });
    },
  };
}

function validateContainer(folder: ContainerInput, index: number): ContainerInput {
  const field = (name: string) => `folders[${index}].${name}`;
  const clean: ContainerInput = {
    sourceContainerId: requireText(folder.sourceContainerId, field('sourceContainerId'), 1024),
    displayName: requireText(folder.displayName, field('displayName'), 1024),
    path: requireText(folder.path, field('path'), 4000),
  };
  for (const name of ['wellKnownName', 'targetContainerId', 'targetContainerName'] as const) {
    const value = folder[name];
    if (value === undefined) continue;
    if (value !== null && (typeof value !== 'string' || value === '')) throw new StoreValidationError(field(name), `${field(name)} must be text or null.`);
    clean[name] = value;
  }
  return clean;
}

function newRow(syncUserId: string, dataType: DataType, folder: ContainerInput, now: Date): ContainerStateEntity {
  return {
    id: randomUUID(),
    syncUserId,
    dataType,
    sourceContainerId: folder.sourceContainerId,
    displayName: folder.displayName,
    path: folder.path,
    wellKnownName: folder.wellKnownName ?? null,
    targetContainerId: folder.targetContainerId ?? null,
    targetContainerName: folder.targetContainerName ?? null,
    deltaLink: null,
    initialSyncComplete: false,
    ...emptyCounts(),
    updatedAt: now,
  };
}

function toView(entity: ContainerStateEntity): ContainerStateView {
  return {
    id: entity.id,
    syncUserId: entity.syncUserId,
    dataType: entity.dataType,
    sourceContainerId: entity.sourceContainerId,
    displayName: entity.displayName,
    path: entity.path,
    wellKnownName: entity.wellKnownName ?? null,
    targetContainerId: entity.targetContainerId ?? null,
    targetContainerName: entity.targetContainerName ?? null,
    deltaLink: entity.deltaLink ?? null,
    initialSyncComplete: entity.initialSyncComplete,
    counts: countsOf(entity),
    updatedAt: entity.updatedAt,
  };
}
