import { z } from '@hono/zod-openapi';
import { CONNECTION_KINDS, MAX_PAGE_SIZE } from '../../store/index.js';

/**
 * Building blocks every route's schemas share. Request objects are strict:
 * an unknown query parameter or body field is a 400, not silently ignored.
 */

/** Ids are UUIDs; a malformed one is a 400, a well-formed unknown one a 404. */
export const IdSchema = z.guid({ error: 'must be an id (a UUID such as 3f2b8c1e-6d4a-4f7e-9a51-2c8e0d7b4a10)' });

export function idParams<N extends string>(name: N) {
  return z.object({ [name]: IdSchema.openapi({ param: { name, in: 'path' } }) } as Record<N, typeof IdSchema>).strict();
}

/** For routes without query parameters: any given is a mistake worth a 400. */
/** A name an administrator gives (policy, ...): shown in lists and the audit log, so no control characters (a NUL cannot even be stored). */
export const DisplayNameSchema = z
  .string()
  .trim()
  .min(1, { error: 'is required' })
  .max(255)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, { error: 'must not contain control characters' });

export const NoQuery = z.object({}).strict();

export const LimitQuery = z.coerce
  .number({ error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  .int({ error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  .min(1, { error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  .max(MAX_PAGE_SIZE, { error: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  .optional()
  .openapi({ description: `Page size, 1 to ${MAX_PAGE_SIZE} (default 50).`, example: 50 });

export const CursorQuery = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,2048}$/, { error: 'must be the nextCursor of a previous page' })
  .optional()
  .openapi({ description: 'The nextCursor of the previous page; absent for the first page.' });

/** Timestamps travel as ISO 8601 with an offset (Z or ±hh:mm). */
export const DateTimeQuery = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp such as 2025-06-01T00:00:00Z' });

export const Timestamp = z.iso.datetime();

export const NextCursor = z.string().nullable().openapi({ description: 'Pass as cursor to get the next page; null on the last page.' });

/** When a resource was created and last changed: the last two fields of every resource that has them. */
export const timestampFields = { createdAt: Timestamp, updatedAt: Timestamp };

/** A stored error (a connection's, a policy's, a user's) as the API shows it: what the administrator reads, and the service's own words. */
export const storedErrorFields = { code: z.string(), message: z.string(), at: Timestamp, details: z.record(z.string(), z.unknown()) };

/** The stored error on its own (each resource registers it under its own name). */
export const StoredErrorBodySchema = z.object(storedErrorFields);

export const ServiceErrorSchema = z
  .object({
    service: z.enum(CONNECTION_KINDS),
    kind: z.string().openapi({ description: 'auth, throttled, notFound, unavailable, other...' }),
    status: z.number().int().optional(),
    code: z.string().optional(),
    message: z.string(),
  })
  .openapi('ServiceError', { description: "Microsoft's or Google's own error, as the service answered it." });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ description: 'Stable; clients branch on it.' }),
    detail: z.string().openapi({ description: 'One sentence for a person.' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    serviceError: ServiceErrorSchema.optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details (application/problem+json).' });

type ErrorStatus = 400 | 401 | 404 | 409 | 413 | 415 | 422 | 502;

const errorDescriptions: Record<ErrorStatus, string> = {
  400: 'The request is not valid: every offending field is named in errors.',
  401: 'No valid API token.',
  404: 'No such resource.',
  409: 'The action does not apply to the resource in its current state.',
  413: 'The request body is too large.',
  415: 'The request body is not JSON.',
  422: "The service refused the credentials or the rules; serviceError holds the service's own error.",
  502: 'Microsoft 365 or Google Workspace could not answer; serviceError holds their error.',
};

/** The problem responses a route documents, 400 and 401 always included. */
export function problemResponses<S extends ErrorStatus>(...statuses: S[]) {
  const all = [...new Set<ErrorStatus>([400, 401, ...statuses])];
  return Object.fromEntries(all.map((status) => [status, { description: errorDescriptions[status], content: { 'application/problem+json': { schema: ProblemSchema } } }])) as Record<
    400 | 401 | S,
    { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }
  >;
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export const iso = (date: Date): string => date.toISOString();
export const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);
