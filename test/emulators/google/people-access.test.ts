import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleTransport, delegatedCredentials } from '../../../connectors/google/google-clients.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { failureOf } from './fixtures.js';
import { contactsReadonlyScope, contactsScope, peopleFor } from './people-fixtures.js';

const users = [
  { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
  { primaryEmail: 'ann@example.com', givenName: 'Ann', familyName: 'Lee' },
];

describe('People API: scopes and accounts', () => {
  let google: StartedGoogleEmulator;
  beforeAll(async () => {
    google = await startGoogleEmulator({ users, quota: { enabled: false } });
  });
  afterAll(() => google.close());

  it('is delegated to the sync’s service account by default, and refuses a token without a contacts scope with 403', async () => {
    expect(google.emulator.serviceAccounts()[0]?.dwdScopes).toContain(contactsScope);
    const gmailOnly = peopleFor(google, 'ann@example.com', ['https://www.googleapis.com/auth/gmail.modify']);
    const failure = await failureOf(gmailOnly.people.connections.list({ resourceName: 'people/me', personFields: 'names' }));
    expect(failure).toMatchObject({ status: 403, kind: 'auth', googleStatus: 'PERMISSION_DENIED', message: 'Request had insufficient authentication scopes.' });
  });

  it('lets contacts.readonly read but not write', async () => {
    const key = google.emulator.addServiceAccount({ clientEmail: 'reader@emulator-project.iam.gserviceaccount.com', projectId: 'emulator-project', dwdScopes: [contactsReadonlyScope] });
    const reader = peopleFor(google, 'ann@example.com', [contactsReadonlyScope], key);
    await expect(reader.people.connections.list({ resourceName: 'people/me', personFields: 'names' })).resolves.toMatchObject({ status: 200 });
    await expect(reader.contactGroups.list({})).resolves.toMatchObject({ status: 200 });
    const failure = await failureOf(reader.people.createContact({ requestBody: { names: [{ givenName: 'X' }] } }));
    expect(failure).toMatchObject({ status: 403, message: 'Request had insufficient authentication scopes.' });
  });

  it('refuses an unknown account at the token endpoint and a suspended one on its next call', async () => {
    const nobody = await failureOf(peopleFor(google, 'nobody@example.com').contactGroups.list({}));
    expect(nobody).toMatchObject({ kind: 'accountRefused', reason: 'invalid_grant' });
    const ann = peopleFor(google, 'ann@example.com');
    await ann.contactGroups.list({});
    google.emulator.updateUser('ann@example.com', { suspended: true });
    try {
      const suspended = await failureOf(ann.contactGroups.list({}));
      expect(suspended).toMatchObject({ status: 403, googleStatus: 'PERMISSION_DENIED' });
    } finally {
      google.emulator.updateUser('ann@example.com', { suspended: false });
    }
  });
});

describe('People API: quotas, the contact limit and concurrent mutates', () => {
  let google: StartedGoogleEmulator;
  // A clock that stands still: buckets do not refill between the calls of a test.
  const frozen = Date.now();
  beforeAll(async () => {
    google = await startGoogleEmulator({ users, now: () => frozen, quota: { peopleReadsPerMinute: 3, peopleWritesPerMinute: 2 }, maxContactsPerUser: 3 });
  });
  afterAll(() => google.close());
  afterEach(() => google.emulator.reset());

  it('answers the write past the per-user per-minute quota with the People API’s 429 RESOURCE_EXHAUSTED', async () => {
    const people = peopleFor(google, 'ann@example.com');
    await people.people.createContact({ requestBody: { names: [{ givenName: 'A' }] } });
    await people.contactGroups.create({ requestBody: { contactGroup: { name: 'G' } } });
    const failure = await failureOf(people.people.createContact({ requestBody: { names: [{ givenName: 'C' }] } }));
    expect(failure).toMatchObject({ status: 429, kind: 'throttled', googleStatus: 'RESOURCE_EXHAUSTED' });
    expect(failure.body).toEqual({
      error: {
        code: 429,
        message: expect.stringMatching(/^Quota exceeded for quota metric '.+' and limit '.+ per minute per user' of service 'people.googleapis.com' for consumer 'project_number:\d+'\.$/),
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'googleapis.com',
            metadata: expect.objectContaining({ service: 'people.googleapis.com', quota_metric: 'people.googleapis.com/write_requests' }),
          },
        ],
      },
    });
    expect(failure.headers?.get('retry-after')).toBeNull();
    expect(google.emulator.contactsOf('ann@example.com')).toHaveLength(1);
    expect(google.emulator.stats().people.throttled).toBe(1);
    expect(google.emulator.stats().quotaRefusals.peopleWrites).toBe(1);
  });

  it('counts reads against their own quota, with the critical-read wording Google uses', async () => {
    const people = peopleFor(google, 'ann@example.com');
    for (let call = 0; call < 3; call++) await people.contactGroups.list({});
    const failure = await failureOf(people.people.connections.list({ resourceName: 'people/me', personFields: 'names' }));
    expect(failure).toMatchObject({ status: 429, message: expect.stringContaining("'Critical read requests (Contact and Profile Reads)'") });
  });

  it('refuses a create past maxContactsPerUser with a 400 FAILED_PRECONDITION that names the limit', async () => {
    const people = peopleFor(google, 'ann@example.com');
    const contacts = [1, 2, 3].map((n) => ({ contactPerson: { names: [{ givenName: `P${n}` }] } }));
    await people.people.batchCreateContacts({ requestBody: { contacts, readMask: 'names' } });
    const failure = await failureOf(people.people.createContact({ requestBody: { names: [{ givenName: 'One too many' }] } }));
    expect(failure.body).toEqual({
      error: { code: 400, message: 'The account has reached the maximum number of contacts (3); delete contacts before creating more.', status: 'FAILED_PRECONDITION' },
    });
    expect(google.emulator.contactsOf('ann@example.com')).toHaveLength(3);
  });

  it('counts a mutate that arrives while another for the same user is in flight, and serves both', async () => {
    const transporter = createGoogleTransport(google.url);
    const auth = delegatedCredentials(google.googleSettings.serviceAccountKey, 'ann@example.com', [contactsScope], transporter);
    const token = (await auth.getAccessToken()).token!;
    const body = JSON.stringify({ names: [{ givenName: 'Slow' }] });
    // The first create's body arrives in two parts; the second create is sent between them.
    let finishSlow: () => void = () => {};
    const slow = new Promise<number>((resolve, reject) => {
      const url = new URL('/v1/people:createContact', google.url);
      const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.write(body.slice(0, 5));
      finishSlow = () => req.end(body.slice(5));
    });
    // Once the slow create is inside its handler (its body half-read), the second is sent.
    await expect.poll(() => google.emulator.stats().people.inFlightMutates, { timeout: 20_000 }).toBe(1);
    const people = peopleFor(google, 'ann@example.com');
    await people.people.createContact({ requestBody: { names: [{ givenName: 'Fast' }] } });
    finishSlow();
    expect(await slow).toBe(200);
    expect(google.emulator.stats().people).toMatchObject({ creates: 2, concurrentMutates: 1, inFlightMutates: 0 });
  });
});

