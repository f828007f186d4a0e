import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { problem } from './problem.js';

/**
 * The API token comes from API_TOKEN, or is generated once into the data
 * directory. `created` tells the caller to print it once.
 */
export function loadOrCreateApiToken(dataDir: string, fromEnv = process.env.API_TOKEN): { token: string; created: boolean } {
  if (fromEnv) return { token: fromEnv, created: false };
  const file = path.join(dataDir, 'api-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), created: false };
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return { token, created: true };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of the bearer token; the 401 body says nothing about why. */
export function bearerAuth(expectedToken: string, isPublic: (path: string) => boolean): MiddlewareHandler {
  const expected = digest(expectedToken);
  return async (c, next) => {
    if (isPublic(c.req.path)) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!.trim()), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="api"');
      return problem(c, 401, 'UNAUTHORIZED', 'A valid API token is required: send it as "Authorization: Bearer <token>".');
    }
    return next();
  };
}
