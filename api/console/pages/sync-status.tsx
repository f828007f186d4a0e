import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import { SYNC_STAGES, SYNC_STATUSES, USER_ERROR_CODES, type SyncStage, type SyncStatus, type UserErrorCode } from '../../../store/vocabulary.js';
import { ConsoleApiError } from '../api-reader.js';
import type { ItemList, PolicyList, SyncStatusList, SyncUserDetail } from '../api-types.js';
import { sendPage, type PageDeps } from '../render.js';
import { Code, EmptyState, Notice, PageHeader, StatusBadge, TableScroll, Time } from '../views/components.js';
import { errorTitle, formatNumber, pausedReasonLabel, stageLabel, statusLabel } from '../views/format.js';
import { cursorParam, intParam, oneOf, positiveIntParam, queryOf, textParam, uuidParam } from './query-params.js';
import { syncStatusHref, type SyncStatusLink } from './sync-status-links.js';
import { SyncUserPanel } from './sync-user-panel.js';

const PAGE_SIZES = [25, 50, 100, 200] as const;
const DEFAULT_PAGE_SIZE = 50;
/** Previous pages remembered in the address; beyond this, First page still works. */
const MAX_BACK_CURSORS = 20;
const ITEMS_PER_PANEL = 20;

interface ListFilters {
  status?: SyncStatus;
  stage?: SyncStage;
  policyId?: string;
  errorCode?: UserErrorCode;
  q?: string;
}

interface ListState {
  filters: ListFilters;
  limit: number;
  cursor?: string;
  back: string[];
  page: number;
  user?: string;
  itemsCursor?: string;
}

function readState(c: Context): ListState {
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
    back: cursor ? (query.back ?? '').split('.').filter((value) => cursorParam(value) !== undefined).slice(-MAX_BACK_CURSORS) : [],
    page: cursor ? positiveIntParam(query.page, 2) : 1,
    user: uuidParam(query.user),
    itemsCursor: cursorParam(query.itemsCursor),
  };
}

/** The address of this very list (same filters and page), with changes. */
function hereWith(state: ListState, changes: Partial<SyncStatusLink> = {}): string {
  return syncStatusHref({
    ...state.filters,
    ...(state.limit !== DEFAULT_PAGE_SIZE ? { limit: state.limit } : {}),
    ...(state.cursor ? { cursor: state.cursor, back: state.back.join('.') || undefined, page: state.page } : {}),
    ...(state.user ? { user: state.user } : {}),
    ...changes,
  });
}