describe('People API: persistence', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'google-people-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps contacts, etags and groups across a restart', async () => {
    const first = await startGoogleEmulator({ users, persistDir: dir, quota: { enabled: false } });
    const people = peopleFor(first, 'ann@example.com');
    const group = (await people.contactGroups.create({ requestBody: { contactGroup: { name: 'Clients' } } })).data;
    const created = (
      await people.people.createContact({
        personFields: 'names,metadata,memberships',
        requestBody: { names: [{ givenName: 'Ann' }], clientData: [{ key: 'm365Id', value: 'AAMk-1' }], memberships: [{ contactGroupMembership: { contactGroupResourceName: group.resourceName! } }] },
      })
    ).data;
    await first.close();

    const second = await startGoogleEmulator({ users, persistDir: dir, quota: { enabled: false } });
    try {
      const again = peopleFor(second, 'ann@example.com');
      const { data } = await again.people.get({ resourceName: created.resourceName!, personFields: 'names,metadata,memberships,clientData' });
      expect(data.etag).toBe(created.etag);
      expect(data.metadata?.sources?.[0]?.etag).toBe(created.metadata?.sources?.[0]?.etag);
      expect(data.clientData?.[0]).toMatchObject({ key: 'm365Id', value: 'AAMk-1' });
      expect(data.memberships?.map((membership) => membership.contactGroupMembership?.contactGroupResourceName)).toEqual(['contactGroups/myContacts', group.resourceName]);
      expect((await again.contactGroups.get({ resourceName: group.resourceName! })).data).toMatchObject({ name: 'Clients', memberCount: 1 });
      second.emulator.reset();
      expect(second.emulator.contactsOf('ann@example.com')).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
