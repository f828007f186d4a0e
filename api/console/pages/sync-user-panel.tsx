import type { FC } from 'hono/jsx';
import type { Attempt } from '../api-reader.js';
import type { ItemList, SyncUserDetail } from '../api-types.js';
import { ApiButton, Code, EmptyState, Notice, StatusBadge, TableScroll, Time } from '../views/components.js';
import { DetailsList } from '../views/details-list.js';
import { dataTypeLabel, errorTitle, formatBytes, formatNumber, pausedReasonLabel, stageLabel } from '../views/format.js';

export interface PanelProps {
  user: SyncUserDetail;
  policyName: string;
  items: Attempt<ItemList>;
  closeHref: string;
  /** The items view's next page, when there is one. */
  moreItemsHref: string | null;
}

interface PauseState {
  byOperator: boolean;
  byPolicy: boolean;
}

/** The workflow's own answer when it gave one, else the stored projection (same rule as the API's actions). */
function pauseStateOf(user: SyncUserDetail): PauseState {
  const reasons = user.live ? user.live.pausedBy : user.status === 'Paused' && user.pausedReason ? [user.pausedReason] : [];
  return { byOperator: reasons.includes('operator'), byPolicy: reasons.includes('policy-disabled') };
}

/** Where the recommended action sends the administrator, as a link next to it. */
function nextStepLink(user: SyncUserDetail): { href: string; label: string } | null {
  const code = user.error?.code;
  if (code === undefined) return null;
  if (code === 'AUTH_TOKEN_EXPIRED' || code === 'CONNECTION_UNAVAILABLE') return { href: '/connections', label: 'Go to Connections' };
  return { href: `/audit-logs?userId=${user.userId}&code=${code}`, label: 'Open the audit log entries for this error' };
}

const ErrorBlock: FC<{ user: SyncUserDetail }> = ({ user }) => {
  const error = user.error;
  if (!error) return null;
  const link = nextStepLink(user);
  return (
    <Notice tone="danger" title={errorTitle(error.code)} testId="user-error">
      <p data-testid="error-message">{error.message}</p>
      <dl class="facts">
        <div>
          <dt>Error code</dt>
          <dd>
            <Code value={error.code} testId="error-code" />
          </dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            <Time iso={error.at} />
          </dd>
        </div>
      </dl>
      {error.recommendedAction ? (
        <div class="recommended" data-testid="recommended-action">
          <p class="recommended__title">What to do</p>
          <p>{error.recommendedAction}</p>
          {link ? <a href={link.href}>{link.label}</a> : null}
        </div>
      ) : null}
      {Object.keys(error.details).length > 0 ? (
        <details class="disclosure" id={`error-details-${user.userId}`}>
          <summary>The service's own error</summary>
          <DetailsList details={error.details} />
        </details>
      ) : null}
    </Notice>
  );
};

const Actions: FC<{ user: SyncUserDetail }> = ({ user }) => {
  const base = `/api/sync-status/${user.userId}`;
  if (user.status === 'Excluded') {
    return <p class="muted">This user's sync has ended (Excluded). It starts again if a policy selects them.</p>;
  }
  const pause = pauseStateOf(user);
  const paused = pause.byOperator || pause.byPolicy;
  return (
    <div class="actions" role="group" aria-label="Actions for this user">
      <ApiButton method="POST" path={`${base}/pause`} disabled={paused} testId="pause">
        Pause
      </ApiButton>
      <ApiButton method="POST" path={`${base}/resume`} disabled={!pause.byOperator} testId="resume">
        Resume
      </ApiButton>
      <ApiButton method="POST" path={`${base}/retry`} variant="primary" disabled={paused} testId="retry">
        Retry
      </ApiButton>
      <a class="button button--link" href={user.temporalUiUrl} target="_blank" rel="noopener noreferrer" data-testid="temporal-link">
        Open the workflow in Temporal UI
      </a>
      {pause.byPolicy ? <p class="muted small">Paused because {pausedReasonLabel('policy-disabled')}: enable the policy on the Policies page to resume.</p> : null}
    </div>
  );
};

const InitialSyncProgress: FC<{ user: SyncUserDetail }> = ({ user }) => {
  if (user.stage !== 'InitialSync') return null;
  const total = user.initialSync.estimatedTotal;
  const done = user.counts.exported;
  return (
    <section class="panel__section" aria-labelledby="progress-title">
      <h3 id="progress-title">Initial Sync progress</h3>
      {total ? <progress max={total} value={Math.min(done, total)} aria-labelledby="progress-title" data-testid="initial-sync-progress" /> : <progress aria-labelledby="progress-title" data-testid="initial-sync-progress" />}
      <p class="small">
        {formatNumber(done)} {total ? `of about ${formatNumber(total)}` : ''} items read; last progress <Time iso={user.initialSync.lastProgressAt} empty="not yet" />.
      </p>
      {user.initialSync.stalled ? (
        <Notice tone="warning" title="No progress for a while">
          The initial sync has not moved for longer than expected. <a href={`/audit-logs?userId=${user.userId}`}>Check the audit log for this user</a>.
        </Notice>
      ) : null}
    </section>
  );
};

