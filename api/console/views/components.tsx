import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import { connectionStatusLabel, formatUtc, statusLabel } from './format.js';

type Tone = 'success' | 'info' | 'neutral' | 'warning' | 'danger';

/** A glyph per tone, so a badge reads the same without colour (the text says it in words too). */
const toneIcons: Record<Tone, string> = { success: '✓', info: '↻', neutral: '•', warning: '‖', danger: '!' };

const statusTones: Record<string, Tone> = {
  Pending: 'neutral',
  Provisioning: 'info',
  InitialSync: 'info',
  Syncing: 'info',
  Synced: 'success',
  Failed: 'danger',
  Paused: 'warning',
  Excluded: 'neutral',
};
const connectionTones: Record<string, Tone> = { Active: 'success', Error: 'danger', NotTested: 'neutral' };
const severityTones: Record<string, Tone> = { Info: 'info', Warning: 'warning', Error: 'danger' };

export const Badge: FC<{ tone: Tone; label: string; testId?: string }> = ({ tone, label, testId }) => (
  <span class={`badge badge--${tone}`} data-testid={testId}>
    <span class="badge__icon" aria-hidden="true">
      {toneIcons[tone]}
    </span>
    {label}
  </span>
);

export const StatusBadge: FC<{ status: string }> = ({ status }) => <Badge tone={statusTones[status] ?? 'neutral'} label={statusLabel(status)} testId="status" />;

export const ConnectionStatusBadge: FC<{ status: string }> = ({ status }) => <Badge tone={connectionTones[status] ?? 'neutral'} label={connectionStatusLabel(status)} testId="connection-status" />;

export const SeverityBadge: FC<{ severity: string }> = ({ severity }) => <Badge tone={severityTones[severity] ?? 'neutral'} label={severity} testId="severity" />;

export const EnabledBadge: FC<{ enabled: boolean }> = ({ enabled }) => <Badge tone={enabled ? 'success' : 'neutral'} label={enabled ? 'Enabled' : 'Disabled'} testId="policy-state" />;

/** A stable code (AUTH_TOKEN_EXPIRED) that may wrap after its underscores, never inside a word. */
export const Code: FC<{ value: string; testId?: string; className?: string }> = ({ value, testId, className }) => (
  <code data-testid={testId} class={className}>
    {value.split('_').map((part, index) => (index === 0 ? part : [<wbr />, `_${part}`]))}
  </code>
);

/** A timestamp: UTC text from the server, local time once the script has run; `empty` when there is none. */
export const Time: FC<{ iso: string | null; empty?: string }> = ({ iso, empty = 'Never' }) =>
  iso ? (
    <time datetime={iso} title={formatUtc(iso)}>
      {formatUtc(iso)}
    </time>
  ) : (
    <span class="muted">{empty}</span>
  );

export const Notice: FC<PropsWithChildren<{ tone: 'info' | 'warning' | 'danger' | 'success'; title?: string; testId?: string }>> = ({ tone, title, testId, children }) => (
  <div class={`notice notice--${tone}`} role={tone === 'danger' ? 'alert' : 'status'} data-testid={testId}>
    {title ? <p class="notice__title">{title}</p> : null}
    <div class="notice__body">{children}</div>
  </div>
);

export const PageHeader: FC<{ title: string; description?: Child; actions?: Child }> = ({ title, description, actions }) => (
  <header class="page-header">
    <div>
      <h1>{title}</h1>
      {description ? <p class="page-header__description">{description}</p> : null}
    </div>
    {actions ? <div class="page-header__actions">{actions}</div> : null}
  </header>
);

export const EmptyState: FC<PropsWithChildren<{ title: string }>> = ({ title, children }) => (
  <div class="empty">
    <p class="empty__title">{title}</p>
    {children ? <p class="muted">{children}</p> : null}
  </div>
);

/** A table that scrolls sideways on a narrow window, reachable and scrollable from the keyboard. */
export const TableScroll: FC<PropsWithChildren<{ label: string }>> = ({ label, children }) => (
  <div class="table-scroll" role="region" aria-label={label} tabindex={0}>
    {children}
  </div>
);

/** A button the console script turns into an API call (with the session's CSRF token). */
export const ApiButton: FC<
  PropsWithChildren<{ method: 'POST' | 'PUT' | 'DELETE'; path: string; variant?: 'primary' | 'secondary' | 'danger'; disabled?: boolean; title?: string; result?: string; testId?: string }>
> = ({ method, path, variant = 'secondary', disabled, title, result, testId, children }) => (
  <button type="button" class={`button button--${variant}`} data-api={`${method} ${path}`} data-api-result={result} disabled={disabled} title={title} data-testid={testId}>
    {children}
  </button>
);
