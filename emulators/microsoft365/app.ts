import { Hono } from 'hono';
import { observeResponses, type ResponseObserver } from '../response-observer.js';
import { createIdentityRoutes } from './identity/routes.js';
import { permissionFamilies, requireApplicationPermission } from './identity/application-permissions.js';
import type { GraphEnv } from './http/env.js';
import { graphError } from './http/graph-error.js';
import { delayDirectoryPages, directoryPagePatterns, type DirectoryLatency } from './http/directory-latency.js';
import { injectFaults, recordStats, requestContext, requireBearerToken, throttleMailbox } from './http/middleware.js';
import { ODataQueryError } from './http/odata.js';
import { createCalendarRoutes } from './calendar/calendar-routes.js';
import { createBatchRoutes } from './routes/batch.js';
import { createContactFolderRoutes } from './routes/contact-folders.js';
import { createContactRoutes } from './routes/contacts.js';
import { createControlRoutes } from './routes/control.js';
import { createDeltaRoutes } from './routes/delta.js';
import { createGroupRoutes } from './routes/groups.js';
import { createMailFolderRoutes } from './routes/mail-folders.js';
import { createMessageRoutes } from './routes/messages.js';
import { createUserRoutes } from './routes/users.js';
import type { TenantState } from './state/tenant.js';
import type { ThrottleGovernor } from './throttle/governor.js';
import type { RequestStats } from './throttle/stats.js';

export interface EmulatorAppDeps {
  tenant: TenantState;
  governor: ThrottleGovernor;
  stats: RequestStats;
  tokenLifetimeSeconds: number;
  directoryLatency: DirectoryLatency;
  reset(): void;
  /** Opt-in (tests): every response, $batch parts included, goes to this observer. */
  observeResponse?: ResponseObserver | undefined;
}

/**
 * Mail and contacts routes are where Outlook's per-mailbox throttling applies:
 * the Outlook limits count per app per mailbox (learn.microsoft.com/graph/throttling-limits,
 * "Outlook service limits"), and "Contact resources" are among the resources
 * subject to them ("Throttling coming to Outlook API and Microsoft Graph",
 * Microsoft 365 Developer Blog, 2017), so contacts draw on the same budget as mail.
 */
const mailboxRoutePatterns = [
  '/v1.0/users/:userId/mailFolders/*',
  '/v1.0/users/:userId/messages/*',
  '/v1.0/users/:userId/contactFolders/*',
  '/v1.0/users/:userId/contacts/*',
  // Calendar draws on the same per-mailbox budget: the Outlook limits cover "Outlook API resources" mail, calendar and contacts (learn.microsoft.com/graph/throttling-limits, "Outlook service limits").
  '/v1.0/users/:userId/calendars/*',
  '/v1.0/users/:userId/calendarView/*',
  '/v1.0/users/:userId/events/*',
];

/**
 * The emulator's HTTP surface, in pipeline order: request ids and stats for
 * everything; the control API and the identity platform without Graph
 * authentication; then Graph v1.0 behind bearer-token checks, the
 * application permissions each resource family needs, injected
 * faults (not on the $batch envelope, so that 429s show up inside batches)
 * and mailbox throttling.
 */
export function createEmulatorApp(deps: EmulatorAppDeps): Hono<GraphEnv> {
  const { tenant, governor, stats } = deps;
  const app = new Hono<GraphEnv>();

  // First, so it sees the final response of every request, including the ones $batch dispatches to this app.
  if (deps.observeResponse) app.use('*', observeResponses(deps.observeResponse));
  app.use('*', requestContext());
  app.use('*', recordStats(stats));
  app.route('/', createControlRoutes({ tenant, governor, stats, directoryLatency: deps.directoryLatency, reset: deps.reset }));

  app.use('/v1.0/*', requireBearerToken(tenant.credentials));
  // Graph authorises on the token's roles before it looks at the mailbox or the load.
  for (const family of permissionFamilies) for (const pattern of family.patterns) app.use(pattern, requireApplicationPermission(family));
  const faults = injectFaults(governor, stats);
  app.use('/v1.0/*', (c, next) => (c.req.path === '/v1.0/$batch' ? next() : faults(c, next)));
  for (const pattern of mailboxRoutePatterns) app.use(pattern, throttleMailbox(governor, tenant, stats));
  for (const pattern of directoryPagePatterns) app.use(pattern, delayDirectoryPages(deps.directoryLatency));

  app.route('/', createUserRoutes(tenant));
  app.route('/', createGroupRoutes(tenant));
  app.route('/', createMailFolderRoutes(tenant));
  app.route('/', createDeltaRoutes(tenant));
  app.route('/', createMessageRoutes(tenant));
  app.route('/', createContactFolderRoutes(tenant));
  app.route('/', createContactRoutes(tenant));
  app.route('/', createCalendarRoutes(tenant, stats));
  app.route(
    '/',
    createBatchRoutes((request) => Promise.resolve(app.fetch(request))),
  );
  // Last: its "/:tenant/..." patterns must not shadow anything above.
  app.route('/', createIdentityRoutes({ tenant, stats, tokenLifetimeSeconds: deps.tokenLifetimeSeconds }));

  app.notFound((c) => {
    if (!c.req.path.startsWith('/v1.0/')) return c.json({ error: { code: 'NotFound', message: `Nothing is served at ${c.req.method} ${c.req.path}.` } }, 404);
    const segment = c.req.path.split('/').filter(Boolean).pop() ?? '';
    return graphError(c, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
  });

  app.onError((error, c) => {
    if (error instanceof ODataQueryError) return graphError(c, 400, error.code, error.message);
    console.error('Microsoft 365 emulator: unexpected error', error);
    return graphError(c, 500, 'InternalServerError', 'The emulator hit an unexpected error; see its log.');
  });

  return app;
}
