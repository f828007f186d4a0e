import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { InvalidCursorError, StoreConflictError, StoreNotFoundError, StoreValidationError } from '../store/index.js';
import { ApiProblem, problem } from './problem.js';

/**
 * One place where anything thrown becomes an answer: known errors keep their
 * status and code, the rest is a 500 whose details stay in the log.
 */
export function errorToProblem(err: Error, c: Context, log: Logger): Response {
  if (err instanceof ApiProblem) return problem(c, err.status, err.code, err.detail, err.extra);
  if (err instanceof StoreValidationError) {
    return problem(c, 400, 'INVALID_REQUEST', err.message, { errors: [{ path: `body.${err.field}`, message: err.message }] });
  }
  if (err instanceof InvalidCursorError) return problem(c, 400, err.code, err.message, { errors: [{ path: 'query.cursor', message: err.message }] });
  if (err instanceof StoreNotFoundError) return problem(c, 404, 'NOT_FOUND', err.message);
  if (err instanceof StoreConflictError) return problem(c, 409, err.code, err.message);
  if (err instanceof HTTPException) {
    // Hono's own refusals: malformed JSON, unsupported media type.
    const status = err.status as ContentfulStatusCode;
    const code = status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_REQUEST';
    const detail = status === 415 ? 'Send the request body as JSON (Content-Type: application/json).' : `The request is not valid: ${err.message}.`;
    return problem(c, status, code, detail);
  }
  // Never a stack trace to the client; the log has it.
  log.error({ err, method: c.req.method, path: c.req.path }, 'request failed');
  return problem(c, 500, 'INTERNAL_ERROR', 'The server could not complete the request; the API log has the details.');
}
