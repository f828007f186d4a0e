import type { FilterQuery } from '@mikro-orm/core';
import { AuditLogSchema, type AuditLogEntity } from '../entities/index.js';
import { StoreValidationError } from '../errors.js';
import { cursorCodec, pageSize, toPage, type Page, type PageRequest } from '../pagination.js';
import { requireOneOf, requireText } from '../validate.js';
import { AUDIT_SEVERITIES, type AuditCategory, type AuditSeverity } from '../vocabulary.js';
import { chunks, forkEm, isUuid, type StoreContext, writeTransaction } from './support.js';

export interface AuditEntryInput {
  /** Default now. */
  at?: Date;
  severity: AuditSeverity;
  category: AuditCategory;
  /** e.g. 'AUTH_TOKEN_EXPIRED', 'CONNECTION_TESTED', 'GOOGLE_USER_CREATED'. */
  code: string;
  message: string;
  /** 'System' (default) or an administrator's name. */
  actor?: string;
  syncUserId?: string | null;
  policyId?: string | null;
  connectionId?: string | null;
  /** The service's own error and other facts; values under secret-looking keys are replaced by '[redacted]'. */
  details?: Record<string, unknown>;
}

/** An audit entry as callers see it: the row's own fields, as a plain copy. */
export type AuditEntryView = AuditLogEntity;

export interface AuditListFilters extends PageRequest {
  severity?: AuditSeverity;
  category?: AuditCategory;
  code?: string;
  syncUserId?: string;
  policyId?: string;
  connectionId?: string;
  /** Inclusive. */
  since?: Date;
  /** Exclusive. */
  until?: Date;
}

export interface AuditRepository {
  write(entry: AuditEntryInput): Promise<AuditEntryView>;
  /** One transaction. Returns how many were written. */
  writeMany(entries: AuditEntryInput[]): Promise<number>;
  /** Newest first. */
  list(filters?: AuditListFilters): Promise<Page<AuditEntryView>>;
}

const cursors = cursorCodec('audit', 'number', 'number');
const SECRET_KEY = /secret|password|passwd|private_?key|service_?account_?key|^(access_?|refresh_?|id_?|bearer_?)?token$|^authorization$|^credentials$/i;

export function createAuditRepository(context: StoreContext): AuditRepository {
  return {
    async write(entry) {
      const row = toRow(entry, 'entry');
      // The id is left to the database (autoincrement).
      const id = await forkEm(context).insert(AuditLogSchema, row as AuditLogEntity);
      return { ...row, id: Number(id) };
    },

    async writeMany(entries) {
      if (entries.length === 0) return 0;
      const rows = entries.map((entry, index) => toRow(entry, `entries[${index}]`));
      await writeTransaction(context, async (em) => {
        for (const batch of chunks(rows)) await em.insertMany(AuditLogSchema, batch as AuditLogEntity[]);
      });
      return rows.length;
    },

    async list(filters = {}) {
      const limit = pageSize(filters.limit);
      const where: FilterQuery<AuditLogEntity>[] = [];
      if (filters.severity !== undefined) where.push({ severity: requireOneOf(filters.severity, AUDIT_SEVERITIES, 'severity') });
      if (filters.category !== undefined) where.push({ category: filters.category });
      if (filters.code !== undefined) where.push({ code: filters.code });
      for (const field of ['syncUserId', 'policyId', 'connectionId'] as const) {
        const value = filters[field];
        if (value === undefined) continue;
        if (!isUuid(value)) return { items: [] };
        where.push({ [field]: value });
      }
      if (filters.since !== undefined) where.push({ at: { $gte: validDate(filters.since, 'since') } });
      if (filters.until !== undefined) where.push({ at: { $lt: validDate(filters.until, 'until') } });
      if (filters.cursor !== undefined) {
        const before = cursors.decode(filters.cursor);
        const at = new Date(before.key);
        where.push({ at: { $lte: at } }, { $or: [{ at: { $lt: at } }, { id: { $lt: before.id } }] });
      }
      const rows = await forkEm(context).find(AuditLogSchema, { $and: where }, { orderBy: { at: 'desc', id: 'desc' }, limit: limit + 1 });
      return toPage(rows, limit, toView, (row) => cursors.encode({ key: row.at.getTime(), id: row.id }));
    },
  };
}

function toRow(entry: AuditEntryInput, path: string): Omit<AuditLogEntity, 'id'> {
  const optionalId = (field: 'syncUserId' | 'policyId' | 'connectionId'): string | null => {
    const value = entry[field];
    if (value === undefined || value === null) return null;
    if (!isUuid(value)) throw new StoreValidationError(`${path}.${field}`, `${path}.${field} must be an id from this store.`);
    return value;
  };
  return {
    at: entry.at === undefined ? new Date() : validDate(entry.at, `${path}.at`),
    severity: requireOneOf(entry.severity, AUDIT_SEVERITIES, `${path}.severity`),
    category: requireText(entry.category, `${path}.category`, 32),
    code: requireText(entry.code, `${path}.code`, 64),
    message: requireText(entry.message, `${path}.message`, 4000),
    actor: requireText(entry.actor ?? 'System', `${path}.actor`),
    syncUserId: optionalId('syncUserId'),
    policyId: optionalId('policyId'),
    connectionId: optionalId('connectionId'),
    details: redactSecrets(entry.details ?? {}) as Record<string, unknown>,
  };
}

/** The audit log is shown to administrators and exported: a secret passed in details by mistake must not land there. */
function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, SECRET_KEY.test(key) ? '[redacted]' : redactSecrets(item, depth + 1)]));
}

function validDate(value: unknown, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new StoreValidationError(field, `${field} must be a valid date.`);
  return value;
}

function toView(entity: AuditLogEntity): AuditEntryView {
  return {
    id: entity.id,
    at: entity.at,
    severity: entity.severity,
    category: entity.category,
    code: entity.code,
    message: entity.message,
    actor: entity.actor,
    syncUserId: entity.syncUserId ?? null,
    policyId: entity.policyId ?? null,
    connectionId: entity.connectionId ?? null,
    details: entity.details ?? {},
  };
}
