import { admin_directory_v1 } from 'googleapis/build/src/apis/admin/directory_v1.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleClients, createGoogleTransport, delegatedCredentials, directoryScopes } from '../../../connectors/google/google-clients.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { controlHeaders, failureOf, rawTransport } from './fixtures.js';

let clock = Date.now();
let google: StartedGoogleEmulator;
let directory: admin_directory_v1.Admin;

beforeAll(async () => {
  google = await startGoogleEmulator({
    now: () => clock,
    domains: ['example.com', 'example.org'],
    quota: { directoryQueriesPerMinute: 30 },
    users: [
      { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
      { primaryEmail: 'ann@example.com', givenName: 'Ann', familyName: 'Lee', aliases: ['ann.lee@example.org'] },
    ],
  });
});
afterAll(() => google.close());
beforeEach(() => {
  clock = Date.now();
  google.emulator.reset();
  directory = createGoogleClients(google.googleSettings).directory;
});

const newUser = (overrides: Partial<admin_directory_v1.Schema$User> = {}): admin_directory_v1.Schema$User => ({
  primaryEmail: 'bob@example.com',
  name: { givenName: 'Bob', familyName: 'Marsh' },
  password: 'a long enough password',
  ...overrides,
});

describe('Directory users.get and users.list', () => {
  it('gets a user by primary email, alias or id', async () => {
    const { data: byEmail } = await directory.users.get({ userKey: 'ann@example.com' });
    expect(byEmail).toMatchObject({ kind: 'admin#directory#user', primaryEmail: 'ann@example.com', name: { givenName: 'Ann', familyName: 'Lee', fullName: 'Ann Lee' }, suspended: false });
    const { data: byAlias } = await directory.users.get({ userKey: 'ann.lee@example.org' });
    const { data: byId } = await directory.users.get({ userKey: byEmail.id! });
    expect(byAlias.id).toBe(byEmail.id);
    expect(byId.primaryEmail).toBe('ann@example.com');
  });

  it('answers 404 "Resource Not Found: userKey" for a missing user', async () => {
    const failure = await failureOf(directory.users.get({ userKey: 'ghost@example.com' }));
    expect(failure).toMatchObject({ kind: 'notFound', status: 404, reason: 'notFound', message: 'Resource Not Found: userKey' });
  });

  it('lists users of the customer page by page', async () => {
    for (const name of ['carl', 'dina', 'emil']) {
      await directory.users.insert({ requestBody: newUser({ primaryEmail: `${name}@example.com` }) });
    }
    const first = await directory.users.list({ customer: 'my_customer', maxResults: 3 });
    expect(first.data.users?.map((user) => user.primaryEmail)).toEqual(['admin@example.com', 'ann@example.com', 'carl@example.com']);
    const second = await directory.users.list({ customer: 'my_customer', maxResults: 3, pageToken: first.data.nextPageToken! });
    expect(second.data.users?.map((user) => user.primaryEmail)).toEqual(['dina@example.com', 'emil@example.com']);
    expect(second.data.nextPageToken).toBeUndefined();

    const query = await directory.users.list({ customer: 'my_customer', query: 'email:dina@example.com' });
    expect(query.data.users?.map((user) => user.primaryEmail)).toEqual(['dina@example.com']);
  });

  it('answers 404 "Domain not found." for a foreign domain and 400 without customer or domain', async () => {
    expect(await failureOf(directory.users.list({ domain: 'elsewhere.example' }))).toMatchObject({ status: 404, message: 'Domain not found.' });
    expect(await failureOf(directory.users.list({}))).toMatchObject({ kind: 'invalid', status: 400, reason: 'badRequest' });
  });
});

describe('Directory users.insert', () => {
  it('creates a user in a tenant domain', async () => {
    const { status, data } = await directory.users.insert({ requestBody: newUser({ primaryEmail: 'bob@example.org', changePasswordAtNextLogin: true }) });
    expect(status).toBe(200);
    expect(data).toMatchObject({ primaryEmail: 'bob@example.org', isAdmin: false, suspended: false, changePasswordAtNextLogin: true, id: expect.stringMatching(/^\d+$/) });
    expect(data).not.toHaveProperty('password');
    expect(google.emulator.getUser('bob@example.org')).toMatchObject({ id: data.id });
  });

  it('answers 409 "Entity already exists." for a taken address (primary or alias)', async () => {
    for (const primaryEmail of ['ann@example.com', 'ann.lee@example.org']) {
      const failure = await failureOf(directory.users.insert({ requestBody: newUser({ primaryEmail }) }));
      expect(failure).toMatchObject({ kind: 'conflict', status: 409, reason: 'duplicate', message: 'Entity already exists.' });
    }
  });

  it('answers 400 "Invalid Given/Family Name" for bad names', async () => {
    const given = await failureOf(directory.users.insert({ requestBody: newUser({ name: { givenName: '', familyName: 'Marsh' } }) }));
    expect(given).toMatchObject({ kind: 'invalid', status: 400, reason: 'invalid', message: 'Invalid Given/Family Name: GivenName' });
    const family = await failureOf(directory.users.insert({ requestBody: newUser({ name: { givenName: 'Bob', familyName: 'x'.repeat(61) } }) }));
    expect(family).toMatchObject({ status: 400, message: 'Invalid Given/Family Name: FamilyName' });
  });

  it('answers 400 "Invalid Password" outside 8 to 100 characters', async () => {
    for (const password of ['short', 'p'.repeat(101)]) {
      expect(await failureOf(directory.users.insert({ requestBody: newUser({ password }) }))).toMatchObject({ status: 400, reason: 'invalid', message: 'Invalid Password' });
    }
  });

  it('answers 403 "Not Authorized to access this resource/api" for a domain the tenant does not own', async () => {
    const failure = await failureOf(directory.users.insert({ requestBody: newUser({ primaryEmail: 'bob@elsewhere.example' }) }));
    expect(failure).toMatchObject({ kind: 'other', status: 403, reason: 'forbidden', message: 'Not Authorized to access this resource/api' });
  });

  it('answers provisioning failures armed through the control API in Google error shape', async () => {
    const arm = await rawTransport().request({
      url: `${google.url}/_control/provisioning-failures`,
      method: 'POST',
      headers: controlHeaders,
      data: { email: 'bob@example.com', status: 412, reason: 'conditionNotMet', message: 'Precondition Failed: licence pool exhausted', count: 1 },
    });
    expect(arm.status).toBe(201);

    const failure = await failureOf(directory.users.insert({ requestBody: newUser() }));
    expect(failure).toMatchObject({ kind: 'precondition', status: 412, reason: 'conditionNotMet', message: 'Precondition Failed: licence pool exhausted' });
    expect(failure.body).toEqual({
      error: { code: 412, message: 'Precondition Failed: licence pool exhausted', errors: [{ message: 'Precondition Failed: licence pool exhausted', domain: 'global', reason: 'conditionNotMet' }] },
    });
    // count: 1 — the next attempt goes through
    expect((await directory.users.insert({ requestBody: newUser() })).status).toBe(200);
  });

  it('requires the impersonated subject to be an administrator', async () => {
    const asAnn = new admin_directory_v1.Admin({ auth: delegatedCredentials(google.googleSettings.serviceAccountKey, 'ann@example.com', directoryScopes, createGoogleTransport(google.url)) });
    const failure = await failureOf(asAnn.users.get({ userKey: 'ann@example.com' }));
    expect(failure).toMatchObject({ status: 403, message: 'Not Authorized to access this resource/api' });
  });
});

describe('Directory quota', () => {
  it('answers 403 userRateLimitExceeded (usageLimits) with Retry-After past the per-user queries per minute', async () => {
    for (let query = 0; query < 30; query++) await directory.users.get({ userKey: 'ann@example.com' });
    const failure = await failureOf(directory.users.get({ userKey: 'ann@example.com' }));
    expect(failure).toMatchObject({ kind: 'throttled', status: 403, reason: 'userRateLimitExceeded', retryAfterMs: 2000 });
    expect((failure.body as { error: { errors: Array<{ domain: string }> } }).error.errors[0]?.domain).toBe('usageLimits');
    expect(google.emulator.stats().quotaRefusals.directoryQueries).toBe(1);

    clock += 2000;
    expect((await directory.users.get({ userKey: 'ann@example.com' })).status).toBe(200);
  });
});
