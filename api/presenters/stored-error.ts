import type { z } from '@hono/zod-openapi';
import type { StoredError } from '../../store/index.js';
import { iso, type StoredErrorBodySchema } from '../schemas/common.js';

export type StoredErrorBody = z.infer<typeof StoredErrorBodySchema>;

/** A connection's or a policy's stored error as the API shows it (details always an object). */
export function toStoredError(error: StoredError | null): StoredErrorBody | null {
  return error ? { code: error.code, message: error.message, at: iso(error.at), details: error.details ?? {} } : null;
}
