import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ApiReader } from './api-reader.js';
import { consoleSessionOf, FRAGMENT_HEADER } from './session-auth.js';
import { Layout, type Section } from './views/layout.js';

/** What every page handler gets: the API to read from, and how often its live part refreshes. */
export interface PageDeps {
  api: ApiReader;
  refreshMs: number;
}

export interface PageView {
  title: string;
  section: Section;
  /** Heading, filters, forms: rendered once, so nothing the administrator is typing is replaced. */
  head?: Child;
  /** The data: re-fetched by the script while the page is open (see FRAGMENT_HEADER). */
  live: Child;
  /** False for pages whose live part is costly to read (it then refreshes on request only). Default true. */
  refresh?: boolean;
}

/** The whole page, or only its live part when the console script asks for a refresh. */
export function sendPage(c: Context, deps: PageDeps, view: PageView): Response | Promise<Response> {
  c.header('Cache-Control', 'no-store');
  if (c.req.header(FRAGMENT_HEADER) !== undefined) return c.html(<>{view.live}</>);
  const session = consoleSessionOf(c);
  if (!session) throw new Error('sendPage runs behind requireSignIn');
  return c.html(
    <Layout title={view.title} section={view.section} csrfToken={session.csrfToken} refreshMs={view.refresh === false ? 0 : deps.refreshMs}>
      {view.head}
      <div id="live" data-live>
        {view.live}
      </div>
    </Layout>,
  );
}
