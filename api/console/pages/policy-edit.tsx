import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import { ConsoleApiError, type Attempt } from '../api-reader.js';
import type { ConnectionList, PolicyDetail, PolicyPreview } from '../api-types.js';
import { sendPage, type PageDeps } from '../render.js';
import { EmptyState, EnabledBadge, Notice, PageHeader, TableScroll } from '../views/components.js';
import { formatNumber } from '../views/format.js';
import { PolicyForm } from './policy-form.js';
import { uuidParam } from './query-params.js';

const PREVIEW_SIZE = 25;

const Preview: FC<{ preview: Attempt<PolicyPreview>; policyId: string }> = ({ preview, policyId }) => {
  if (!preview.ok) {
    return (
      <Notice tone="warning" title="The preview could not be read">
        {preview.error.problem.detail}
      </Notice>
    );
  }
  const page = preview.value;
  if (page.items.length === 0) return <EmptyState title="The rules select nobody">Add a rule: all users, groups, domains or addresses.</EmptyState>;
  return (
    <>
      <p data-testid="preview-total">
        The saved rules select <strong>{formatNumber(page.total)}</strong> {page.total === 1 ? 'user' : 'users'}
        {page.total > page.items.length ? `; the first ${page.items.length} are listed` : ''}.
      </p>
      <TableScroll label="Users the rules select">
        <table class="table table--compact" data-testid="preview-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">User principal name</th>
              <th scope="col">Account</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((user) => (
              <tr>
                <td>{user.displayName}</td>
                <td class="small">{user.userPrincipalName}</td>
                <td class="small">{user.accountEnabled ? 'Enabled' : 'Disabled in Microsoft 365'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p class="small muted">
        <a href={`/sync-status?policyId=${policyId}`}>See the sync status of this policy's users</a>
      </p>
    </>
  );
};

export async function newPolicyPage(c: Context, deps: PageDeps): Promise<Response> {
  const connections = await deps.api.get<ConnectionList>('/api/connections');
  return sendPage(c, deps, {
    title: 'New policy',
    section: 'policies',
    refresh: false,
    head: (
      <>
        <PageHeader title="New policy" description="Choose the users, what is copied and how often. Create it disabled to preview the users it selects before anything starts." />
        <PolicyForm connections={connections.items} />
      </>
    ),
    live: null,
  });
}

export async function editPolicyPage(c: Context, deps: PageDeps): Promise<Response> {
  const id = uuidParam(c.req.param('id'));
  if (!id) return c.redirect('/policies', 303);
  let policy: PolicyDetail;
  try {
    policy = await deps.api.get<PolicyDetail>(`/api/policies/${id}`);
  } catch (err) {
    if (err instanceof ConsoleApiError && err.status === 404) return c.redirect('/policies', 303);
    throw err;
  }
  const [connections, preview] = await Promise.all([deps.api.get<ConnectionList>('/api/connections'), deps.api.attempt<PolicyPreview>(`/api/policies/${id}/preview`, { limit: PREVIEW_SIZE })]);
  const saved = c.req.query('saved') !== undefined;
  return sendPage(c, deps, {
    title: `Policy ${policy.name}`,
    section: 'policies',
    // The preview asks Microsoft Graph each time: refreshed on request, not on a timer.
    refresh: false,
    head: (
      <>
        <PageHeader title={policy.name} description={<EnabledBadge enabled={policy.enabled} />} />
        {saved ? <Notice tone="success">The policy was saved.</Notice> : null}
        <PolicyForm policy={policy} connections={connections.items} />
      </>
    ),
    live: (
      <section class="card" aria-labelledby="preview-title" data-testid="policy-preview">
        <div class="card__header">
          <h2 id="preview-title">Users the rules select</h2>
          <button type="button" class="button button--secondary" data-refresh-now>
            Refresh preview
          </button>
        </div>
        <Preview preview={preview} policyId={id} />
      </section>
    ),
  });
}
