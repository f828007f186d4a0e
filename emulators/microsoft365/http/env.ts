import type { Context } from 'hono';

/** Per-request values shared by the middleware and the Graph routes. */
export interface GraphEnv {
  Variables: {
    requestId: string;
    clientRequestId: string;
    /** The application permissions in the request's token (set once the token is checked). */
    roles: readonly string[];
  };
}

export type GraphContext = Context<GraphEnv>;

/** https://host:port of the request: every @odata link is absolute and points back here, as the Graph client needs. */
export function originOf(c: Context): string {
  return new URL(c.req.url).origin;
}
