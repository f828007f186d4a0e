import type { Context } from 'hono';
import { ConsoleApiError } from '../api-reader.js';
import { FRAGMENT_HEADER } from '../session-auth.js';
import { sendPage, type PageDeps } from '../render.js';
import { Notice, PageHeader } from '../views/components.js';
import type { Section } from '../views/layout.js';

/**
 * A page whose data the API would not give: the reason in the page, with the
 * sidebar still there, instead of a bare JSON error. Anything else is a bug
 * and goes to the app's error handler (and its log).
 */
export function apiErrorPage(c: Context, deps: PageDeps, section: Section, err: unknown): Response | Promise<Response> {
  if (!(err instanceof ConsoleApiError)) throw err;
  if (c.req.header(FRAGMENT_HEADER) !== undefined) c.status(502);
  return sendPage(c, deps, {
    title: 'Could not load the page',
    section,
    head: <PageHeader title="Could not load the page" />,
    live: (
      <Notice tone="danger" title="The API could not answer">
        <p>{err.problem.detail}</p>
        <p class="small">
          Code <code>{err.problem.code}</code> (status {err.status}). The page tries again on its own.
        </p>
      </Notice>
    ),
  });
}
