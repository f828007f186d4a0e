import type { Context, MiddlewareHandler } from 'hono';

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
  /** The body as text ('' for none); undefined when it is neither JSON nor empty (MIME, uploads), which is not read. */
  body: string | undefined;
  /** An answer the control API armed to be off the service's contract on purpose (failure injection). */
  deliberatelyOffContract: boolean;
}

const offContractKey = 'emulator.deliberatelyOffContract';

/** Marks the answer being built as armed off contract, so a contract check does not count it as a divergence. */
export function markDeliberatelyOffContract(c: Context): void {
  (c as Context<{ Variables: Record<typeof offContractKey, boolean> }>).set(offContractKey, true);
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
    const contentType = c.res.headers.get('content-type') ?? '';
    // Only JSON is checked against a description; raw content (MIME from $value) is left unread.
    const readable = contentType === '' || /json/i.test(contentType);
    const body = c.res.body === null ? '' : readable ? await c.res.clone().text() : undefined;
    const deliberatelyOffContract = (c as Context<{ Variables: Record<typeof offContractKey, boolean | undefined> }>).get(offContractKey) === true;
    observer({ method: c.req.method, path: url.pathname, search: url.search.replace(/^\?/, ''), status: c.res.status, contentType, body, deliberatelyOffContract });
  };
}
