import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import { AUDIT_SEVERITIES, USER_ERROR_CODES, ITEM_ERROR_CODES } from '../../../store/vocabulary.js';
import { withQuery, type ApiReader } from '../api-reader.js';
import type { AuditEntry, AuditList, PolicyList, SyncStatusList, SyncUserDetail } from '../api-types.js';
import { sendPage, type PageDeps } from '../render.js';
import { Code, EmptyState, Notice, PageHeader, SeverityBadge, Time } from '../views/components.js';
import { DetailsList } from '../views/details-list.js';
import { codeParam, cursorParam, dateParam, oneOf, queryOf, textParam, uuidParam } from './query-params.js';

const PAGE_SIZE = 50;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Codes offered while typing; any other code can still be typed. */
const KNOWN_CODES = [...USER_ERROR_CODES, ...ITEM_ERROR_CODES, 'CONNECTION_AUTH_FAILED', 'CONNECTION_TEST_FAILED', 'CREDENTIALS_UPDATED', 'POLICY_ENABLED', 'POLICY_DISABLED'];

interface AuditState {
  severity?: (typeof AUDIT_SEVERITIES)[number];
  userId?: string;
  /** What the administrator typed in the User field: an address or a name. */
  user?: string;
  policyId?: string;
  code?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

function readState(c: Context): AuditState {
  const query = queryOf(c);
  return {
    severity: oneOf(query.severity, AUDIT_SEVERITIES),
    userId: uuidParam(query.userId),
    user: textParam(query.user),
    policyId: uuidParam(query.policyId),
    code: codeParam(query.code),
    from: dateParam(query.from),
    to: dateParam(query.to),
    cursor: cursorParam(query.cursor),
  };
}

type UserResolution = { userId?: string; label?: string; problem?: string };

/** The User field takes what an administrator knows (an address or a name); the API filters by id. */
async function resolveUser(api: ApiReader, state: AuditState): Promise<UserResolution> {
  if (state.userId) {
    const detail = await api.attempt<SyncUserDetail>(`/api/sync-status/${state.userId}`);
    return { userId: state.userId, label: detail.ok ? detail.value.sourceEmail : state.user };
  }
  if (!state.user) return {};
  const found = await api.get<SyncStatusList>('/api/sync-status', { q: state.user, limit: 10 });
  const wanted = state.user.toLowerCase();
  const exact = found.items.find((item) => item.sourceEmail === wanted || item.targetEmail === wanted);
  const match = exact ?? (found.items.length === 1 ? found.items[0] : undefined);
  if (match) return { userId: match.userId, label: match.sourceEmail };
  return { problem: found.items.length === 0 ? `No user matches “${state.user}”.` : `Several users match “${state.user}”: type the full email address.` };
}

function apiQuery(state: AuditState, userId: string | undefined) {
  const until = state.to ? new Date(Date.parse(`${state.to}T00:00:00Z`) + DAY_MS).toISOString() : undefined;
  return {
    severity: state.severity,
    userId,
    policyId: state.policyId,
    code: state.code,
    since: state.from ? `${state.from}T00:00:00Z` : undefined,
    until,
    limit: PAGE_SIZE,
    cursor: state.cursor,
  };
}

const Filters: FC<{ state: AuditState; policies: PolicyList['items']; userLabel?: string }> = ({ state, policies, userLabel }) => (
  <form class="filters" method="get" action="/audit-logs" data-auto-submit role="search" aria-label="Filter the audit log">
    <div class="field">
      <label for="audit-severity">Severity</label>
      <select id="audit-severity" name="severity">
        <option value="">Any severity</option>
        {AUDIT_SEVERITIES.map((severity) => (
          <option value={severity} selected={state.severity === severity}>
            {severity}
          </option>
        ))}
      </select>
    </div>
    <div class="field field--grow">
      <label for="audit-user">User</label>
      <input id="audit-user" name="user" type="search" value={userLabel ?? state.user ?? ''} placeholder="Email address" autocomplete="off" />
    </div>
    <div class="field">
      <label for="audit-policy">Policy</label>
      <select id="audit-policy" name="policyId">
        <option value="">Any policy</option>
        {policies.map((policy) => (
          <option value={policy.id} selected={state.policyId === policy.id}>
            {policy.name}
          </option>
        ))}
      </select>
    </div>
    <div class="field">
      <label for="audit-code">Code</label>
      <input id="audit-code" name="code" type="text" value={state.code ?? ''} list="audit-codes" placeholder="AUTH_TOKEN_EXPIRED" autocomplete="off" spellcheck={false} />
      <datalist id="audit-codes">
        {KNOWN_CODES.map((code) => (
          <option value={code}></option>
        ))}
      </datalist>
    </div>
    <div class="field">
      <label for="audit-from">From (UTC)</label>
      <input id="audit-from" name="from" type="date" value={state.from ?? ''} />
    </div>
    <div class="field">
      <label for="audit-to">To (UTC)</label>
      <input id="audit-to" name="to" type="date" value={state.to ?? ''} />
    </div>
    <div class="filters__buttons">
      <button type="submit" class="button button--primary">
        Apply
      </button>
      <a class="button button--ghost" href="/audit-logs">
        Clear
      </a>
    </div>
  </form>
);

const Entry: FC<{ entry: AuditEntry; policyNames: Map<string, string> }> = ({ entry, policyNames }) => (
  <li class="audit-entry" data-testid="audit-entry" data-severity={entry.severity}>
    <details id={`entry-${entry.id}`}>
      <summary class="audit-entry__summary">
        <span class="audit-entry__time">
          <Time iso={entry.at} />
        </span>
        <SeverityBadge severity={entry.severity} />
        <Code value={entry.code} className="audit-entry__code" />
        <span class="audit-entry__message">{entry.message}</span>
      </summary>
      <div class="audit-entry__body">
        <dl class="facts facts--inline">
          <div>
            <dt>Category</dt>
            <dd>{entry.category}</dd>
          </div>
          <div>
            <dt>By</dt>
            <dd>{entry.actor}</dd>
          </div>
          {entry.userId ? (
            <div>
              <dt>User</dt>
              <dd>
                <a href={withQuery('/sync-status', { user: entry.userId })}>Open in Sync status</a>
              </dd>
            </div>
          ) : null}
          {entry.policyId ? (
            <div>
              <dt>Policy</dt>
              <dd>
                <a href={`/policies/${entry.policyId}/edit`}>{policyNames.get(entry.policyId) ?? 'Deleted policy'}</a>
              </dd>
            </div>
          ) : null}
          {entry.connectionId ? (
            <div>
              <dt>Connection</dt>
              <dd>
                <a href="/connections">See Connections</a>
              </dd>
            </div>
          ) : null}
        </dl>
        <p class="audit-entry__full">{entry.message}</p>
        <DetailsList details={entry.details} />
      </div>
    </details>
  </li>
);

export async function auditLogsPage(c: Context, deps: PageDeps): Promise<Response> {
  const state = readState(c);
  const [policies, user] = await Promise.all([deps.api.get<PolicyList>('/api/policies', { limit: 500 }), resolveUser(deps.api, state)]);
  const policyNames = new Map(policies.items.map((policy) => [policy.id, policy.name]));
  const list = user.problem ? { items: [], nextCursor: null } : await deps.api.get<AuditList>('/api/audit-logs', apiQuery(state, user.userId));
  const here = { ...state };
  const filtered = Object.entries(here).some(([key, value]) => key !== 'cursor' && value !== undefined);

  return sendPage(c, deps, {
    title: 'Audit logs',
    section: 'audit-logs',
    head: (
      <>
        <PageHeader title="Audit logs" description="What happened, newest first: errors, warnings and every change an administrator made. Open an entry for its details." />
        <Filters state={state} policies={policies.items} userLabel={user.label} />
      </>
    ),
    live: (
      <>
        {user.problem ? <Notice tone="warning">{user.problem}</Notice> : null}
        {list.items.length === 0 ? (
          <EmptyState title={filtered ? 'No entry matches these filters' : 'The audit log is empty'}>{filtered ? 'Change or clear the filters.' : null}</EmptyState>
        ) : (
          <ol class="audit-list" aria-label="Audit entries">
            {list.items.map((entry) => (
              <Entry entry={entry} policyNames={policyNames} />
            ))}
          </ol>
        )}
        <nav class="pagination" aria-label="Pages">
          <div class="pagination__links">
            {state.cursor ? (
              <a class="button button--ghost" href={withQuery('/audit-logs', { ...here, cursor: undefined })}>
                Newest entries
              </a>
            ) : null}
            {list.nextCursor ? (
              <a class="button button--secondary" href={withQuery('/audit-logs', { ...here, cursor: list.nextCursor })}>
                Older entries
              </a>
            ) : null}
          </div>
        </nav>
      </>
    ),
  });
}
