import type { FC } from 'hono/jsx';
import { SYNC_STAGES, SYNC_STATUSES, USER_ERROR_CODES } from '../../../store/vocabulary.js';
import type { PolicyList, SyncStatusList } from '../api-types.js';
import { errorTitle, formatNumber, stageLabel, statusLabel } from '../views/format.js';
import { syncStatusHref } from './sync-status-links.js';
import { DEFAULT_PAGE_SIZE, hereWith, MAX_BACK_CURSORS, PAGE_SIZES, type ListState } from './sync-status-state.js';

/** The Sync status page's controls: the filters, the counts per status, and the pages. */

export const Filters: FC<{ state: ListState; policies: PolicyList['items'] }> = ({ state, policies }) => (
  <form class="filters" method="get" action="/sync-status" data-auto-submit role="search" aria-label="Filter users">
    <div class="field">
      <label for="filter-status">Status</label>
      <select id="filter-status" name="status">
        <option value="">Any status</option>
        {SYNC_STATUSES.map((status) => (
          <option value={status} selected={state.filters.status === status}>
            {statusLabel(status)}
          </option>
        ))}
      </select>
    </div>
    <div class="field">
      <label for="filter-stage">Stage</label>
      <select id="filter-stage" name="stage">
        <option value="">Any stage</option>
        {SYNC_STAGES.map((stage) => (
          <option value={stage} selected={state.filters.stage === stage}>
            {stageLabel(stage)}
          </option>
        ))}
      </select>
    </div>
    <div class="field">
      <label for="filter-policy">Policy</label>
      <select id="filter-policy" name="policyId">
        <option value="">Any policy</option>
        {policies.map((policy) => (
          <option value={policy.id} selected={state.filters.policyId === policy.id}>
            {policy.name}
          </option>
        ))}
      </select>
    </div>
    <div class="field">
      <label for="filter-error">Error code</label>
      <select id="filter-error" name="errorCode">
        <option value="">Any error</option>
        {USER_ERROR_CODES.map((code) => (
          <option value={code} selected={state.filters.errorCode === code}>
            {errorTitle(code)} ({code})
          </option>
        ))}
      </select>
    </div>
    <div class="field field--grow">
      <label for="filter-q">Search</label>
      <input id="filter-q" name="q" type="search" value={state.filters.q ?? ''} placeholder="Name or email address" autocomplete="off" />
    </div>
    <div class="field">
      <label for="filter-limit">Rows</label>
      <select id="filter-limit" name="limit">
        {PAGE_SIZES.map((size) => (
          <option value={String(size)} selected={state.limit === size}>
            {size}
          </option>
        ))}
      </select>
    </div>
    <div class="filters__buttons">
      <button type="submit" class="button button--primary">
        Apply
      </button>
      <a class="button button--ghost" href="/sync-status">
        Clear
      </a>
    </div>
  </form>
);

export const StatusTotals: FC<{ state: ListState; totals: SyncStatusList['totalsByStatus'] }> = ({ state, totals }) => {
  const all = Object.values(totals).reduce((sum, n) => sum + n, 0);
  const link = (status: string | undefined) => syncStatusHref({ ...state.filters, status, ...(state.limit !== DEFAULT_PAGE_SIZE ? { limit: state.limit } : {}) });
  return (
    <nav class="tabs" aria-label="Users per status">
      <a class="tabs__tab" href={link(undefined)} aria-current={state.filters.status === undefined ? 'true' : undefined}>
        All <span class="tabs__count">{formatNumber(all)}</span>
      </a>
      {SYNC_STATUSES.filter((status) => totals[status] > 0 || state.filters.status === status).map((status) => (
        <a class="tabs__tab" href={link(status)} aria-current={state.filters.status === status ? 'true' : undefined}>
          {statusLabel(status)} <span class="tabs__count">{formatNumber(totals[status])}</span>
        </a>
      ))}
    </nav>
  );
};

export const Pagination: FC<{ state: ListState; list: SyncStatusList }> = ({ state, list }) => {
  const total = state.filters.status ? list.totalsByStatus[state.filters.status] : Object.values(list.totalsByStatus).reduce((sum, n) => sum + n, 0);
  const first = (state.page - 1) * state.limit + 1;
  const last = first + list.items.length - 1;
  const previous =
    state.page === 2
      ? hereWith(state, { cursor: undefined, back: undefined, page: undefined, user: undefined })
      : state.back.length > 0
        ? hereWith(state, { cursor: state.back[state.back.length - 1], back: state.back.slice(0, -1).join('.') || undefined, page: state.page - 1, user: undefined })
        : null;
  const next = list.nextCursor
    ? hereWith(state, {
        cursor: list.nextCursor,
        back: [...state.back, ...(state.cursor ? [state.cursor] : [])].slice(-MAX_BACK_CURSORS).join('.') || undefined,
        page: state.page + 1,
        user: undefined,
      })
    : null;
  return (
    <nav class="pagination" aria-label="Pages">
      <p class="pagination__summary" data-testid="page-summary">
        {list.items.length === 0 ? 'No users' : `Showing ${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(total)}`}
      </p>
      <div class="pagination__links">
        {state.page > 1 ? (
          <a class="button button--ghost" href={hereWith(state, { cursor: undefined, back: undefined, page: undefined, user: undefined })}>
            First page
          </a>
        ) : null}
        {previous ? (
          <a class="button button--secondary" href={previous} rel="prev">
            Previous
          </a>
        ) : null}
        <span class="pagination__page">Page {formatNumber(state.page)}</span>
        {next ? (
          <a class="button button--secondary" href={next} rel="next" data-testid="next-page">
            Next
          </a>
        ) : null}
      </div>
    </nav>
  );
};
