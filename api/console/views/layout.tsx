import type { Child, FC } from 'hono/jsx';
import { raw } from 'hono/html';

export type Section = 'dashboard' | 'sync-status' | 'connections' | 'policies' | 'audit-logs';

export const ASSETS_PATH = '/console/assets';

const navigation: { section: Section; href: string; label: string }[] = [
  { section: 'dashboard', href: '/', label: 'Dashboard' },
  { section: 'sync-status', href: '/sync-status', label: 'Sync status' },
  { section: 'connections', href: '/connections', label: 'Connections' },
  { section: 'policies', href: '/policies', label: 'Policies' },
  { section: 'audit-logs', href: '/audit-logs', label: 'Audit logs' },
];

const Head: FC<{ title: string; csrfToken?: string }> = ({ title, csrfToken }) => (
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>{`${title} · Continuity sync`}</title>
    {csrfToken ? <meta name="csrf-token" content={csrfToken} /> : null}
    <link rel="icon" href={`${ASSETS_PATH}/favicon.svg`} type="image/svg+xml" />
    <link rel="stylesheet" href={`${ASSETS_PATH}/console.css`} />
    <script type="module" src={`${ASSETS_PATH}/console.js`}></script>
  </head>
);

const Brand: FC = () => (
  <a class="brand" href="/">
    <span class="brand__mark" aria-hidden="true">
      ⇄
    </span>
    <span>
      <span class="brand__name">Continuity sync</span>
      <span class="brand__sub">Microsoft 365 → Google</span>
    </span>
  </a>
);

export interface LayoutProps {
  title: string;
  section: Section;
  csrfToken: string;
  /** How often the page's live part reloads itself. */
  refreshMs: number;
  children: Child;
}

/** Every signed-in page: the sidebar to move between pages, the page, and a place for the script's announcements. */
export const Layout: FC<LayoutProps> = ({ title, section, csrfToken, refreshMs, children }) => (
  <>
    {raw('<!doctype html>')}
    <html lang="en">
      <Head title={title} csrfToken={csrfToken} />
      <body data-refresh-ms={String(refreshMs)}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <div class="shell">
          <aside class="sidebar">
            <Brand />
            <nav aria-label="Console">
              <ul class="nav">
                {navigation.map((item) => (
                  <li>
                    <a class="nav__link" href={item.href} aria-current={item.section === section ? 'page' : undefined}>
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <form class="sign-out" method="post" action="/logout">
              <input type="hidden" name="csrf" value={csrfToken} />
              <button type="submit" class="button button--ghost">
                Sign out
              </button>
            </form>
          </aside>
          <main id="main" class="main" tabindex={-1}>
            {children}
          </main>
        </div>
        <div id="announcer" class="toast" role="status" aria-live="polite"></div>
      </body>
    </html>
  </>
);

/** The sign-in page: no sidebar, no session yet. */
export const BareLayout: FC<{ title: string; children: Child }> = ({ title, children }) => (
  <>
    {raw('<!doctype html>')}
    <html lang="en">
      <Head title={title} />
      <body class="bare">
        <main id="main" class="bare__main">
          {children}
        </main>
      </body>
    </html>
  </>
);
