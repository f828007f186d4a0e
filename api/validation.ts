import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { problem } from './problem.js';

const targetNames: Record<string, string> = { json: 'body', query: 'query', param: 'path', header: 'header' };

/**
 * The default hook of every route: a request that fails its schema gets a 400
 * naming each offending field (`query.limit`, `body.rules.groupIds.0`).
 */
export function validationHook(result: { success: boolean; error?: ZodError; target?: string }, c: Context): Response | undefined {
  if (result.success || !result.error) return undefined;
  const prefix = targetNames[result.target ?? ''] ?? result.target ?? 'request';
  const errors = result.error.issues.map((issue) => ({ path: [prefix, ...issue.path.map(String)].join('.'), message: issue.message }));
  return problem(c, 400, 'INVALID_REQUEST', `The request is not valid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, { errors });
}
