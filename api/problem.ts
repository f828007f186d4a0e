import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * RFC 9457 problem details with a stable `code` that clients branch on; the
 * `detail` sentence is for people.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

export function problem<S extends ContentfulStatusCode>(c: Context, status: S, code: string, detail: string, extra: Partial<Problem> = {}) {
  const body: Problem = { type: `about:blank`, title: code, status, code, detail, ...extra };
  return c.json(body, status, { 'content-type': 'application/problem+json' });
}
