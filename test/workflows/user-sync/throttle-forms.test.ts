import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus, UserErrorCode } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { createSyncFixture, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { testPayloadCodec } from '../../helpers/temporal.js';
import type { Payload } from '@temporalio/common';

async function throttleGoogle(fixture: SyncFixture, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${fixture.google.url}/_control/throttle`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

interface RequestedRetry {
  type: string | null | undefined;
  /** The nextRetryDelay (ms) the failed activity asked Temporal for, or null when it asked none. */
  delayMs: number | null;
  /** Google's refusal as the sync recorded it (the failure's details). */
  google: { status?: number; reason?: string; message?: string; retryAfterMs?: number };
}

/** What the first failed activity of the run asked Temporal for (its details decrypted with the run's payload codec). */
async function firstRequestedRetry(history: temporal.api.history.v1.IHistory): Promise<RequestedRetry> {
  const failed = history.events?.find((event) => event.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes;
  expect(failed, 'an activity failed').toBeDefined();
  const info = failed!.failure?.applicationFailureInfo;
  const delay = info?.nextRetryDelay;
  const stored = info?.details?.payloads?.[0];
  const detail = stored ? (await testPayloadCodec().decode([stored as Payload]))[0]!.data : undefined;
  return {
    type: info?.type,
    delayMs: delay ? Number(delay.seconds ?? 0) * 1000 + Math.round((delay.nanos ?? 0) / 1e6) : null,
    google: detail ? (JSON.parse(Buffer.from(detail).toString('utf8')) as RequestedRetry['google']) : {},
  };
}

describe("user sync: Gmail's quota refusals in each form", () => {
  let fixture: SyncFixture;
  let users: DirectoryUser[];

  beforeAll(async () => {
    fixture = await createSyncFixture();
    users = fixture.m365.emulator.seed({ seed: 61, users: 3, messagesPerUser: 2, failingItemsPerUser: 0, groups: false }).users;
  });
  afterAll(async () => fixture?.close());

  const cases = [
    {
      form: 'header',
      check: ({ delayMs, google }: RequestedRetry) => {
        expect(google).toMatchObject({ status: 429, retryAfterMs: 120_000 });
        expect(delayMs).toBe(120_000);
      },
    },
    {
      // Only the message says when: "User-rate limit exceeded.  Retry after <time>", no header.
      form: 'message',
      check: ({ delayMs, google }: RequestedRetry) => {
        expect(google).toMatchObject({ status: 403, reason: 'userRateLimitExceeded', message: expect.stringMatching(/^User-rate limit exceeded\. {2}Retry after \d{4}-/) });
        expect(delayMs).toBeGreaterThan(100_000);
        expect(delayMs).toBeLessThanOrEqual(120_000);
      },
    },
    {
      // Neither: no nextRetryDelay, so the retry policy's exponential back-off decides.
      form: 'none',
      check: ({ delayMs, google }: RequestedRetry) => {
        expect(google).toMatchObject({ status: 429 });
        expect(google.retryAfterMs).toBeUndefined();
        expect(delayMs).toBeNull();
      },
    },
  ] as const;

  for (const [index, { form, check }] of cases.entries()) {
    it(`asks Temporal for the delay Google named (${form})`, async () => {
      await throttleGoogle(fixture, { ratio: 1, retryAfterSeconds: 120, retryAfterForm: form });
      try {
        const { handle } = await fixture.startSync(users[index]!, { tuning: { maxActivityAttempts: 1 } });
        const failed = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Failed, 60_000);
        expect(failed.lastError?.code).toBe(UserErrorCode.RateLimited);
        const requested = await firstRequestedRetry(await handle.fetchHistory());
        expect(requested.type).toBe(UserErrorCode.RateLimited);
        check(requested);
      } finally {
        await throttleGoogle(fixture, { ratio: 0 });
      }
    });
  }
});
