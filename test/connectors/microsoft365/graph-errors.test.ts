import { GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { classifyGraphError, parseRetryAfter } from '../../../connectors/microsoft365/graph-errors.js';

/**
 * The answers the emulator does not produce on its own (5xx, 503 with
 * Retry-After, resyncRequired), as the Graph SDK would throw them. The
 * contract tests cover the answers the emulator gives through the real
 * clients.
 */
function sdkError(status: number, code: string | null, headers: Record<string, string> = {}): GraphError {
  const error = new GraphError(status, `${code ?? 'no code'} message`);
  error.code = code;
  error.headers = new Headers(headers);
  return error;
}

describe('classifyGraphError', () => {
  it('treats 429 and a 503 with Retry-After as throttling, with the delay in milliseconds', () => {
    expect(classifyGraphError(sdkError(429, 'TooManyRequests', { 'Retry-After': '12' }))).toMatchObject({ kind: 'throttled', status: 429, retryAfterMs: 12_000 });
    expect(classifyGraphError(sdkError(429, 'TooManyRequests'))).toMatchObject({ kind: 'throttled' });
    expect(classifyGraphError(sdkError(503, 'ServiceUnavailable', { 'Retry-After': '3' }))).toMatchObject({ kind: 'throttled', retryAfterMs: 3000 });
  });

  it('treats other 5xx as unavailable', () => {
    expect(classifyGraphError(sdkError(503, 'ServiceUnavailable'))).toMatchObject({ kind: 'unavailable', status: 503 });
    expect(classifyGraphError(sdkError(500, 'InternalServerError'))).toMatchObject({ kind: 'unavailable' });
    expect(classifyGraphError(sdkError(504, 'GatewayTimeout'))).toMatchObject({ kind: 'unavailable' });
  });

  it('recognises every way Graph says a delta token is gone', () => {
    expect(classifyGraphError(sdkError(410, 'resyncRequired'))).toMatchObject({ kind: 'syncStateNotFound' });
    expect(classifyGraphError(sdkError(410, null))).toMatchObject({ kind: 'syncStateNotFound' });
    expect(classifyGraphError(sdkError(400, 'syncStateNotFound'))).toMatchObject({ kind: 'syncStateNotFound', status: 400 });
  });

  it('reads Retry-After given as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('classifies $batch responses and plain network errors', () => {
    expect(classifyGraphError({ status: 404, headers: {}, body: { error: { code: 'ErrorItemNotFound', message: 'gone' } } })).toMatchObject({ kind: 'notFound', code: 'ErrorItemNotFound' });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3001'), { code: 'ECONNREFUSED' });
    expect(classifyGraphError(refused)).toMatchObject({ kind: 'unavailable', code: 'ECONNREFUSED' });
    expect(classifyGraphError(new Error('something else'))).toMatchObject({ kind: 'other' });
  });
});
