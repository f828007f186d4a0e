import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { ConnectionList, Policy, PolicyDetail, PolicyList } from '../api-types.js';
import { sendPage, type PageDeps } from '../render.js';
import { ApiButton, EmptyState, EnabledBadge, PageHeader, TableScroll } from '../views/components.js';
import { dataTypeLabel, formatInterval, formatNumber } from '../views/format.js';
import { syncStatusHref } from './sync-status-links.js';

/** Rules in one line: what an administrator checks first ("who does this policy take?"). */
export function describeRules(rules: Policy['rules']): string {
  const parts: string[] = [];
  if (rules.allUsers) parts.push('All users');
  if (rules.groupIds?.length) parts.push(`${rules.groupIds.length} group${rules.groupIds.length === 1 ? '' : 's'}`);
  if (rules.domains?.length) parts.push(`domains ${rules.domains.join(', ')}`);
  if (rules.include?.length) parts.push(`${rules.include.length} added`);
  if (rules.exclude?.length) parts.push(`${rules.exclude.length} excluded`);
  return parts.length > 0 ? parts.join(' · ') : 'Nobody (no rule yet)';
}

const UsersCell: FC<{ detail: PolicyDetail }> = ({ detail }) => {
  const total = Object.values(detail.usersByStatus).reduce((sum, n) => sum + n, 0);
  return (
    <>
      <a href={syncStatusHref({ policyId: detail.id })}>{formatNumber(total)} users</a>
      {detail.usersByStatus.Failed > 0 ? (
        <div class="small">
          <a class="text-danger" href={syncStatusHref({ policyId: detail.id, status: 'Failed' })}>
            {formatNumber(detail.usersByStatus.Failed)} failed
          </a>
        </div>
      ) : null}
      {detail.usersByStatus.Paused > 0 ? <div class="small muted">{formatNumber(detail.usersByStatus.Paused)} paused</div> : null}
      {detail.usersByStatus.SyncedElsewhere > 0 ? (
        <div class="small muted">
          <a href={syncStatusHref({ policyId: detail.id, status: 'SyncedElsewhere' })}>{formatNumber(detail.usersByStatus.SyncedElsewhere)} synced by another policy</a>
        </div>
      ) : null}
    </>
  );
};

const PolicyRow: FC<{ detail: PolicyDetail; connectionNames: Map<string, string> }> = ({ detail, connectionNames }) => (
  <tr data-testid="policy-row">
    <td>
      <a href={`/policies/${detail.id}/edit`}>{detail.name}</a>
      <div class="muted small">{describeRules(detail.rules)}</div>
    </td>
    <td>
      <EnabledBadge enabled={detail.enabled} />
      {detail.lastReconcileError ? (
        <div class="small text-danger" data-testid="reconcile-error">
          <code>{detail.lastReconcileError.code}</code> {detail.lastReconcileError.message}
        </div>
      ) : null}
    </td>
    <td class="small">
      {connectionNames.get(detail.sourceConnectionId) ?? '—'} → {connectionNames.get(detail.targetConnectionId) ?? '—'}
      <div class="muted">@{detail.targetDomain}</div>
    </td>
    <td class="small">
      {detail.dataTypes.map(dataTypeLabel).join(', ')}
      <div class="muted">{formatInterval(detail.cycleIntervalSeconds)}</div>
    </td>
    <td>
      <UsersCell detail={detail} />
    </td>
    <td>
      <div class="actions">
        {detail.enabled ? (
          <ApiButton method="POST" path={`/api/policies/${detail.id}/disable`} result="policy-switch" testId="disable-policy">
            Disable
          </ApiButton>
        ) : (
          <ApiButton method="POST" path={`/api/policies/${detail.id}/enable`} variant="primary" result="policy-switch" testId="enable-policy">
            Enable
          </ApiButton>
        )}
        <a class="button button--ghost" href={`/policies/${detail.id}/edit`}>
          Edit
        </a>
      </div>
    </td>
  </tr>
);

export async function policiesPage(c: Context, deps: PageDeps): Promise<Response> {
  const [policies, connections] = await Promise.all([deps.api.get<PolicyList>('/api/policies', { limit: 500 }), deps.api.get<ConnectionList>('/api/connections')]);
  // Few policies per installation: one read each gives the users per status the list shows.
  const details = await Promise.all(policies.items.map((policy) => deps.api.get<PolicyDetail>(`/api/policies/${policy.id}`)));
  const connectionNames = new Map(connections.items.map((connection) => [connection.id, connection.name]));
  return sendPage(c, deps, {
    title: 'Policies',
    section: 'policies',
    head: (
      <PageHeader
        title="Policies"
        description="Which Microsoft 365 users are synced, what is copied and how often. Disabling a policy pauses its users; enabling it resumes them on their next cycle."
        actions={
          <a class="button button--primary" href="/policies/new">
            New policy
          </a>
        }
      />
    ),
    live:
      details.length === 0 ? (
        <EmptyState title="No policies yet">Create a policy to choose which users are synced.</EmptyState>
      ) : (
        <TableScroll label="Policies">
          <table class="table" data-testid="policies-table">
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">State</th>
                <th scope="col">From → to</th>
                <th scope="col">Data and interval</th>
                <th scope="col">Users</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {details.map((detail) => (
                <PolicyRow detail={detail} connectionNames={connectionNames} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      ),
  });
}
