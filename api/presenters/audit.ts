import type { z } from '@hono/zod-openapi';
import type { AuditEntryView } from '../../store/index.js';
import { iso } from '../schemas/common.js';
import type { AuditEntrySchema } from '../schemas/audit.js';

export function toAuditEntry(entry: AuditEntryView): z.infer<typeof AuditEntrySchema> {
  return {
    id: entry.id,
    at: iso(entry.at),
    severity: entry.severity,
    category: entry.category,
    code: entry.code,
    message: entry.message,
    actor: entry.actor,
    userId: entry.syncUserId,
    policyId: entry.policyId,
    connectionId: entry.connectionId,
    details: entry.details,
  };
}
