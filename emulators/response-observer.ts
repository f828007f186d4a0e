import type { MiddlewareHandler } from 'hono';

/** One answer an emulator sent, as a contract check sees it. */
export interface ObservedResponse {
  method: string;
  /** The request path (no query), e.g. /v1.0/users/abc/mailFolders. */
  path: string;
  /** The raw query string without "?", possibly empty. */
  search: string;
  status: number;
  /** The Content-Type header, '' when none. */
  contentType: string;
  /** The body as text ('' for none). */
  body: string;
}

/** Called once per response, after the emulator built it and before it is sent. */
export type ResponseObserver = (response: ObservedResponse) => void;

/**
 * An opt-in hook for tests: hands every response (a copy, so the client
 * still receives the original stream) to `observer`. Off unless an observer
 * is given, so the emulators pay nothing for it in demos and benchmarks.
 */
export function observeResponses(observer: ResponseObserver): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const url = new URL(c.req.url);
    const body = c.res.body === null ? '' : await c.res.clone().text();
    observer({
      method: c.req.method,
      path: url.pathname,
      search: url.search.replace(/^\?/, ''),
      status: c.res.status,
      contentType: c.res.headers.get('content-type') ?? '',
      body,
    });
  };
}
