import { AuditLogSchema } from './audit-log.js';
import { ConnectionSchema } from './connection.js';
import { ContainerStateSchema } from './container-state.js';
import { DataTypeStateSchema } from './data-type-state.js';
import { ItemRecordSchema } from './item-record.js';
import { ItemMapSchema } from './item-map.js';
import { PolicySchema } from './policy.js';
import { SyncCycleSchema } from './sync-cycle.js';
import { SyncUserSchema } from './sync-user.js';

export { AuditLogSchema, type AuditLogEntity } from './audit-log.js';
export { ConnectionSchema, type ConnectionEntity, type StoredErrorJson } from './connection.js';
export { ContainerStateSchema, type ContainerStateEntity } from './container-state.js';
export { DataTypeStateSchema, type DataTypeStateEntity } from './data-type-state.js';
export { ItemRecordSchema, type ItemRecordEntity } from './item-record.js';
export { ItemMapSchema, type ItemMapEntity } from './item-map.js';
export { PolicySchema, type PolicyEntity, type PolicyRules } from './policy.js';
export { SyncCycleSchema, type SyncCycleEntity, type CycleCounts } from './sync-cycle.js';
export { SyncUserSchema, type SyncUserEntity } from './sync-user.js';

export const allEntities = [ConnectionSchema, PolicySchema, SyncUserSchema, ItemMapSchema, ItemRecordSchema, ContainerStateSchema, DataTypeStateSchema, SyncCycleSchema, AuditLogSchema];
