import { importPKCS8, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleClients, createGoogleTransport, delegatedCredentials, gmailScopes } from '../../../connectors/google/google-clients.js';
import { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { createServiceAccountKey, type ServiceAccountKeyJson } from '../../../emulators/google/index.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { controlHeaders, failureOf, rawTransport } from './fixtures.js';

const tokenUrl = 'https://oauth2.googleapis.com/token';
let clock = Date.now();
let google: StartedGoogleEmulator;

beforeAll(async () => {
  google = await startGoogleEmulator({
    now: () => clock,
    tokenLifetimeSeconds: 900,
    users: [
      { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
      { primaryEmail: 'ann@example.com', givenName: 'Ann', familyName: 'Lee' },
      { primaryEmail: 'sam@example.com', givenName: 'Sam', familyName: 'Ortiz', suspended: true },
    ],
  });
});
afterAll(() => google.close());
beforeEach(() => {
  clock = Date.now();
  google.emulator.reset();
});

/** Gmail for `subject` through the real JWT client, with any key and scopes. */
function gmailAs(subject: string, key: ServiceAccountKeyJson = google.googleSettings.serviceAccountKey, scopes: readonly string[] = gmailScopes) {
  const auth = delegatedCredentials(key, subject, scopes, createGoogleTransport(google.url));
  return new gmail_v1.Gmail({ auth });
}

async function postAssertion(claims: Record<string, unknown>, key = google.googleSettings.serviceAccountKey) {
  const nowSeconds = Math.floor(clock / 1000);
  const assertion = await new SignJWT({ scope: gmailScopes.join(' '), aud: tokenUrl, iss: key.client_email, sub: 'ann@example.com', iat: nowSeconds, exp: nowSeconds + 3600, ...claims })
    .setProtectedHeader({ alg: 'RS256' })
    .sign(await importPKCS8(key.private_key, 'RS256'));
  return rawTransport().request<{ access_token?: string; error?: string; error_description?: string }>({
    url: `${google.url}/token`,
    method: 'POST',
    data: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
  });
}

function tokenRequests(status: number): number {
  return google.emulator.stats().requests['POST /token']?.[String(status)] ?? 0;
}

describe('token endpoint: JWT-bearer grant with domain-wide delegation', () => {
  it('issues a token for the impersonated user to the real JWT client, and the APIs accept it', async () => {
    const access = await createGoogleClients(google.googleSettings).testAccess();
    expect(access.adminSubject).toBe('admin@example.com');
    expect(access.adminUserId).toMatch(/^\d+$/);

    const response = await postAssertion({});
    expect(response.status).toBe(200);
    expect(response.data).toMatchObject({ token_type: 'Bearer', expires_in: 900, access_token: expect.stringMatching(/^ya29\./) });
  });

  it('answers invalid_grant "Invalid email or User ID" when the subject does not exist or is suspended (a refusal of that user, not of the key)', async () => {
    for (const subject of ['ghost@example.com', 'sam@example.com']) {
      const failure = await failureOf(gmailAs(subject).users.labels.list({ userId: 'me' }));
      expect(failure).toMatchObject({ kind: 'accountRefused', status: 400, reason: 'invalid_grant', message: 'Invalid email or User ID' });
      expect(failure.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid email or User ID' });
    }
  });

  it('answers 401 unauthorized_client when a scope is not authorized for delegation', async () => {
    const failure = await failureOf(gmailAs('ann@example.com', undefined, ['https://www.googleapis.com/auth/gmail.send']).users.labels.list({ userId: 'me' }));
    expect(failure).toMatchObject({
      kind: 'auth',
      status: 401,
      reason: 'unauthorized_client',
      message: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
    });
  });

  it('answers 401 unauthorized_client when the client id has no delegation at all', async () => {
    const key = google.emulator.addServiceAccount({ clientEmail: 'no-dwd@emulator-project.iam.gserviceaccount.com', projectId: 'emulator-project', dwdScopes: [] });
    const failure = await failureOf(gmailAs('ann@example.com', key).users.labels.list({ userId: 'me' }));
    expect(failure).toMatchObject({ status: 401, reason: 'unauthorized_client', message: 'Unauthorized client or scope in request.' });
  });

  it('answers invalid_grant "Invalid JWT Signature." for a key the service account does not have', async () => {
    const stranger = createServiceAccountKey({ clientEmail: google.googleSettings.serviceAccountKey.client_email, projectId: 'emulator-project' });
    const failure = await failureOf(gmailAs('ann@example.com', stranger.key).users.labels.list({ userId: 'me' }));
    expect(failure).toMatchObject({ kind: 'auth', status: 400, reason: 'invalid_grant', message: 'Invalid JWT Signature.' });
  });

  it('refuses assertions living longer than an hour or issued in the future with invalid_grant', async () => {
    const nowSeconds = Math.floor(clock / 1000);
    const tooLong = await postAssertion({ exp: nowSeconds + 3601 });
    const fromTheFuture = await postAssertion({ iat: nowSeconds + 1800, exp: nowSeconds + 3600 });
    const expired = await postAssertion({ iat: nowSeconds - 7200, exp: nowSeconds - 3600 });
    for (const response of [tooLong, fromTheFuture, expired]) {
      expect(response.status).toBe(400);
      expect(response.data.error).toBe('invalid_grant');
      expect(response.data.error_description).toMatch(/^Invalid JWT: Token must be a short-lived token \(60 minutes\)/);
    }
  });

  it('answers invalid_scope for an empty scope and unsupported_grant_type for other grants', async () => {
    const emptyScope = await postAssertion({ scope: '' });
    expect(emptyScope.status).toBe(400);
    expect(emptyScope.data).toEqual({ error: 'invalid_scope', error_description: 'Invalid OAuth scope or ID token audience provided.' });

    const otherGrant = await rawTransport().request<{ error: string }>({
      url: `${google.url}/token`,
      method: 'POST',
      data: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(otherGrant.status).toBe(400);
    expect(otherGrant.data.error).toBe('unsupported_grant_type');
  });

  it('answers an unknown bearer token with the 401 body and WWW-Authenticate header Google sends', async () => {
    const response = await rawTransport().request({ url: `${google.url}/gmail/v1/users/me/labels`, headers: { authorization: 'Bearer ya29.not-a-token' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="https://accounts.google.com/", error="invalid_token"');
    expect(response.data).toEqual({
      error: {
        code: 401,
        message:
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }],
        status: 'UNAUTHENTICATED',
      },
    });
  });
});

describe('token lifetime and the credentials control routes', () => {
  it('expires tokens after their lifetime; the client gets a new one and the call goes through', async () => {
    const gmail = createGoogleClients(google.googleSettings).gmailFor('ann@example.com');
    await gmail.users.labels.list({ userId: 'me' });
    clock += 901_000;
    const { data } = await gmail.users.labels.list({ userId: 'me' });
    expect(data.labels?.some((label) => label.id === 'INBOX')).toBe(true);
    expect(tokenRequests(200)).toBe(2);
    expect(google.emulator.stats().requests['GET /gmail/v1/users/:userId/labels']).toEqual({ '200': 2, '401': 1 });
  });

  it('expire-tokens: issued tokens stop working and new ones can be obtained', async () => {
    const gmail = createGoogleClients(google.googleSettings).gmailFor('ann@example.com');
    await gmail.users.labels.list({ userId: 'me' });
    const expire = await rawTransport().request({ url: `${google.url}/_control/credentials/expire-tokens`, method: 'POST' });
    expect(expire.status).toBe(200);
    await gmail.users.labels.list({ userId: 'me' });
    expect(tokenRequests(200)).toBe(2);
  });

  it('revoke: the key stops working (invalid_grant "Invalid JWT Signature.") and issued tokens stop working', async () => {
    const gmail = createGoogleClients(google.googleSettings).gmailFor('ann@example.com');
    await gmail.users.labels.list({ userId: 'me' });
    const revoke = await rawTransport().request({ url: `${google.url}/_control/credentials/revoke`, method: 'POST', headers: controlHeaders, data: {} });
    expect(revoke.status).toBe(200);

    const failure = await failureOf(gmail.users.labels.list({ userId: 'me' }));
    expect(failure).toMatchObject({ kind: 'auth', reason: 'invalid_grant', message: 'Invalid JWT Signature.' });
    expect(google.emulator.stats().requests['GET /gmail/v1/users/:userId/labels']?.['401']).toBe(1);
  });

  it('rotate: answers a new key for the same service account; the old key stops working', async () => {
    const rotate = await rawTransport().request<{ serviceAccountKey: ServiceAccountKeyJson }>({
      url: `${google.url}/_control/credentials/rotate`,
      method: 'POST',
      headers: controlHeaders,
      data: {},
    });
    expect(rotate.status).toBe(200);
    const fresh = rotate.data.serviceAccountKey;
    const old = google.googleSettings.serviceAccountKey;
    expect(fresh).toMatchObject({ type: 'service_account', client_email: old.client_email, client_id: old.client_id, token_uri: tokenUrl });
    expect(fresh.private_key_id).not.toBe(old.private_key_id);

    const withOldKey = await failureOf(gmailAs('ann@example.com', old).users.labels.list({ userId: 'me' }));
    expect(withOldKey).toMatchObject({ reason: 'invalid_grant', message: 'Invalid JWT Signature.' });
    const { data } = await gmailAs('ann@example.com', fresh).users.labels.list({ userId: 'me' });
    expect(data.labels?.length).toBeGreaterThan(0);
  });

  it('binds a token to its subject: another user mailbox answers 403 "Delegation denied"', async () => {
    const failure = await failureOf(gmailAs('ann@example.com').users.labels.list({ userId: 'admin@example.com' }));
    expect(failure).toMatchObject({ kind: 'other', status: 403, reason: 'forbidden', message: 'Delegation denied for ann@example.com' });
  });
});
