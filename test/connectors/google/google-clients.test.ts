import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleClients, createGoogleTransport } from '../../../connectors/google/google-clients.js';
import { classifyGoogleError, parseRetryAfterMs } from '../../../connectors/google/google-errors.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { failureOf } from '../../emulators/google/fixtures.js';

let google: StartedGoogleEmulator;

beforeAll(async () => {
  google = await startGoogleEmulator({
    users: [
      { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
      { primaryEmail: 'ann@example.com', givenName: 'Ann', familyName: 'Lee' },
    ],
  });
});
afterAll(() => google.close());
beforeEach(() => google.emulator.reset());

describe('createGoogleClients', () => {
  it('sends every Google host to apiBaseUrl and leaves other hosts alone', async () => {
    const transport = createGoogleTransport(google.url);
    const reached = async (url: string, method: 'GET' | 'POST' = 'GET') => (await transport.request({ url, method, validateStatus: () => true })).status;
    expect(await reached('https://gmail.googleapis.com/gmail/v1/users/me/labels')).toBe(401);
    expect(await reached('https://admin.googleapis.com/admin/directory/v1/users/admin@example.com')).toBe(401);
    expect(await reached('https://www.googleapis.com/gmail/v1/users/me/profile')).toBe(401);
    expect(await reached('https://oauth2.googleapis.com/token', 'POST')).toBe(400);
    expect(google.emulator.stats().requests).toMatchObject({
      'GET /gmail/v1/users/:userId/labels': { '401': 1 },
      'GET /admin/directory/v1/users/:userKey': { '401': 1 },
      'GET /gmail/v1/users/:userId/profile': { '401': 1 },
      'POST /token': { '400': 1 },
    });

    const elsewhere = await failureOf(transport.request({ url: 'https://localhost:1/gmail/v1/users/me/labels' }));
    expect(elsewhere.kind).toBe('unavailable');
  });

  it('caches one Gmail client per user', () => {
    const clients = createGoogleClients(google.googleSettings);
    expect(clients.gmailFor('ann@example.com')).toBe(clients.gmailFor('ANN@example.com'));
    expect(clients.gmailFor('ann@example.com')).not.toBe(clients.gmailFor('admin@example.com'));
  });

  it('keeps a user’s clients while they are used, and builds new ones after they were idle', async () => {
    const clients = createGoogleClients({ ...google.googleSettings, userClientIdleMs: 600 });
    const gmail = clients.gmailFor('ann@example.com');
    const people = clients.peopleFor('ann@example.com');
    for (let use = 0; use < 4; use += 1) {
      await sleep(200);
      expect(clients.gmailFor('ann@example.com')).toBe(gmail);
    }
    await sleep(900);
    expect(clients.gmailFor('ann@example.com')).not.toBe(gmail);
    expect(clients.peopleFor('ann@example.com')).not.toBe(people);
    // A new client works as the first did: a token of its own, then the call.
    const { data } = await clients.gmailFor('ann@example.com').users.labels.list({ userId: 'me' });
    expect(data.labels?.length).toBeGreaterThan(0);
  });

  it('testAccess fails with the token endpoint error when Gmail scopes are not delegated', async () => {
    const directoryOnly = google.emulator.addServiceAccount({
      clientEmail: 'directory-only@emulator-project.iam.gserviceaccount.com',
      projectId: 'emulator-project',
      dwdScopes: ['https://www.googleapis.com/auth/admin.directory.user'],
    })!;
    const failure = await failureOf(createGoogleClients({ ...google.googleSettings, serviceAccountKey: directoryOnly }).testAccess());
    expect(failure).toMatchObject({ kind: 'auth', status: 401, reason: 'unauthorized_client' });
  });

  it('surfaces a refusal at once: no automatic retry of a POST answered 429', async () => {
    google.emulator.throttle({ ratio: 1, retryAfterSeconds: 3 });
    const gmail = createGoogleClients(google.googleSettings).gmailFor('ann@example.com');
    const failure = await failureOf(gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Once' } }));
    expect(failure).toMatchObject({ kind: 'throttled', status: 429, retryAfterMs: 3000 });
    expect(google.emulator.stats().requests['POST /gmail/v1/users/:userId/labels']).toEqual({ '429': 1 });
  });
});

describe('classifyGoogleError', () => {
  const answer = (status: number, data: unknown, headers: Record<string, string> = {}) => ({
    response: { status, data, headers: new Headers(headers) },
    message: `Request failed with status code ${status}`,
  });
  const apiError = (code: number, reason: string, message: string, status?: string) => ({ error: { code, message, errors: [{ message, domain: 'global', reason }], status } });

  it('sorts Google answers into the kinds the sync acts on, keeping Google detail', () => {
    expect(classifyGoogleError(answer(503, apiError(503, 'backendError', 'Backend Error')))).toEqual({ kind: 'unavailable', status: 503, reason: 'backendError', message: 'Backend Error' });
    expect(classifyGoogleError(answer(413, 'Request Entity Too Large'))).toMatchObject({ kind: 'tooLarge', status: 413 });
    expect(classifyGoogleError(answer(412, apiError(412, 'conditionNotMet', 'Precondition Failed')))).toMatchObject({ kind: 'precondition', reason: 'conditionNotMet' });
    expect(classifyGoogleError(answer(403, apiError(403, 'quotaExceeded', 'Quota exceeded')))).toMatchObject({ kind: 'throttled' });
    expect(classifyGoogleError(answer(403, apiError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.')))).toMatchObject({ kind: 'auth' });
    // A refusal of one request (e.g. users.insert in a domain the tenant does not own), not of the credentials.
    expect(classifyGoogleError(answer(403, apiError(403, 'forbidden', 'Not Authorized to access this resource/api')))).toMatchObject({ kind: 'other', reason: 'forbidden' });
    expect(classifyGoogleError(answer(400, { error: 'invalid_grant', error_description: 'Robot is disabled.' }))).toEqual({
      kind: 'auth',
      status: 400,
      reason: 'invalid_grant',
      message: 'Robot is disabled.',
    });
    expect(classifyGoogleError(answer(500, { error: 'internal_failure' }))).toMatchObject({ kind: 'unavailable', reason: 'internal_failure' });
    expect(classifyGoogleError(new Error('something else'))).toEqual({ kind: 'other', reason: undefined, message: 'something else' });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(classifyGoogleError(answer(429, apiError(429, 'rateLimitExceeded', 'Slow down'), { 'Retry-After': '12' })).retryAfterMs).toBe(12_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('whenever', now)).toBeUndefined();
  });
});
