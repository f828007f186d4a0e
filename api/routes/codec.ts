import { createRoute, z } from '@hono/zod-openapi';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { cors } from 'hono/cors';
import type { ApiApp } from '../app.js';
import type { ApiDeps } from '../deps.js';
import { problem } from '../problem.js';
import { jsonContent, NoQuery, problemResponses } from '../schemas/common.js';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

/** Temporal's remote codec format: each payload's metadata values and data as base64 (docs.temporal.io, "Codec Server"). */
const PayloadsSchema = z
  .object({
    payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() }).strict()).max(1_000),
  })
  .strict()
  .openapi('CodecPayloads');

type JsonPayload = z.infer<typeof PayloadsSchema>['payloads'][number];

const fromJson = (payload: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
  data: Buffer.from(payload.data ?? '', 'base64'),
});

const toJson = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
});

function codecRoute(direction: 'encode' | 'decode') {
  return createRoute({
    method: 'post',
    path: `/api/codec/${direction}`,
    operationId: `${direction}Payloads`,
    tags: ['Temporal UI'],
    summary:
      direction === 'decode'
        ? "Decrypts Temporal payloads for Temporal UI's remote codec (the payloads stay encrypted in Temporal)"
        : 'Encrypts payloads as the workers do, for Temporal UI (a signal or query sent from it)',
    request: { query: NoQuery, body: { required: true, content: { 'application/json': { schema: PayloadsSchema } } } },
    responses: { 200: jsonContent(PayloadsSchema, 'The payloads, each transformed'), ...problemResponses(404, 413, 415, 422) },
  });
}

/** Answers Temporal UI's origin (TEMPORAL_UI_URL) only; registered before the sign-in check, since a preflight carries no credentials. */
export function registerCodecCors(app: ApiApp, deps: Pick<ApiDeps, 'config'>): void {
  if (!deps.config.temporalUiUrl) return;
  const ui = new URL(deps.config.temporalUiUrl);
  // A browser names a loopback UI either way; both are the same Temporal UI.
  const origins = ['localhost', '127.0.0.1'].includes(ui.hostname) ? ['localhost', '127.0.0.1'].map((host) => `${ui.protocol}//${host}${ui.port ? `:${ui.port}` : ''}`) : [ui.origin];
  app.use('/api/codec/*', cors({ origin: origins, credentials: true, allowMethods: ['POST', 'OPTIONS'], allowHeaders: ['content-type', 'x-namespace', 'authorization'] }));
}

/**
 * Temporal UI's codec endpoint (`--ui-codec-endpoint`, or its Codec Server
 * setting): `<api>/api/codec`. Behind the API's own sign-in: the bearer
 * token, or the console's session cookie (Temporal UI with "include
 * cross-origin credentials"), and answered to Temporal UI's origin only.
 */
export function registerCodecRoutes(app: ApiApp, deps: Pick<ApiDeps, 'payloadCodec'>): void {
  for (const direction of ['encode', 'decode'] as const) {
    app.openapi(codecRoute(direction), async (c) => {
      const codec: PayloadCodec | undefined = deps.payloadCodec;
      if (!codec) return problem(c, 404, 'CODEC_NOT_CONFIGURED', 'This API has no payload codec configured, so there is nothing to decode with.');
      const { payloads } = c.req.valid('json');
      try {
        const done = await codec[direction](payloads.map(fromJson));
        return c.json({ payloads: done.map(toJson) }, 200);
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'PAYLOAD_UNREADABLE';
        return problem(c, 422, code, err instanceof Error && code !== 'PAYLOAD_UNREADABLE' ? err.message : 'A payload could not be decrypted: it is damaged, or not one this codec wrote.');
      }
    });
  }
}
