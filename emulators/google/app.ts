import { Hono } from 'hono';
import { routePath } from 'hono/route';
import { observeResponses, type ResponseObserver } from '../response-observer.js';
import { calendarControlRoutes } from './calendar-control.js';
import { calendarEventListRoutes } from './calendar-event-list.js';
import { calendarEventRoutes } from './calendar-event-routes.js';
import { calendarRoutes } from './calendar-routes.js';
import type { EmulatorContext } from './context.js';
import { contactGroupRoutes } from './contact-group-routes.js';
import { controlRoutes } from './control.js';
import { directoryRoutes } from './directory.js';
import { GoogleApiError, renderError } from './errors.js';
import { importRoutes } from './import.js';
import { labelRoutes } from './labels.js';
import { messageRoutes } from './messages.js';
import { peopleRoutes } from './people-routes.js';
import { tokenRoutes } from './token-endpoint.js';

/** One host for every Google path: /token, Admin SDK Directory, Gmail, uploads, People API (/v1/...), Calendar API (/calendar/v3/...), /_control. */
export function createGoogleApp(ctx: EmulatorContext, reset: () => void, observeResponse?: ResponseObserver): Hono {
  const app = new Hono();
  // Opt-in (tests): first, so it sees the final response of every request.
  if (observeResponse) app.use('*', observeResponses(observeResponse));

  app.use('*', async (c, next) => {
    await next();
    const pattern = routePath(c, -1);
    const route = pattern === '*' || pattern === '/*' || pattern === '' ? '(no route)' : pattern;
    ctx.stats.record(`${c.req.method} ${route}`, c.res.status);
  });

  app.route('/', tokenRoutes(ctx));
  app.route('/', directoryRoutes(ctx));
  app.route('/', labelRoutes(ctx));
  app.route('/', importRoutes(ctx));
  app.route('/', messageRoutes(ctx));
  app.route('/', peopleRoutes(ctx));
  app.route('/', contactGroupRoutes(ctx));
  app.route('/', calendarRoutes(ctx));
  app.route('/', calendarEventListRoutes(ctx));
  app.route('/', calendarEventRoutes(ctx));
  app.route('/', calendarControlRoutes(ctx));
  app.route('/', controlRoutes(ctx, reset));

  app.notFound((c) => {
    const error = new GoogleApiError({ status: 404, message: `Not Found: ${c.req.method} ${c.req.path}`, reason: 'notFound', googleStatus: 'NOT_FOUND' });
    return c.json(error.body(), 404);
  });
  app.onError((err, c) => renderError(err, c));
  return app;
}
