import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import { ConsoleApiError } from '../api-reader.js';
import type { ItemList, PolicyList, SyncStatusList, SyncUserDetail } from '../api-types.js';
import { sendPage, type PageDeps } from '../render.js';
import { Code, EmptyState, Notice, PageHeader, StatusBadge, TableScroll, Time } from '../views/components.js';
import { formatNumber, pausedReasonLabel, stageLabel } from '../views/format.js';
import { Filters, Pagination, StatusTotals } from './sync-status-controls.js';
import { hereWith, readState, type ListState } from './sync-status-state.js';
import { SyncUserPanel } from './sync-user-panel.js';

const ITEMS_PER_PANEL = 20;

const UserRow: FC<{ user: SyncStatusList['items'][number]; href: string; selected: boolean; policyName: string; syncedByName: string | null }> = ({
  user,
  href,
  selected,
  policyName,
  syncedByName,
}) => (
  <tr data-href={href} class={selected ? 'is-selected' : undefined} aria-selected={selected ? 'true' : undefined} data-testid="user-row">
    <td>
      <a href={href} class="row-link">
        {user.displayName}
      </a>
      <div class="muted small">{user.sourceEmail}</div>
      <div class="muted small">→ {user.targetEmail}</div>
    </td>
    <td class="small col-optional">{policyName}</td>
    <td>
      <StatusBadge status={user.status} />
      {user.errorCode ? (
        <div class="small">
          <Code value={user.errorCode} />
        </div>
      ) : null}
      {user.status === 'Paused' && user.pausedReason ? <div class="small muted">{pausedReasonLabel(user.pausedReason)}</div> : null}
      {user.syncedBy ? (
        <div class="small muted" data-testid="synced-by">
          Synced by policy {syncedByName ?? user.syncedBy.policyId}
        </div>
      ) : null}
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

async function readPanel(deps: PageDeps, state: ListState, policyNames: Map<string, string>) {
  if (!state.user) return null;
  try {
    const [user, items] = await Promise.all([
      deps.api.get<SyncUserDetail>(`/api/sync-status/${state.user}`),
      deps.api.attempt<ItemList>(`/api/sync-status/${state.user}/items`, { limit: ITEMS_PER_PANEL, cursor: state.itemsCursor }),
    ]);
    const moreItemsHref = items.ok && items.value.nextCursor ? hereWith(state, { user: state.user, itemsCursor: items.value.nextCursor }) : null;
    return <SyncUserPanel user={user} policyName={policyNames.get(user.policyId) ?? 'Unknown policy'} items={items} closeHref={hereWith(state, { user: undefined })} moreItemsHref={moreItemsHref} />;
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
              <th scope="col">User (Microsoft 365 → Google)</th>
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
              <UserRow
                user={user}
                href={hereWith(state, { user: user.userId })}
                selected={user.userId === state.user}
                policyName={policyNames.get(user.policyId) ?? '—'}
                syncedByName={user.syncedBy ? (policyNames.get(user.syncedBy.policyId) ?? null) : null}
              />
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