const Filters: FC<{ state: ListState; policies: PolicyList['items'] }> = ({ state, policies }) => (
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

const StatusTotals: FC<{ state: ListState; totals: SyncStatusList['totalsByStatus'] }> = ({ state, totals }) => {
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

const UserRow: FC<{ user: SyncStatusList['items'][number]; href: string; selected: boolean; policyName: string }> = ({ user, href, selected, policyName }) => (
  <tr data-href={href} class={selected ? 'is-selected' : undefined} aria-selected={selected ? 'true' : undefined} data-testid="user-row">
    <td>
      <a href={href} class="row-link">
        {user.displayName}
      </a>
      <div class="muted small">{user.sourceEmail}</div>
    </td>
    <td class="small col-optional">{user.targetEmail}</td>
    <td class="small col-optional">{policyName}</td>
    <td>
      <StatusBadge status={user.status} />
      {user.errorCode ? (
        <div class="small">
          <Code value={user.errorCode} />
        </div>
      ) : null}
      {user.status === 'Paused' && user.pausedReason ? <div class="small muted">{pausedReasonLabel(user.pausedReason)}</div> : null}
    </td>
    <td class="small col-optional">{stageLabel(user.stage)}</td>
    <td class="small col-optional">
      <Time iso={user.lastSyncAt} />
    </td>
    <td class="small col-optional">
      <Time iso={user.nextSyncAt} empty="—" />
    </td>
    <td class="num small col-optional">
      {formatNumber(user.counts.imported)} / {formatNumber(user.counts.exported)}
      {user.counts.failed + user.counts.skipped > 0 ? <div class="muted">{formatNumber(user.counts.failed + user.counts.skipped)} not copied</div> : null}
    </td>
  </tr>
);

const Pagination: FC<{ state: ListState; list: SyncStatusList }> = ({ state, list }) => {
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
    ? hereWith(state, { cursor: list.nextCursor, back: [...state.back, ...(state.cursor ? [state.cursor] : [])].slice(-MAX_BACK_CURSORS).join('.') || undefined, page: state.page + 1, user: undefined })
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

async function readPanel(deps: PageDeps, state: ListState, policyNames: Map<string, string>) {
  if (!state.user) return null;
  try {
    const [user, items] = await Promise.all([
      deps.api.get<SyncUserDetail>(`/api/sync-status/${state.user}`),
      deps.api.attempt<ItemList>(`/api/sync-status/${state.user}/items`, { limit: ITEMS_PER_PANEL, cursor: state.itemsCursor }),
    ]);
    const moreItemsHref = items.ok && items.value.nextCursor ? hereWith(state, { user: state.user, itemsCursor: items.value.nextCursor }) : null;
    return (
      <SyncUserPanel user={user} policyName={policyNames.get(user.policyId) ?? 'Unknown policy'} items={items} closeHref={hereWith(state, { user: undefined })} moreItemsHref={moreItemsHref} />
    );
  } catch (err) {
    if (err instanceof ConsoleApiError && err.status === 404) {
      return <Notice tone="warning">This user is no longer in the list (the id is unknown). Pick another user in the table.</Notice>;
    }
    throw err;
  }
}

export async function syncStatusPage(c: Context, deps: PageDeps): Promise<Response> {
  const state = readState(c);
  const [policies, list] = await Promise.all([
    deps.api.get<PolicyList>('/api/policies', { limit: 500 }),
    deps.api.get<SyncStatusList>('/api/sync-status', { ...state.filters, limit: state.limit, cursor: state.cursor }),
  ]);
  const policyNames = new Map(policies.items.map((policy) => [policy.id, policy.name]));
  const panel = await readPanel(deps, state, policyNames);
  const filtered = Object.values(state.filters).some((value) => value !== undefined);

  const table =
    list.items.length === 0 ? (
      <EmptyState title={filtered ? 'No user matches these filters' : 'No users yet'}>
        {filtered ? 'Change or clear the filters.' : 'Users appear here once an enabled policy selects them.'}
      </EmptyState>
    ) : (
      <TableScroll label="Users">
        <table class="table table--rows users-table" data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col" class="col-optional">
                Google address
              </th>
              <th scope="col" class="col-optional">
                Policy
              </th>
              <th scope="col">Status</th>
              <th scope="col" class="col-optional">
                Stage
              </th>
              <th scope="col" class="col-optional">
                Last sync
              </th>
              <th scope="col" class="col-optional">
                Next sync
              </th>
              <th scope="col" class="num col-optional">
                Imported / exported
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((user) => (
              <UserRow user={user} href={hereWith(state, { user: user.userId })} selected={user.userId === state.user} policyName={policyNames.get(user.policyId) ?? '—'} />
            ))}
          </tbody>
        </table>
      </TableScroll>
    );

  return sendPage(c, deps, {
    title: 'Sync status',
    section: 'sync-status',
    head: (
      <>
        <PageHeader title="Sync status" description="Every user a policy selected: where their sync stands. Select a user for the details and actions." />
        <Filters state={state} policies={policies.items} />
      </>
    ),
    live: (
      <>
        <StatusTotals state={state} totals={list.totalsByStatus} />
        <div class={panel ? 'split split--open' : 'split'}>
          {panel ? <div class="split__panel">{panel}</div> : null}
          <div class="split__list">
            {table}
            <Pagination state={state} list={list} />
          </div>
        </div>
      </>
    ),
  });
}
