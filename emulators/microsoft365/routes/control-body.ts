import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/** The control API's error body: a stable code and a sentence saying what is wrong. */
export function controlError(c: Context, status: ContentfulStatusCode, code: string, message: string): Response {
  return c.json({ error: { code, message } }, status);
}

export async function parseBody<T>(c: Context, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim() !== '') {
    try {
      raw = JSON.parse(text);
    } catch {
      return { ok: false, response: controlError(c, 400, 'InvalidControlRequest', 'The body is not valid JSON.') };
    }
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
  return { ok: false, response: controlError(c, 400, 'InvalidControlRequest', `Invalid request body (${problems}).`) };
}

/** A control body with a "count" field asks for generated items (messages, contacts, events) rather than one. */
export function asksToGenerate(text: string): boolean {
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null && 'count' in json;
  } catch {
    return false;
  }
}
