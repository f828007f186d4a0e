import { describe, expect, it } from 'vitest';
import { googleFailure, minimumThrottleDelayMs } from '../../activities/failures.js';
import { classifyGoogleError, parseRetryAfterFromMessage } from '../../connectors/google/google-errors.js';
import { throttleRetryDelay } from '../../activities/pacing.js';

/** A GaxiosError-like refusal as Gmail sends it. */
function refusal(status: number, reason: string, message: string, headers: Record<string, string> = {}) {
  return {
    response: { status, headers: new Headers(headers), data: { error: { code: status, message, errors: [{ message, domain: 'usageLimits', reason }] } } },
    message: `Request failed with status code ${status}`,
  };
}

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

describe("Gmail's quota refusals: where the delay is", () => {
  it('reads "Retry after <time>" from the message text (Gmail\'s wording, two spaces and all)', () => {
    const now = Date.parse('2026-12-01T10:00:00.000Z');
    expect(parseRetryAfterFromMessage('User-rate limit exceeded.  Retry after 2026-12-01T10:15:00.500Z', now)).toBe(900_500);
    expect(parseRetryAfterFromMessage('User-rate limit exceeded.  Retry after 2026-12-01T09:00:00.000Z', now)).toBe(0);
    expect(parseRetryAfterFromMessage('Rate Limit Exceeded', now)).toBeUndefined();
  });

  it('takes the delay from the header, else from the text, else none', () => {
    const text = classifyGoogleError(refusal(403, 'userRateLimitExceeded', `User-rate limit exceeded.  Retry after ${inSeconds(600)}`));
    expect(text.kind).toBe('throttled');
    expect(text.retryAfterMs).toBeGreaterThan(595_000);
    expect(text.retryAfterMs).toBeLessThanOrEqual(600_000);
    const header = classifyGoogleError(refusal(429, 'rateLimitExceeded', `User-rate limit exceeded.  Retry after ${inSeconds(600)}`, { 'Retry-After': '30' }));
    expect(header.retryAfterMs).toBe(30_000);
    expect(classifyGoogleError(refusal(429, 'rateLimitExceeded', 'Too many concurrent requests for user')).retryAfterMs).toBeUndefined();
    // A time in the text of a refusal that is not throttling is not a delay.
    expect(classifyGoogleError(refusal(400, 'invalidArgument', `Retry after ${inSeconds(60)}`)).retryAfterMs).toBeUndefined();
  });

  it('hands Temporal the named delay as nextRetryDelay, none when none was named, and never less than the floor', () => {
    const fromText = googleFailure(refusal(403, 'userRateLimitExceeded', `User-rate limit exceeded.  Retry after ${inSeconds(900)}`));
    expect(fromText.type).toBe('RATE_LIMITED');
    expect(Number(fromText.nextRetryDelay)).toBeGreaterThan(890_000);
    // Neither header nor text: the activity retry policy's exponential back-off applies.
    expect(googleFailure(refusal(429, 'rateLimitExceeded', 'Too many concurrent requests for user')).nextRetryDelay).toBeUndefined();
    expect(googleFailure(refusal(429, 'rateLimitExceeded', 'Slow down', { 'Retry-After': '0' })).nextRetryDelay).toBe(minimumThrottleDelayMs);
  });

  it('backs off exponentially inside the activity when no delay was named, and honours a named one', () => {
    const none = { kind: 'throttled' };
    expect([0, 1, 2].map((attempt) => throttleRetryDelay(none, attempt))).toEqual([1000, 2000, 4000]);
    expect(throttleRetryDelay({ kind: 'throttled', retryAfterMs: 7000 }, 0)).toBe(7000);
    expect(throttleRetryDelay({ kind: 'throttled', retryAfterMs: 0 }, 1)).toBe(2000);
    expect(throttleRetryDelay({ kind: 'invalid' }, 0)).toBeUndefined();
  });
});
