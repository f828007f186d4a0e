import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { countThrottledResponse } from './sync-metrics.js';

/**
 * Counts the rate-limit and quota refusals at the one place every request of
 * a connector passes, so each refused HTTP answer is counted exactly once,
 * however often the sync later classifies or retries it. Which answers are
 * refusals is decided by the connector's own classifier, passed in.
 */

/** What a classifier says about a failure: only its kind and status matter here. */
export interface ClassifiedFailure {
  kind: string;
  status?: number;
}

/**
 * A gaxios response interceptor for the Google transport: gaxios calls
 * `rejected` for every answer outside 2xx (and for network errors). It
 * rethrows the error untouched, so nothing downstream changes.
 */
export function googleThrottleCounter(classify: (err: unknown) => ClassifiedFailure): { rejected: (err: unknown) => never } {
  return {
    rejected(err: unknown): never {
      const failure = classify(err);
      if (failure.kind === 'throttled') countThrottledResponse('google-workspace', failure.status);
      throw err;
    },
  };
}

/** The shape Graph's classifier takes for a single answer (as inside a $batch). */
export interface GraphAnswer {
  status: number;
  headers: Record<string, string>;
}

/**
 * A Graph SDK middleware, placed just before the HTTP handler, that looks at
 * each answer Graph sent and counts the throttled ones. It changes nothing.
 */
export class GraphThrottleCounter implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly classify: (answer: GraphAnswer) => ClassifiedFailure) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error('GraphThrottleCounter needs a next middleware');
    await this.next.execute(context);
    const response = context.response;
    if (!response || response.status < 400) return;
    const failure = this.classify({ status: response.status, headers: Object.fromEntries(response.headers.entries()) });
    if (failure.kind === 'throttled') countThrottledResponse('microsoft365', response.status);
  }
}
