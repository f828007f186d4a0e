import { PassThrough } from 'node:stream';
import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { configuredRootUrl, createGoogleClients, type GoogleClients } from '../../../connectors/google/google-clients.js';
import { importMessage } from '../../../activities/google/gmail-import.js';
import { resolveOptions } from '../../../emulators/google/options.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { buildMessage, controlHeaders, failureOf, rawTransport } from './fixtures.js';

let clock = Date.now();
let google: StartedGoogleEmulator;
let clients: GoogleClients;
let ann: gmail_v1.Gmail;

beforeAll(async () => {
  google = await startGoogleEmulator({
    now: () => clock,
    // 100 units per user per minute: four imports (25 units each), then refusals.
    quota: { userUnitsPerMinute: 100, projectUnitsPerMinute: 150, perUserConcurrency: 1 },
    users: [
      { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
      { primaryEmail: 'ann@example.com', givenName: 'Ann', familyName: 'Lee' },
      { primaryEmail: 'bob@example.com', givenName: 'Bob', familyName: 'Marsh' },
    ],
  });
});
afterAll(() => google.close());
beforeEach(() => {
  clock = Date.now();
  google.emulator.reset();
  clients = createGoogleClients(google.googleSettings);
  ann = clients.gmailFor('ann@example.com');
});

const importInto = async (gmail: gmail_v1.Gmail) => importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: [] });

async function throttle(body: Record<string, unknown>): Promise<void> {
  const response = await rawTransport().request({ url: `${google.url}/_control/throttle`, method: 'POST', headers: controlHeaders, data: body });
  expect(response.status).toBe(200);
}

describe('Gmail per-user units', () => {
  it('answers 403 userRateLimitExceeded (usageLimits) naming the time only in its message, as Gmail does, and the sync reads it', async () => {
    for (let n = 0; n < 4; n++) await importInto(ann);
    const failure = await failureOf(importInto(ann));
    // 100 units a minute refill at 5/3 per second: 25 units take 15 s.
    expect(failure).toMatchObject({ kind: 'throttled', status: 403, reason: 'userRateLimitExceeded' });
    expect(failure.body).toMatchObject({ error: { code: 403, errors: [{ domain: 'usageLimits', reason: 'userRateLimitExceeded' }] } });
    expect(failure.message).toBe(`User-rate limit exceeded.  Retry after ${new Date(clock + 15_000).toISOString()}`);
    expect(failure.headers?.get('retry-after')).toBeNull();
    // Read from the text: the time named, less what has passed on the real clock since `clock` was taken.
    // (Bounded by what has really passed, so a loaded machine cannot fail it.)
    const realElapsed = Date.now() - clock;
    expect(failure.retryAfterMs).toBeGreaterThanOrEqual(15_000 - realElapsed - 1_000);
    expect(failure.retryAfterMs).toBeLessThanOrEqual(15_000);

    clock += 15_000;
    await importInto(ann);
    expect(google.emulator.stats().quotaRefusals.userUnits).toBe(1);
  });

  it('charges each method its own cost (labels.list is 1 unit, import 25)', async () => {
    for (let n = 0; n < 3; n++) await importInto(ann);
    for (let n = 0; n < 25; n++) await ann.users.labels.list({ userId: 'me' });
    const failure = await failureOf(ann.users.labels.list({ userId: 'me' }));
    expect(failure).toMatchObject({ status: 403, reason: 'userRateLimitExceeded', message: `User-rate limit exceeded.  Retry after ${new Date(clock + 1000).toISOString()}` });
  });

  it('scales quotas through the control API (quotaScale)', async () => {
    await throttle({ quotaScale: 0.5 });
    await importInto(ann);
    await importInto(ann);
    expect(await failureOf(importInto(ann))).toMatchObject({
      status: 403,
      reason: 'userRateLimitExceeded',
      message: `User-rate limit exceeded.  Retry after ${new Date(clock + 30_000).toISOString()}`,
    });
  });
});

