import type { Context } from 'hono';
import { SYNC_STAGES, SYNC_STATUSES, USER_ERROR_CODES, type SyncStage, type SyncStatus, type UserErrorCode } from '../../../store/vocabulary.js';
import { cursorParam, intParam, oneOf, positiveIntParam, queryOf, textParam, uuidParam } from './query-params.js';
import { syncStatusHref, type SyncStatusLink } from './sync-status-links.js';

/** What the Sync status address holds: the filters, the page, and the user whose panel is open. */

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;
/** Previous pages remembered in the address; beyond this, First page still works. */
export const MAX_BACK_CURSORS = 20;

export interface ListFilters {
  status?: SyncStatus;
  stage?: SyncStage;
  policyId?: string;
  errorCode?: UserErrorCode;
  q?: string;
}

export interface ListState {
  filters: ListFilters;
  limit: number;
  cursor?: string;
  back: string[];
  page: number;
  user?: string;
  itemsCursor?: string;
}

export function readState(c: Context): ListState {
  const query = queryOf(c);
  const cursor = cursorParam(query.cursor);
  return {
    filters: {
      status: oneOf(query.status, SYNC_STATUSES),
      stage: oneOf(query.stage, SYNC_STAGES),
      policyId: uuidParam(query.policyId),
      errorCode: oneOf(query.errorCode, USER_ERROR_CODES),
      q: textParam(query.q),
    },
    limit: intParam(query.limit, PAGE_SIZES, DEFAULT_PAGE_SIZE),
    ...(cursor ? { cursor } : {}),
    back: cursor
      ? (query.back ?? '')
          .split('.')
          .filter((value) => cursorParam(value) !== undefined)
          .slice(-MAX_BACK_CURSORS)
      : [],
    page: cursor ? positiveIntParam(query.page, 2) : 1,
    user: uuidParam(query.user),
    itemsCursor: cursorParam(query.itemsCursor),
  };
}

/** The address of this very list (same filters and page), with changes. */
export function hereWith(state: ListState, changes: Partial<SyncStatusLink> = {}): string {
  return syncStatusHref({
    ...state.filters,
    ...(state.limit !== DEFAULT_PAGE_SIZE ? { limit: state.limit } : {}),
    ...(state.cursor ? { cursor: state.cursor, back: state.back.join('.') || undefined, page: state.page } : {}),
    ...(state.user ? { user: state.user } : {}),
    ...changes,
  });
}
