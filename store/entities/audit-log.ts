import { EntitySchema } from '@mikro-orm/core';
import type { AuditCategory, AuditSeverity } from '../vocabulary.js';

/**
 * One line of the audit log. The ids it names are plain columns, not foreign
 * keys: history outlives the connections, policies and users it mentions.
 */
export interface AuditLogEntity {
  id: number;
  at: Date;
  severity: AuditSeverity;
  category: AuditCategory;
  code: string;
  message: string;
  /** 'System' or an administrator's name. */
  actor: string;
  syncUserId: string | null;
  policyId: string | null;
  connectionId: string | null;
  details: Record<string, unknown>;
}

export const AuditLogSchema = new EntitySchema<AuditLogEntity>({
  name: 'AuditLog',
  tableName: 'audit_log',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    at: { type: 'datetime' },
    severity: { type: 'string', length: 16 },
    category: { type: 'string', length: 32 },
    code: { type: 'string', length: 64 },
    message: { type: 'text' },
    actor: { type: 'string' },
    syncUserId: { type: 'uuid', nullable: true },
    policyId: { type: 'uuid', nullable: true },
    connectionId: { type: 'uuid', nullable: true },
    details: { type: 'json' },
  },
  // Newest first, optionally narrowed by one filter: each index ends with (at, id).
  indexes: [
    { name: 'audit_log_at_idx', properties: ['at', 'id'] },
    { name: 'audit_log_severity_idx', properties: ['severity', 'at', 'id'] },
    { name: 'audit_log_sync_user_idx', properties: ['syncUserId', 'at', 'id'] },
    { name: 'audit_log_policy_idx', properties: ['policyId', 'at', 'id'] },
    { name: 'audit_log_connection_idx', properties: ['connectionId', 'at', 'id'] },
    { name: 'audit_log_code_idx', properties: ['code', 'at', 'id'] },
  ],
});