const Counts: FC<{ user: SyncUserDetail }> = ({ user }) => {
  const rows = Object.entries(user.countsByType).filter((entry): entry is [string, NonNullable<(typeof entry)[1]>] => entry[1] !== undefined);
  return (
    <section class="panel__section" aria-labelledby="counts-title">
      <h3 id="counts-title">Items by data type</h3>
      <TableScroll label="Items by data type">
        <table class="table table--compact" data-testid="counts-by-type">
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col" class="num">Exported</th>
              <th scope="col" class="num">Imported</th>
              <th scope="col" class="num">Failed</th>
              <th scope="col" class="num">Skipped</th>
            </tr>
          </thead>
          <tbody>
            {(rows.length > 0 ? rows : [['all', user.counts] as const]).map(([type, counts]) => (
              <tr>
                <th scope="row">{type === 'all' ? 'All' : dataTypeLabel(type)}</th>
                <td class="num">{formatNumber(counts.exported)}</td>
                <td class="num">{formatNumber(counts.imported)}</td>
                <td class="num">{formatNumber(counts.failed)}</td>
                <td class="num">{formatNumber(counts.skipped)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
};

const RecentCycles: FC<{ user: SyncUserDetail }> = ({ user }) => (
  <section class="panel__section" aria-labelledby="cycles-title">
    <h3 id="cycles-title">Recent cycles</h3>
    {user.recentCycles.length === 0 ? (
      <p class="muted">No cycle has run yet.</p>
    ) : (
      <TableScroll label="Recent cycles">
        <table class="table table--compact">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Kind</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {user.recentCycles.map((cycle) => (
              <tr>
                <td>
                  <Time iso={cycle.startedAt} />
                </td>
                <td>
                  {cycle.kind === 'initial' ? 'Initial' : 'Delta'} <span class="muted small">({cycle.trigger.replace('-', ' ')})</span>
                </td>
                <td>
                  {cycle.outcome === 'failed' ? <strong class="text-danger">Failed</strong> : cycle.outcome === 'running' ? 'Running' : 'Succeeded'}
                  {cycle.errorCode ? (
                    <>
                      {' '}
                      <Code value={cycle.errorCode} />
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    )}
  </section>
);

const ItemsView: FC<Pick<PanelProps, 'user' | 'items' | 'moreItemsHref'>> = ({ user, items, moreItemsHref }) => {
  const byCode = Object.entries(user.itemErrorsByCode).filter(([, count]) => count > 0);
  return (
    <section class="panel__section" aria-labelledby="items-title">
      <h3 id="items-title">Items that could not be copied</h3>
      {byCode.length > 0 ? (
        <ul class="chips">
          {byCode.map(([code, count]) => (
            <li class="chip">
              {errorTitle(code)}: {formatNumber(count)}
            </li>
          ))}
        </ul>
      ) : null}
      {!items.ok ? (
        <Notice tone="warning">The items could not be read: {items.error.problem.detail}</Notice>
      ) : items.value.items.length === 0 ? (
        <EmptyState title="Every item was copied">Items that cannot be copied (too large, encrypted, unsupported) are listed here; they do not change the user's status.</EmptyState>
      ) : (
        <TableScroll label="Items that could not be copied">
          <table class="table table--compact" data-testid="failed-items">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Reason</th>
                <th scope="col" class="num">Size</th>
              </tr>
            </thead>
            <tbody>
              {items.value.items.map((item) => (
                <tr>
                  <td>
                    {item.subject ?? <span class="muted">(subject not kept)</span>}
                    <div class="muted small">
                      {dataTypeLabel(item.type)} · {item.folderName} · {item.status}
                    </div>
                  </td>
                  <td>
                    <strong>{errorTitle(item.errorCode)}</strong> <Code value={item.errorCode} className="small" />
                    <div class="small">{item.reason}</div>
                  </td>
                  <td class="num">{formatBytes(item.sizeBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {moreItemsHref ? <a href={moreItemsHref}>More items</a> : null}
    </section>
  );
};

/** The detail panel of one user: what is wrong and what to do, the actions, the numbers, the failed items. */
export const SyncUserPanel: FC<PanelProps> = ({ user, policyName, items, closeHref, moreItemsHref }) => (
  <section class="panel" aria-labelledby="panel-title" data-testid="detail-panel">
    <header class="panel__header">
      <div>
        <h2 id="panel-title" tabindex={-1} data-autofocus>
          {user.displayName}
        </h2>
        <p class="muted small">
          {user.sourceEmail} → {user.targetEmail}
        </p>
      </div>
      <a class="button button--ghost" href={closeHref} data-close-panel aria-label="Close the detail panel">
        ✕
      </a>
    </header>
    <dl class="facts facts--inline">
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={user.status} />
        </dd>
      </div>
      <div>
        <dt>Stage</dt>
        <dd>{stageLabel(user.stage)}</dd>
      </div>
      <div>
        <dt>Policy</dt>
        <dd>{policyName}</dd>
      </div>
      <div>
        <dt>Last sync</dt>
        <dd>
          <Time iso={user.lastSyncAt} />
        </dd>
      </div>
      <div>
        <dt>Next sync</dt>
        <dd>
          <Time iso={user.nextSyncAt} empty="Not scheduled" />
        </dd>
      </div>
      {user.live ? (
        <div>
          <dt>Now</dt>
          <dd>{user.live.currentActivity}</dd>
        </div>
      ) : null}
    </dl>
    <ErrorBlock user={user} />
    <Actions user={user} />
    <InitialSyncProgress user={user} />
    <Counts user={user} />
    <ItemsView user={user} items={items} moreItemsHref={moreItemsHref} />
    <RecentCycles user={user} />
    <p class="small muted">
      Workflow <code>{user.workflowId}</code> · <a href={`/audit-logs?userId=${user.userId}`}>Audit log for this user</a>
    </p>
  </section>
);
