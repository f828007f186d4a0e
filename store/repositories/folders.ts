import type { ItemCounts } from '../vocabulary.js';
import type { ContainerInput, ContainersRepository, ContainerStateView, ContainerStore } from './containers.js';

/** Mail's view of its containers: the mailbox folders and their Gmail labels. */
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
  /** Several folders' positions in one transaction (see ContainerStore.saveDeltaLinks). */
  saveDeltaLinks(syncUserId: string, links: DeltaLinkUpdate[]): Promise<void>;
  /** Atomic increments. */
  addCounts(syncUserId: string, sourceFolderId: string, delta: Partial<ItemCounts>): Promise<void>;
  /** Folders gone from the mailbox. Returns how many rows were removed. */
  remove(syncUserId: string, sourceFolderIds: string[]): Promise<number>;
}

export function createFoldersRepository(containers: ContainersRepository): FoldersRepository {
  const mail: ContainerStore = containers.forType('mail');
  return {
    async list(syncUserId) {
      return (await mail.list(syncUserId)).map(toFolderView);
    },
    async upsert(syncUserId, folders) {
      return (await mail.upsert(syncUserId, folders.map(toContainerInput))).map(toFolderView);
    },
    saveDeltaLinks: (syncUserId, links) =>
      mail.saveDeltaLinks(
        syncUserId,
        links.map(({ sourceFolderId, ...link }) => ({ sourceContainerId: sourceFolderId, ...link })),
      ),
    addCounts: (syncUserId, sourceFolderId, delta) => mail.addCounts(syncUserId, sourceFolderId, delta),
    remove: (syncUserId, sourceFolderIds) => mail.remove(syncUserId, sourceFolderIds),
  };
}

function toContainerInput(folder: FolderInput): ContainerInput {
  const input: ContainerInput = { sourceContainerId: folder.sourceFolderId, displayName: folder.displayName, path: folder.path };
  if (folder.wellKnownName !== undefined) input.wellKnownName = folder.wellKnownName;
  if (folder.googleLabelId !== undefined) input.targetContainerId = folder.googleLabelId;
  if (folder.googleLabelName !== undefined) input.targetContainerName = folder.googleLabelName;
  return input;
}

function toFolderView(container: ContainerStateView): FolderStateView {
  return {
    id: container.id,
    syncUserId: container.syncUserId,
    sourceFolderId: container.sourceContainerId,
    displayName: container.displayName,
    path: container.path,
    wellKnownName: container.wellKnownName,
    googleLabelId: container.targetContainerId,
    googleLabelName: container.targetContainerName,
    deltaLink: container.deltaLink,
    initialSyncComplete: container.initialSyncComplete,
    counts: container.counts,
    updatedAt: container.updatedAt,
  };
}
