import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { problem } from '../problem.js';
import type { ConsoleSession, ConsoleSessions } from './sessions.js';

export const SESSION_COOKIE = 'session';
export const CSRF_HEADER = 'X-CSRF-Token';
/** Sent by the console's script when it asks for the live part of a page only. */
export const FRAGMENT_HEADER = 'X-Console-Fragment';

export interface ConsoleEnv {
  Variables: { consoleSession: ConsoleSession };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in session of this request, set by acceptConsoleSession or requireSignIn. */
export function consoleSessionOf(c: Context): ConsoleSession | undefined {
  return (c as Context<ConsoleEnv>).get('consoleSession');
}

/**
 * Wraps the API's bearer check so that /api/* also accepts a signed-in
 * console session: the cookie proves who it is, and every state change must
 * carry the session's CSRF token in X-CSRF-Token (403 otherwise), because a
 * cookie is sent by the browser whoever asked for the request.
 * A request with an Authorization header, or without a live session, is left
 * to the bearer check as before.
 */
export function acceptConsoleSession(sessions: ConsoleSessions, bearerCheck: MiddlewareHandler, changesNothing: (path: string) => boolean = () => false): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.header('authorization') !== undefined) return bearerCheck(c, next);
    const session = sessions.touch(getCookie(c, SESSION_COOKIE));
    if (!session) return bearerCheck(c, next);
    if (!SAFE_METHODS.has(c.req.method) && !changesNothing(c.req.path) && !sessions.csrfMatches(session, c.req.header(CSRF_HEADER))) {
      return problem(c, 403, 'CSRF_TOKEN_INVALID', `This change came with the console's session cookie but without its ${CSRF_HEADER} header; reload the console page and try again.`);
    }
    (c as Context<ConsoleEnv>).set('consoleSession', session);
    return next();
  };
}

/** Same-site relative path to come back to after signing in; anything else goes to the dashboard. */
export function safeReturnPath(value: string | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}

/**
 * Console pages need a signed-in session: a page asks the browser to sign in
 * and come back, the script's refresh gets a 401 and reloads into that.
 */
export function requireSignIn(sessions: ConsoleSessions): MiddlewareHandler {
  return async (c, next) => {
    const session = sessions.touch(getCookie(c, SESSION_COOKIE));
    if (!session) {
      if (c.req.header(FRAGMENT_HEADER) !== undefined) return problem(c, 401, 'UNAUTHORIZED', 'The console session has ended; sign in again.');
      const url = new URL(c.req.url);
      const back = url.pathname === '/' && !url.search ? '' : `?next=${encodeURIComponent(url.pathname + url.search)}`;
      return c.redirect(`/login${back}`, 303);
    }
    (c as Context<ConsoleEnv>).set('consoleSession', session);
    return next();
  };
}
