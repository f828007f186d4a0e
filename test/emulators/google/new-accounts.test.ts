import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gmail_v1 } from 'googleapis/build/src/apis/gmail/v1.js';
import { createGoogleClients, createGoogleTransport, delegatedCredentials, gmailScopes } from '../../../connectors/google/google-clients.js';
import { classifyGoogleError } from '../../../connectors/google/google-errors.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { controlHeaders, failureOf } from './fixtures.js';

let clock = Date.now();
let google: StartedGoogleEmulator;

beforeAll(async () => {
  google = await startGoogleEmulator({
    now: () => clock,
    newAccountTokenDelaySeconds: 30,
    users: [
      { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
      { primaryEmail: 'ann@example.com', givenName: 'Ann', familyName: 'Lee' },
    ],
  });
});
afterAll(() => google.close());
beforeEach(() => {
  clock = Date.now();
  google.emulator.reset();
});

function gmailAs(subject: string): gmail_v1.Gmail {
  return new gmail_v1.Gmail({ auth: delegatedCredentials(google.googleSettings.serviceAccountKey, subject, gmailScopes, createGoogleTransport(google.url)), rootUrl: `${google.url}/` });
}

async function insertUser(primaryEmail: string): Promise<void> {
  const { directory } = createGoogleClients(google.googleSettings);
  await directory.users.insert({ requestBody: { primaryEmail, name: { givenName: 'New', familyName: 'Hire' }, password: 'a-long-password-1' } });
}

async function control(path: string, body: unknown): Promise<Response> {
  return fetch(`${google.url}/_control${path}`, { method: 'POST', headers: controlHeaders, body: JSON.stringify(body) });
}

describe('Google emulator: accounts Google cannot impersonate yet, or at all', () => {
  it('refuses a just-created account at the token endpoint with invalid_grant for the configured time, then issues its token', async () => {
    await insertUser('new.hire@example.com');
    // The Directory has the account at once: only impersonating it waits for propagation.
    expect(google.emulator.getUser('new.hire@example.com')).toMatchObject({ suspended: false });

    const refused = await failureOf(gmailAs('new.hire@example.com').users.labels.list({ userId: 'me' }));
    expect(refused).toMatchObject({ kind: 'accountRefused', status: 400, reason: 'invalid_grant', message: 'Invalid email or User ID' });
    expect(refused.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid email or User ID' });

    clock += 29_000;
    expect((await failureOf(gmailAs('new.hire@example.com').users.labels.list({ userId: 'me' }))).kind).toBe('accountRefused');
    clock += 2_000;
    const { data } = await gmailAs('new.hire@example.com').users.labels.list({ userId: 'me' });
    expect(data.labels?.some((label) => label.id === 'INBOX')).toBe(true);
  });

  it('does not delay accounts that already existed, nor the admin, while a new one propagates', async () => {
    await insertUser('other.hire@example.com');
    await gmailAs('ann@example.com').users.labels.list({ userId: 'me' });
    await createGoogleClients(google.googleSettings).testAccess();
  });

  it('changes the delay for accounts created from now on, and arms it for one existing account (control API)', async () => {
    const off = await control('/new-accounts', { tokenDelaySeconds: 0 });
    expect(off.status).toBe(200);
    await insertUser('instant@example.com');
    await gmailAs('instant@example.com').users.labels.list({ userId: 'me' });

    const armed = await control('/users/ann@example.com/not-ready', { seconds: 10 });
    expect(armed.status).toBe(200);
    expect((await failureOf(gmailAs('ann@example.com').users.labels.list({ userId: 'me' }))).kind).toBe('accountRefused');
    clock += 11_000;
    await gmailAs('ann@example.com').users.labels.list({ userId: 'me' });

    expect((await control('/new-accounts', { tokenDelaySeconds: -1 })).status).toBe(400);
    expect((await control('/users/nobody@example.com/not-ready', { seconds: 5 })).status).toBe(404);
  });

  it('refuses a suspended account the same way, and its key stays good for everyone else', async () => {
    google.emulator.updateUser('ann@example.com', { suspended: true });
    const refused = await failureOf(gmailAs('ann@example.com').users.labels.list({ userId: 'me' }));
    expect(refused).toMatchObject({ kind: 'accountRefused', reason: 'invalid_grant', message: 'Invalid email or User ID' });
    const { data } = await createGoogleClients(google.googleSettings).directory.users.get({ userKey: 'ann@example.com' });
    expect(data.suspended).toBe(true);
  });

  it('tells a refused key apart: a revoked service-account key is "auth" (Invalid JWT Signature.), for every subject', async () => {
    expect((await control('/credentials/revoke', {})).status).toBe(200);
    for (const subject of ['ann@example.com', 'admin@example.com']) {
      const failure = await failureOf(gmailAs(subject).users.labels.list({ userId: 'me' }));
      expect(failure).toMatchObject({ kind: 'auth', reason: 'invalid_grant', message: 'Invalid JWT Signature.' });
    }
  });
});

describe('classifyGoogleError: the impersonated user refused, or the key', () => {
  const tokenAnswer = (description: string) => ({ response: { status: 400, data: { error: 'invalid_grant', error_description: description }, headers: new Headers() }, message: 'invalid_grant' });

  it("calls the texts about the `sub` user accountRefused (service-account guide; GAM's token errors)", () => {
    for (const text of ['Invalid email or User ID', 'Not a valid email.', 'The account has been deleted']) {
      expect(classifyGoogleError(tokenAnswer(text)), text).toMatchObject({ kind: 'accountRefused', reason: 'invalid_grant', message: text });
    }
  });

  it("keeps the key's own refusals as auth", () => {
    for (const text of ['Invalid JWT Signature.', 'Robot is disabled.', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.']) {
      expect(classifyGoogleError(tokenAnswer(text)).kind, text).toBe('auth');
    }
    expect(classifyGoogleError({ response: { status: 401, data: { error: 'unauthorized_client', error_description: 'Invalid email or User ID' }, headers: new Headers() } }).kind).toBe('auth');
  });
});
