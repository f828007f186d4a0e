import { Hono } from 'hono';
import { z } from 'zod';
import type { GraphEnv } from '../http/env.js';
import { originOf } from '../http/env.js';
import { graphError, graphErrorBody } from '../http/graph-error.js';

/**
 * JSON batching: POST /v1.0/$batch with up to 20 requests. Each request goes
 * through the full pipeline (authentication, throttling, routing), so a 429
 * shows up per request inside a 200 envelope with its own Retry-After, as
 * Graph does. Like Outlook, at most 4 requests of a batch run at once;
 * dependsOn orders requests and a failed dependency answers 424.
 */
export const maxBatchRequests = 20;
const batchParallelism = 4;

const batchRequestSchema = z.object({
  id: z.string().min(1),
  method: z.string().min(1),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  dependsOn: z.array(z.string()).optional(),
});
const batchSchema = z.object({ requests: z.array(batchRequestSchema) });
type BatchItem = z.infer<typeof batchRequestSchema>;

export interface BatchResponseItem {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Header names as Graph spells them in batch responses (the SDK's BatchResponseContent looks up "Content-Type"). */
const forwardedHeaders = ['Content-Type', 'Retry-After', 'Location', 'Preference-Applied', 'ETag'];
const jsonHeaders = { 'Content-Type': 'application/json' };

async function toBatchResponse(id: string, response: Response): Promise<BatchResponseItem> {
  const headers: Record<string, string> = {};
  for (const name of forwardedHeaders) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length === 0) return { id, status: response.status, headers };
  // JSON bodies are inlined; anything else (such as MIME from $value) travels base64-encoded.
  const isJson = (headers['Content-Type'] ?? '').includes('application/json');
  return { id, status: response.status, headers, body: isJson ? JSON.parse(bytes.toString('utf8')) : bytes.toString('base64') };
}

export function createBatchRoutes(dispatch: (request: Request) => Promise<Response>): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();

  app.post('/v1.0/$batch', async (c) => {
    const parsed = batchSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return graphError(c, 400, 'BadRequest', 'Invalid batch payload format: expected {"requests":[{"id","method","url"}, ...]}.');
    const items = parsed.data.requests;
    if (items.length === 0 || items.length > maxBatchRequests) {
      return graphError(c, 400, 'BadRequest', `A batch must hold between 1 and ${maxBatchRequests} requests; this one has ${items.length}.`);
    }
    const ids = new Set(items.map((item) => item.id));
    if (ids.size !== items.length) return graphError(c, 400, 'BadRequest', 'Batch request ids must be unique.');
    const unknownDependency = items.flatMap((item) => item.dependsOn ?? []).find((id) => !ids.has(id));
    if (unknownDependency !== undefined) return graphError(c, 400, 'BadRequest', `dependsOn names an unknown request id '${unknownDependency}'.`);

    const origin = originOf(c);
    const authorization = c.req.header('authorization');
    const results = new Map<string, BatchResponseItem>();

    const execute = async (item: BatchItem): Promise<BatchResponseItem> => {
      const failedDependency = (item.dependsOn ?? []).find((id) => (results.get(id)?.status ?? 0) >= 400);
      if (failedDependency !== undefined) {
        return { id: item.id, status: 424, headers: jsonHeaders, body: graphErrorBody(c, 'FailedDependency', `Request ${failedDependency} this request depends on failed.`) };
      }
      const headers = new Headers(item.headers ?? {});
      if (authorization) headers.set('authorization', authorization);
      let body: string | undefined;
      if (item.body !== undefined) {
        if (!headers.has('content-type')) {
          return { id: item.id, status: 400, headers: jsonHeaders, body: graphErrorBody(c, 'BadRequest', 'A request with a body needs a Content-Type header.') };
        }
        body = typeof item.body === 'string' ? item.body : JSON.stringify(item.body);
      }
      const url = `${origin}/v1.0/${item.url.replace(/^\/+/, '').replace(/^v1\.0\//, '')}`;
      const response = await dispatch(new Request(url, { method: item.method.toUpperCase(), headers, ...(body !== undefined ? { body } : {}) }));
      return toBatchResponse(item.id, response);
    };

    // Run requests whose dependencies are done, at most `batchParallelism` at a time.
    const pending = [...items];
    const running = new Map<string, Promise<void>>();
    while (pending.length > 0 || running.size > 0) {
      while (running.size < batchParallelism) {
        const index = pending.findIndex((item) => (item.dependsOn ?? []).every((id) => results.has(id)));
        if (index < 0) break;
        const [item] = pending.splice(index, 1) as [BatchItem];
        running.set(
          item.id,
          execute(item).then((result) => {
            results.set(item.id, result);
            running.delete(item.id);
          }),
        );
      }
      if (running.size === 0) {
        // What remains waits on itself (a dependency cycle): it can never run.
        for (const item of pending.splice(0)) {
          results.set(item.id, { id: item.id, status: 424, headers: jsonHeaders, body: graphErrorBody(c, 'FailedDependency', 'The request depends on a request that could not run.') });
        }
        break;
      }
      await Promise.race(running.values());
    }

    return c.json({ responses: items.map((item) => results.get(item.id)) });
  });

  return app;
}
