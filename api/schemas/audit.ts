import { z } from '@hono/zod-openapi';
import { AUDIT_SEVERITIES } from '../../store/index.js';
import { CursorQuery, DateTimeQuery, IdSchema, LimitQuery, NextCursor, Timestamp } from './common.js';

export const AuditQuery = z
  .object({
    severity: z.enum(AUDIT_SEVERITIES).optional(),
    category: z
      .string()
      .regex(/^[a-z][a-z-]{0,31}$/, { error: 'must be a category such as connection, policy, sync' })
      .optional(),
    code: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{0,63}$/, { error: 'must be a code such as AUTH_TOKEN_EXPIRED' })
      .optional(),
    userId: IdSchema.optional(),
    policyId: IdSchema.optional(),
    connectionId: IdSchema.optional(),
    since: DateTimeQuery.optional().openapi({ description: 'Inclusive.' }),
    until: DateTimeQuery.optional().openapi({ description: 'Exclusive.' }),
    limit: LimitQuery,
    cursor: CursorQuery,
  })
  .strict();

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: Timestamp,
    severity: z.enum(AUDIT_SEVERITIES),
    category: z.string(),
    code: z.string(),
    message: z.string(),
    actor: z.string(),
    userId: z.guid().nullable(),
    policyId: z.guid().nullable(),
    connectionId: z.guid().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEntry');

export const AuditListSchema = z.object({ items: z.array(AuditEntrySchema), nextCursor: NextCursor }).openapi('AuditList');
