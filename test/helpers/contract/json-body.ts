import type { ObservedResponse } from '../../../emulators/response-observer.js';

/** A response body read as JSON, or why it cannot be (wrong Content-Type, not JSON, empty). */
export function parseJsonBody(response: ObservedResponse): { value?: unknown; problem?: string } {
  if (!/^application\/json\b/i.test(response.contentType)) {
    return { problem: `answers with Content-Type "${response.contentType || '(none)'}" where the service answers application/json` };
  }
  try {
    return { value: JSON.parse(response.body ?? '') as unknown };
  } catch {
    return { problem: 'the body is not valid JSON' };
  }
}
