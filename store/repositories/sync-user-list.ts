import type { QueryBuilder, SqlEntityManager } from '@mikro-orm/knex';
import { SyncUserSchema, type SyncUserEntity } from '../entities/index.js';
import { cursorCodec, type PageRequest } from '../pagination.js';
import { requireOneOf } from '../validate.js';
import { SYNC_STAGES, SYNC_STATUSES, type SyncStage, type SyncStatus } from '../vocabulary.js';
import { containsPattern, isUuid } from './support.js';

/**
 * The users list: one fixed order, (source email, id), and an index per
 * filter that ends with that order (see the SyncUser entity), so a page is
 * an index range scan whatever the page number.
 */

export interface SyncUserFilters {
  status?: SyncStatus;
  stage?: SyncStage;
  policyId?: string;
  errorCode?: string;
  /** Case-insensitive "contains" over source email, target email and display name. */
  q?: string;
}

export interface SyncUserListRequest extends SyncUserFilters, PageRequest {}

export const syncUserCursors = cursorCodec('sync-users', 'string', 'string');

/** Exported for the query-plan test: the exact query list() runs. */
export function buildSyncUserListQuery(em: SqlEntityManager, request: SyncUserListRequest, limit: number): QueryBuilder<SyncUserEntity> {
  const qb = em.createQueryBuilder(SyncUserSchema, 'u').select('*');
  applySyncUserFilters(qb, request);
  if (request.cursor !== undefined) {
    const after = syncUserCursors.decode(request.cursor);
    // Written as a range plus a tie-break so the index seeks to the cursor instead of scanning from the start.
    qb.andWhere({ sourceEmail: { $gte: after.key } });
    qb.andWhere({ $or: [{ sourceEmail: { $gt: after.key } }, { id: { $gt: after.id } }] });
  }
  return qb.orderBy({ sourceEmail: 'asc', id: 'asc' }).limit(limit + 1);
}

export function applySyncUserFilters(qb: QueryBuilder<SyncUserEntity>, filters: SyncUserFilters): void {
  if (filters.status !== undefined) qb.andWhere({ status: requireOneOf(filters.status, SYNC_STATUSES, 'status') });
  if (filters.stage !== undefined) qb.andWhere({ stage: requireOneOf(filters.stage, SYNC_STAGES, 'stage') });
  if (filters.policyId !== undefined) {
    // A malformed id matches nothing (PostgreSQL would reject it as a uuid).
    if (isUuid(filters.policyId)) qb.andWhere({ policyId: filters.policyId });
    else qb.andWhere('1 = 0');
  }
  if (filters.errorCode !== undefined) qb.andWhere({ errorCode: filters.errorCode });
  const q = filters.q?.trim();
  if (q) {
    const pattern = containsPattern(q);
    // Emails are stored lower-cased; names are compared lower-cased.
    qb.andWhere(`(u.source_email like ? escape '\\' or u.target_email like ? escape '\\' or lower(u.display_name) like ? escape '\\')`, [pattern, pattern, pattern]);
  }
}
