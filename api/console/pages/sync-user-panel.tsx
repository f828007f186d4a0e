import type { FC } from 'hono/jsx';
import type { Attempt } from '../api-reader.js';
import type { ItemList, SyncUserDetail } from '../api-types.js';
import { ApiButton, Code, Notice, StatusBadge, Time } from '../views/components.js';
import { DetailsList } from '../views/details-list.js';
import { errorTitle, formatNumber, pausedReasonLabel, stageLabel } from '../views/format.js';
import { Counts, ItemsView, RecentCycles } from './sync-user-numbers.js';

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
      {total ? (
        <progress max={total} value={Math.min(done, total)} aria-labelledby="progress-title" data-testid="initial-sync-progress" />
      ) : (
        <progress aria-labelledby="progress-title" data-testid="initial-sync-progress" />
      )}
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
      {user.syncedBy ? (
        <div data-testid="panel-synced-by">
          <dt>Synced by</dt>
          <dd>
            <a href={`/sync-status?user=${encodeURIComponent(user.syncedBy.userId)}`}>the sync of policy {user.syncedBy.policyId}</a>: this policy starts no second copy
          </dd>
        </div>
      ) : null}
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
