import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The service's own words when Microsoft or Google refused something: shown with the error, never a secret. */
export interface ServiceErrorDetails {
  service: 'microsoft365' | 'google-workspace';
  /** auth, throttled, notFound, unavailable, other... */
  kind: string;
  status?: number;
  code?: string;
  message: string;
}

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
  serviceError?: ServiceErrorDetails;
}

export type ProblemExtra = Pick<Problem, 'errors' | 'serviceError'>;

export function problem<S extends ContentfulStatusCode>(c: Context, status: S, code: string, detail: string, extra: ProblemExtra = {}) {
  const body: Problem = { type: 'about:blank', title: code, status, code, detail, ...extra };
  return c.json(body, status, { 'content-type': 'application/problem+json' });
}

/**
 * Thrown by services and routes for an answer other than success; the app's
 * error handler turns it into a problem document.
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly detail: string,
    readonly extra: ProblemExtra = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}
