import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { Connection, ConnectionList } from '../api-types.js';
import { sendPage, type PageDeps } from '../render.js';
import { Code, ConnectionStatusBadge, EmptyState, Notice, PageHeader, Time } from '../views/components.js';
import { DetailsList } from '../views/details-list.js';
import { kindLabel } from '../views/format.js';
import { ActionMenu } from '../views/menu.js';
import { CredentialsDialog, credentialsDialogId } from './credentials-dialog.js';

function settingsOf(connection: Connection): [string, string][] {
  if (connection.kind === 'microsoft365') {
    return [
      ['Tenant id', connection.settings.tenantId],
      ['Application (client) id', connection.settings.clientId],
    ];
  }
  return [
    ['Service account', connection.settings.serviceAccountEmail],
    ['Administrator it acts as', connection.settings.adminSubject],
    ['Domain', connection.settings.domain],
  ];
}

const ConnectionCard: FC<{ connection: Connection }> = ({ connection }) => (
  <article class="card connection" aria-labelledby={`connection-${connection.id}`} data-testid="connection" data-connection-kind={connection.kind}>
    <header class="card__header">
      <div>
        <h2 id={`connection-${connection.id}`}>{connection.name}</h2>
        <p class="muted small">{kindLabel(connection.kind)}</p>
      </div>
      <div class="connection__status">
        <ConnectionStatusBadge status={connection.status} />
        <ActionMenu
          id={`menu-${connection.id}`}
          label={`Actions for ${connection.name}`}
          items={[
            { label: 'Test connection', api: `POST /api/connections/${connection.id}/test`, result: 'connection-test', testId: 'test-connection' },
            { label: 'Update credentials', opensDialog: credentialsDialogId(connection), testId: 'update-credentials' },
          ]}
        />
      </div>
    </header>
    <dl class="facts">
      {settingsOf(connection).map(([label, value]) => (
        <div>
          <dt>{label}</dt>
          <dd>
            <code>{value}</code>
          </dd>
        </div>
      ))}
      <div>
        <dt>Last tested</dt>
        <dd data-testid="last-tested">
          <Time iso={connection.lastTestedAt} />
        </dd>
      </div>
    </dl>
    {connection.lastError ? (
      <Notice tone={connection.status === 'Error' ? 'danger' : 'warning'} title={connection.status === 'Error' ? 'Last error' : 'Last error (before the last successful test)'} testId="last-error">
        <p>{connection.lastError.message}</p>
        <p class="small">
          <Code value={connection.lastError.code} /> · <Time iso={connection.lastError.at} />
        </p>
        {Object.keys(connection.lastError.details).length > 0 ? (
          <details class="disclosure" id={`connection-error-${connection.id}`}>
            <summary>The service's own error</summary>
            <DetailsList details={connection.lastError.details} />
          </details>
        ) : null}
        {connection.status === 'Error' ? <p class="small">Update the credentials from the ⋯ menu, then run Test connection. Users waiting on this connection resume on their own.</p> : null}
      </Notice>
    ) : null}
  </article>
);

export async function connectionsPage(c: Context, deps: PageDeps): Promise<Response> {
  const { items } = await deps.api.get<ConnectionList>('/api/connections');
  return sendPage(c, deps, {
    title: 'Connections',
    section: 'connections',
    head: (
      <>
        <PageHeader
          title="Connections"
          description="The Microsoft 365 tenant mail is read from and the Google Workspace domain it is copied to. A connection in Error stops every user synced through it until its credentials work again."
        />
        {items.map((connection) => (
          <CredentialsDialog connection={connection} />
        ))}
      </>
    ),
    live:
      items.length === 0 ? (
        <EmptyState title="No connections yet">Connections are created on first start from the configuration, or through the API.</EmptyState>
      ) : (
        <div class="connections">
          {items.map((connection) => (
            <ConnectionCard connection={connection} />
          ))}
        </div>
      ),
  });
}
