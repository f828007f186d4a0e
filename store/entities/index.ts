import { AuditLogSchema } from './audit-log.js';
import { ConnectionSchema } from './connection.js';
import { FolderStateSchema } from './folder-state.js';
import { ItemRecordSchema } from './item-record.js';
import { MessageMapSchema } from './message-map.js';
import { PolicySchema } from './policy.js';
import { SyncCycleSchema } from './sync-cycle.js';
import { SyncUserSchema } from './sync-user.js';

export { AuditLogSchema, type AuditLogEntity } from './audit-log.js';
export { ConnectionSchema, type ConnectionEntity, type StoredErrorJson } from './connection.js';
export { FolderStateSchema, type FolderStateEntity } from './folder-state.js';
export { ItemRecordSchema, type ItemRecordEntity } from './item-record.js';
export { MessageMapSchema, type MessageMapEntity } from './message-map.js';
export { PolicySchema, type PolicyEntity, type PolicyRules } from './policy.js';
export { SyncCycleSchema, type SyncCycleEntity, type CycleCounts } from './sync-cycle.js';
export { SyncUserSchema, type SyncUserEntity } from './sync-user.js';

export const allEntities = [
  ConnectionSchema,
  PolicySchema,
  SyncUserSchema,
  MessageMapSchema,
  ItemRecordSchema,
  FolderStateSchema,
  SyncCycleSchema,
  AuditLogSchema,
];
