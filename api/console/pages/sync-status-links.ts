import { withQuery } from '../api-reader.js';

/** The console's own Sync status address for a set of filters (and optionally an open detail panel). */
export interface SyncStatusLink {
  status?: string;
  stage?: string;
  policyId?: string;
  errorCode?: string;
  q?: string;
  limit?: number;
  cursor?: string;
  /** Cursors of the pages before this one, newest last, for the Previous link. */
  back?: string;
  page?: number;
  user?: string;
  /** The detail panel's items view, from this page on. */
  itemsCursor?: string;
}

export function syncStatusHref(link: SyncStatusLink): string {
  return withQuery('/sync-status', { ...link });
}
