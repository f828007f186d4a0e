import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import type { FC } from 'hono/jsx';
import { safeReturnPath, SESSION_COOKIE } from './session-auth.js';
import { secretsMatch, type ConsoleSessions } from './sessions.js';
import { Notice } from './views/components.js';
import { BareLayout } from './views/layout.js';

/** A wrong token costs this much: nothing to a person, a lot to a script guessing a short API_TOKEN. */
const FAILED_SIGN_IN_DELAY_MS = 400;
const MAX_FORM_BYTES = 8 * 1024;

const SignInPage: FC<{ next: string; failed?: boolean; signedOut?: boolean }> = ({ next, failed, signedOut }) => (
  <BareLayout title="Sign in">
    <div class="sign-in card">
      <h1>Sign in to the admin console</h1>
      <p class="muted">Continuity sync · Microsoft 365 → Google Workspace</p>
      {failed ? (
        <Notice tone="danger" testId="sign-in-error">
          That is not the API token. Check for missing characters and try again.
        </Notice>
      ) : null}
      {signedOut ? <Notice tone="info">You are signed out.</Notice> : null}
      <form method="post" action="/login" class="form">
        <input type="hidden" name="next" value={next} />
        <div class="field">
          <label for="token">API token</label>
          {/* Never filled back in, not even after a failed try. */}
          <input id="token" name="token" type="password" required autocomplete="current-password" spellcheck={false} autofocus aria-describedby="token-hint" />
          <p class="hint" id="token-hint">
            <code>npm start</code> prints it on first start; it is also in <code>data/api-token</code>, or the <code>API_TOKEN</code> setting.
          </p>
        </div>
        <button type="submit" class="button button--primary button--block">
          Sign in
        </button>
      </form>
    </div>
  </BareLayout>
);

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

async function formField(c: Context, name: string): Promise<string | undefined> {
  const body = await c.req.parseBody();
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * GET/POST /login and POST /logout. The token is compared in constant time;
 * the session cookie is httpOnly and SameSite=Strict (Secure over https); a
 * form from another site is refused by its Origin before anything is read.
 */
export function registerSignIn(app: Hono, deps: { apiToken: string; sessions: ConsoleSessions; pageHeaders: MiddlewareHandler }): void {
  const { apiToken, sessions, pageHeaders } = deps;
  const formGuards = [pageHeaders, csrf(), bodyLimit({ maxSize: MAX_FORM_BYTES })] as const;

  app.get('/login', pageHeaders, (c) => {
    const next = safeReturnPath(c.req.query('next'));
    if (sessions.touch(getCookie(c, SESSION_COOKIE))) return c.redirect(next, 303);
    return c.html(<SignInPage next={next} signedOut={c.req.query('signedOut') !== undefined} />);
  });

  app.post('/login', ...formGuards, async (c) => {
    const body = await c.req.parseBody();
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    const next = safeReturnPath(typeof body.next === 'string' ? body.next : undefined);
    if (!token || !secretsMatch(token, apiToken)) {
      await sleep(FAILED_SIGN_IN_DELAY_MS);
      return c.html(<SignInPage next={next} failed />, 401);
    }
    // A new id at every sign-in: a session id planted before sign-in is worth nothing.
    sessions.end(getCookie(c, SESSION_COOKIE));
    const session = sessions.create();
    setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Strict', path: '/', secure: isHttps(c) });
    return c.redirect(next, 303);
  });

  app.post('/logout', ...formGuards, async (c) => {
    const session = sessions.touch(getCookie(c, SESSION_COOKIE));
    if (session && !sessions.csrfMatches(session, await formField(c, 'csrf'))) {
      return c.text('This sign-out did not come from a console page; reload the console and sign out again.', 403);
    }
    sessions.end(session?.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', secure: isHttps(c) });
    return c.redirect('/login?signedOut=1', 303);
  });
}