describe('Gmail project budget and per-user concurrency', () => {
  it('answers 403 rateLimitExceeded when the project budget is spent, across users', async () => {
    const bob = clients.gmailFor('bob@example.com');
    for (let n = 0; n < 3; n++) await importInto(ann);
    for (let n = 0; n < 3; n++) await importInto(bob);
    const failure = await failureOf(importInto(bob));
    expect(failure).toMatchObject({ kind: 'throttled', status: 403, reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' });
    expect(failure.body).toMatchObject({ error: { errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded' }] } });
    // Neither a Retry-After header nor a time in the text: the client backs off on its own.
    expect(failure.headers?.get('retry-after')).toBeNull();
    expect(failure.retryAfterMs).toBeUndefined();
    expect(google.emulator.stats().quotaRefusals.projectUnits).toBe(1);
  });

  it('answers 429 "Too many concurrent requests for user" while another request of the user is in flight', async () => {
    // An upload whose body is still being sent holds the user's only slot.
    const pending = new PassThrough();
    const held = ann.users.messages.import({ userId: 'me', media: { mimeType: 'message/rfc822', body: pending } }, { rootUrl: configuredRootUrl(ann) });
    pending.write('From: dana@contoso.example\r\nSubject: held\r\n');

    await vi.waitFor(
      async () => {
        const failure = await failureOf(ann.users.labels.list({ userId: 'me' }));
        expect(failure).toMatchObject({ kind: 'throttled', status: 429, reason: 'rateLimitExceeded', googleStatus: 'RESOURCE_EXHAUSTED', message: 'Too many concurrent requests for user' });
      },
      { timeout: 10_000, interval: 20 },
    );
    // Another user is not affected.
    await clients.gmailFor('bob@example.com').users.labels.list({ userId: 'me' });

    pending.end('\r\nbody\r\n');
    expect((await held).status).toBe(200);
    await ann.users.labels.list({ userId: 'me' });
  });
});

describe('injected throttling (POST /_control/throttle)', () => {
  it('answers the given share of requests 429 with the given Retry-After, and gaxios does not retry them', async () => {
    await throttle({ ratio: 0.5, retryAfterSeconds: 7 });
    const outcomes: Array<number | string> = [];
    for (let n = 0; n < 4; n++) {
      try {
        await ann.users.labels.list({ userId: 'me' });
        outcomes.push('ok');
      } catch (error) {
        const failure = await failureOf(Promise.reject(error));
        expect(failure).toMatchObject({ kind: 'throttled', status: 429, reason: 'rateLimitExceeded', retryAfterMs: 7000 });
        outcomes.push(429);
      }
    }
    expect(outcomes).toEqual(['ok', 429, 'ok', 429]);
    // Four calls, four requests: no automatic retry hid a refusal.
    expect(google.emulator.stats().requests['GET /gmail/v1/users/:userId/labels']).toEqual({ '200': 2, '429': 2 });
    expect(google.emulator.stats().quotaRefusals.injected).toBe(2);
  });

  it('names the delay in each of Gmail\'s forms: Retry-After header, "Retry after <time>" in the message only, or neither', async () => {
    await throttle({ ratio: 1, retryAfterSeconds: 40, retryAfterForm: 'header' });
    const header = await failureOf(ann.users.labels.list({ userId: 'me' }));
    expect(header).toMatchObject({ kind: 'throttled', status: 429, googleStatus: 'RESOURCE_EXHAUSTED', retryAfterMs: 40_000 });
    expect(header.headers?.get('retry-after')).toBe('40');

    await throttle({ retryAfterForm: 'message' });
    const message = await failureOf(ann.users.labels.list({ userId: 'me' }));
    expect(message).toMatchObject({ kind: 'throttled', status: 403, reason: 'userRateLimitExceeded', message: `User-rate limit exceeded.  Retry after ${new Date(clock + 40_000).toISOString()}` });
    expect(message.headers?.get('retry-after')).toBeNull();
    expect(message.retryAfterMs).toBeGreaterThan(38_000);
    expect(message.retryAfterMs).toBeLessThanOrEqual(40_000);

    await throttle({ retryAfterForm: 'none' });
    const none = await failureOf(ann.users.labels.list({ userId: 'me' }));
    expect(none).toMatchObject({ kind: 'throttled', status: 429, message: 'Resource has been exhausted (e.g. check quota).' });
    expect(none.headers?.get('retry-after')).toBeNull();
    expect(none.retryAfterMs).toBeUndefined();
    expect(google.emulator.stats().quotaRefusals.injected).toBe(3);
  });

  it('validates the throttle body', async () => {
    for (const body of [{}, { ratio: 2 }, { quotaScale: 0 }, { retryAfterSeconds: 'soon' }, { retryAfterForm: 'trailer' }]) {
      const response = await rawTransport().request<{ error: { message: string } }>({ url: `${google.url}/_control/throttle`, method: 'POST', headers: controlHeaders, data: body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.data.error.message).toMatch(/^Invalid body: /);
    }
  });
});

describe('quota options', () => {
  it('defaults to Google limits and method costs; importCost sets import and insert together', () => {
    const defaults = resolveOptions().quota;
    expect(defaults).toMatchObject({ enabled: true, userUnitsPerMinute: 15_000, projectUnitsPerMinute: 1_200_000, perUserConcurrency: 10, directoryQueriesPerMinute: 2_400 });
    expect(defaults.methodCosts).toMatchObject({ 'messages.import': 25, 'labels.create': 5, 'labels.list': 1, 'messages.get': 5, 'messages.list': 5, 'messages.modify': 5 });

    const newProject = resolveOptions({ quota: { userUnitsPerMinute: 6_000, importCost: 20 } }).quota;
    expect(newProject.userUnitsPerMinute).toBe(6_000);
    expect(newProject.methodCosts).toMatchObject({ 'messages.import': 20, 'messages.insert': 20, 'labels.list': 1 });
  });
});
