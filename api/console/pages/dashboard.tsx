import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import { SYNC_STATUSES } from '../../../store/vocabulary.js';
import type { ConnectionList, Dashboard } from '../api-types.js';
import { sendPage, type PageDeps } from '../render.js';
import { Code, EmptyState, Notice, PageHeader, StatusBadge, TableScroll, Time } from '../views/components.js';
import { errorTitle, formatNumber, plural } from '../views/format.js';
import { syncStatusHref } from './sync-status-links.js';

const StatCard: FC<{ label: string; value: number; href?: string; hint: string; tone?: 'danger'; testId: string }> = ({ label, value, href, hint, tone, testId }) => {
  const body = (
    <>
      <span class="stat__label">{label}</span>
      <span class="stat__value" data-testid={testId}>
        {formatNumber(value)}
      </span>
      <span class="stat__hint">{hint}</span>
    </>
  );
  const classes = `stat${tone && value > 0 ? ` stat--${tone}` : ''}`;
  return href ? (
    <a class={`${classes} stat--link`} href={href}>
      {body}
    </a>
  ) : (
    <div class={classes}>{body}</div>
  );
};

const ConnectionAlert: FC<{ connections: ConnectionList['items'] }> = ({ connections }) => {
  const failing = connections.filter((connection) => connection.status === 'Error');
  if (failing.length === 0) return null;
  return (
    <Notice tone="danger" title={failing.length === 1 ? 'A connection is in Error' : `${failing.length} connections are in Error`} testId="connection-alert">
      <p>
        {failing.map((connection) => connection.name).join(', ')}: every user synced through it fails until its credentials work again. <a href="/connections">Go to Connections</a> to update the
        credentials and run Test connection.
      </p>
    </Notice>
  );
};

const UsersByStatus: FC<{ dashboard: Dashboard }> = ({ dashboard }) => (
  <section class="card" aria-labelledby="by-status">
    <h2 id="by-status">Users by status</h2>
    <ul class="status-list">
      {SYNC_STATUSES.map((status) => (
        <li>
          <a class="status-list__row" href={syncStatusHref({ status })} data-testid={`status-count-${status}`}>
            <StatusBadge status={status} />
            <span class="status-list__count">{formatNumber(dashboard.usersByStatus[status])}</span>
          </a>
        </li>
      ))}
    </ul>
  </section>
);

const FailedUsers: FC<{ dashboard: Dashboard }> = ({ dashboard }) => (
  <section class="card card--wide" aria-labelledby="failed-users">
    <div class="card__header">
      <h2 id="failed-users">Failed users</h2>
      {dashboard.failedUsersTotal > dashboard.failedUsers.length ? (
        <a href={syncStatusHref({ status: 'Failed' })}>View all {plural(dashboard.failedUsersTotal, 'failed user')}</a>
      ) : dashboard.failedUsersTotal > 0 ? (
        <a href={syncStatusHref({ status: 'Failed' })}>Open in Sync status</a>
      ) : null}
    </div>
    {dashboard.failedUsers.length === 0 ? (
      <EmptyState title="No failed users">Every user's last cycle completed.</EmptyState>
    ) : (
      <TableScroll label="Failed users">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Error</th>
              <th scope="col">Since</th>
              <th scope="col">What to do</th>
            </tr>
          </thead>
          <tbody>
            {dashboard.failedUsers.map((user) => (
              <tr>
                <td>
                  <a href={syncStatusHref({ status: 'Failed', user: user.userId })}>{user.displayName}</a>
                  <div class="muted small">{user.sourceEmail}</div>
                </td>
                <td>
                  {user.errorCode ? (
                    <>
                      {errorTitle(user.errorCode)}
                      <div>
                        <Code value={user.errorCode} />
                      </div>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <Time iso={user.errorAt} empty="—" />
                </td>
                <td class="small">{user.recommendedAction ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    )}
  </section>
);

export async function dashboardPage(c: Context, deps: PageDeps): Promise<Response> {
  const [dashboard, connections] = await Promise.all([deps.api.get<Dashboard>('/api/dashboard'), deps.api.get<ConnectionList>('/api/connections')]);
  const live = (
    <>
      <ConnectionAlert connections={connections.items} />
      <div class="stats">
        <StatCard label="Users" value={dashboard.totalUsers} href={syncStatusHref({})} hint="selected by a policy" testId="total-users" />
        <StatCard label="Items synced" value={dashboard.itemsSynced} hint={`${formatNumber(dashboard.itemCounts.failed + dashboard.itemCounts.skipped)} could not be copied`} testId="items-synced" />
        <StatCard label="Changes, last 24 hours" value={dashboard.changesLast24Hours.itemsChanged} hint="imported, relabelled or deleted" testId="changes-24h" />
        <StatCard label="Failed users" value={dashboard.failedUsersTotal} href={syncStatusHref({ status: 'Failed' })} hint="last cycle could not complete" tone="danger" testId="failed-users" />
      </div>
      <div class="grid">
        <UsersByStatus dashboard={dashboard} />
        <FailedUsers dashboard={dashboard} />
      </div>
    </>
  );
  return sendPage(c, deps, {
    title: 'Dashboard',
    section: 'dashboard',
    head: <PageHeader title="Dashboard" description="Where every user's sync stands. The figures refresh on their own." />,
    live,
  });
}
