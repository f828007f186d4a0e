/**
 * The database layer: `openStore()` and the types the sync, the control plane
 * and the API exchange with it. Import from here, not from the files inside.
 */
export { openStore, type OpenStoreOptions, type Store } from './store.js';
export type { DatabaseDialect } from './dialect.js';
export { CredentialsDecryptionError, EncryptionKeyError, InvalidCursorError, StoreConflictError, StoreError, StoreNotFoundError, StoreValidationError, type StoreConflictCode } from './errors.js';
export { cursorCodec, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type CursorCodec, type Page, type PageRequest } from './pagination.js';
export * from './vocabulary.js';
export type { PolicyRules, CycleCounts } from './entities/index.js';

export type {
  ConnectionCredentials,
  ConnectionSettings,
  GoogleServiceAccountKey,
  GoogleWorkspaceCredentials,
  GoogleWorkspaceSettings,
  Microsoft365Credentials,
  Microsoft365Settings,
  NewConnection,
} from './repositories/connection-input.js';
export type { ConnectionPatch, ConnectionSecrets, ConnectionTestResult, ConnectionView, ConnectionsRepository } from './repositories/connections.js';
export {
  DEFAULT_CALENDAR_MONTHS_AHEAD,
  DEFAULT_CALENDAR_MONTHS_BACK,
  DEFAULT_CYCLE_INTERVAL_SECONDS,
  MAX_CALENDAR_WINDOW_MONTHS,
  MAX_CYCLE_INTERVAL_SECONDS,
  MIN_CYCLE_INTERVAL_SECONDS,
  type NewPolicy,
  type PolicyPatch,
} from './repositories/policy-input.js';
export type { PoliciesRepository, PolicyListFilters, PolicyView } from './repositories/policies.js';
export type { AuditEntryInput, AuditEntryView, AuditListFilters, AuditRepository } from './repositories/audit.js';
export type { CountsDelta, SelectedUser, SyncUserErrorInput, SyncUserPatch } from './repositories/sync-user-input.js';
export type { PairOutcomeView, SelectionChange, SyncUserView, SyncUsersRepository } from './repositories/sync-users.js';
export type { PairSelection } from './repositories/sync-user-pairs.js';
export type { SyncUserFilters, SyncUserListRequest } from './repositories/sync-user-list.js';
export type { ImportedMessage, LabelUpdate, MessageIntent, MessageMapRepository, MessageMapView } from './repositories/message-map.js';
export type { ItemIntent, ItemLedger, ItemMapRepository, ItemMapView, RecordedCopy, TargetStateUpdate } from './repositories/item-map.js';
export type { ContainerInput, ContainerLinkUpdate, ContainersRepository, ContainerStateView, ContainerStore } from './repositories/containers.js';
export type { DataTypeStatePatch, DataTypeStateView, DataTypeStatesRepository } from './repositories/data-type-states.js';
export type { ItemListRequest, ItemOutcome, ItemRecordView, ItemsRepository } from './repositories/items.js';
export type { DeltaLinkUpdate, FolderInput, FolderStateView, FoldersRepository } from './repositories/folders.js';
export type { CycleFinish, CycleStart, CyclesRepository, SyncCycleView } from './repositories/cycles.js';
