import type { ItemCounts } from '../vocabulary.js';
import type { ContainerInput, ContainersRepository, ContainerStateView, ContainerStore } from './containers.js';

/** Mail's view of its containers: the mailbox folders and their Gmail labels (a container's fields, in Gmail's words). */
export interface FolderInput extends Omit<ContainerInput, 'sourceContainerId' | 'targetContainerId' | 'targetContainerName'> {
  /** Graph immutable folder id. */
  sourceFolderId: string;
  /** Absent keeps the stored value; null clears it. */
  googleLabelId?: string | null;
  /** The label's name in Gmail when Gmail refused the one the path gives. Absent keeps the stored value; null clears it. */
  googleLabelName?: string | null;
}

export interface FolderStateView extends Omit<ContainerStateView, 'dataType' | 'sourceContainerId' | 'targetContainerId' | 'targetContainerName'> {
  sourceFolderId: string;
  googleLabelId: string | null;
  googleLabelName: string | null;
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
  const { dataType: _mail, sourceContainerId, targetContainerId, targetContainerName, ...sameFields } = container;
  return { ...sameFields, sourceFolderId: sourceContainerId, googleLabelId: targetContainerId, googleLabelName: targetContainerName };
}
