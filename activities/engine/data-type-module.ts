import type { SyncableDataType } from '../../shared/data-types.js';
import type { ItemCounts } from '../../shared/vocabulary.js';
import type { ContainerStateView, Store } from '../../store/index.js';
import type { ConnectionClients } from '../../connectors/connection-clients.js';

/** Which user, between which connections: what every data type's activity starts from (ids only, no names). */
export interface UserPairInput {
  syncUserId: string;
  sourceUserId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  /** The Google account (provisioned before any data type runs). */
  targetEmail: string;
}

export interface DiscoverContainersInput extends UserPairInput {
  /** Containers an earlier discovery found are not synced (mail: Outbox, ...), so it need not ask again. */
  skippedContainerIds?: string[];
}

export interface DiscoveredContainers {
  /** The containers to walk, in order. */
  sourceContainerIds: string[];
  /** To hand to the next discovery. */
  skippedContainerIds: string[];
}

export interface SyncContainersInput extends UserPairInput {
  cycleId: string;
  /** Containers still to bring to their delta link in this cycle, in order. */
  sourceContainerIds: string[];
  /** Hand back to the workflow after about this many items, so progress shows and history stays short. */
  itemBudget: number;
  /**
   * List the containers first, as the discover activity would, and walk those
   * (sourceContainerIds is then empty): a first sync saves an activity and a
   * workflow task that way.
   */
  discover?: { skippedContainerIds: string[] };
}

export interface ContainersSyncResult {
  /** Containers not yet at their delta link when the budget ran out (the first may be part-way). */
  remainingContainerIds: string[];
  /** The type's totals after this activity's changes; null when it changed nothing. */
  counts: ItemCounts | null;
  updated: number;
  deleted: number;
  /** What the discovery found, when the input asked for one. */
  discovered?: DiscoveredContainers;
}

/** One delta page of one container, in the data type's own item shape. */
export interface DeltaPage<Item> {
  /** Items created or changed (latest state); an id is in `changed` or `removedIds` at most once. */
  changed: Item[];
  /** Ids reported with @removed: deleted, or moved out of this container. */
  removedIds: string[];
  nextLink?: string;
  deltaLink?: string;
}

export interface PageOutcome {
  updated: number;
  deleted: number;
}

/** What the engine gives every module. */
export interface EngineDeps {
  store: Store;
  connections: ConnectionClients;
}

/**
 * One data type behind the engine. The engine owns the walk (heartbeat
 * resume, the item budget, read-ahead, an expired delta token, a container
 * gone, saved positions, counts); the module owns what is particular to its
 * type: which containers there are and what they become in Google, how a
 * delta page is read, and how a page is applied exactly once through the
 * item map (intent, copy, record, and finding the copy an intent left by a
 * crash may have made).
 */
export interface DataTypeModule<Session, Item extends { id: string }> {
  readonly dataType: SyncableDataType;
  /** Lists the containers, makes sure each has its Google counterpart, records them, and says how big the first copy is. */
  discoverContainers(input: DiscoverContainersInput): Promise<DiscoveredContainers & { initialSyncTotal: number }>;
  /** What every container of one activity shares (clients, pacers, caches): opened once per activity. */
  openSession(input: UserPairInput, containers: ContainerStateView[]): Promise<Session>;
  /** False for a container that cannot be copied into yet (mail: a folder Gmail refused every label name for). */
  isWalkable(session: Session, container: ContainerStateView): boolean;
  /** The first delta request of a container. */
  initialDeltaLink(input: UserPairInput, sourceContainerId: string): string;
  /** One delta page, paced by the mailbox's Graph budget (shared by every type of the mailbox). */
  readDeltaPage(session: Session, link: string): Promise<DeltaPage<Item>>;
  /** Applies a page exactly once; item-level refusals are recorded, never thrown. */
  applyPage(session: Session, container: ContainerStateView, page: DeltaPage<Item>, keepAlive: () => void): Promise<PageOutcome>;
}

/** A module of any item shape, as the engine holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDataTypeModule = DataTypeModule<any, { id: string }>;
