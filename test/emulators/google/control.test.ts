import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleClients } from '../../../connectors/google/google-clients.js';
import { importMessage } from '../../../activities/google/gmail-import.js';
import type { ServiceAccountKeyJson } from '../../../emulators/google/index.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { buildMessage, controlHeaders, rawTransport } from './fixtures.js';

const users = [
  { primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true },
  { primaryEmail: 'ann@example.com', givenName: 'Ann', familyName: 'Lee' },
];

describe('control API', () => {
  let google: StartedGoogleEmulator;
  beforeAll(async () => {
    google = await startGoogleEmulator({ users });
  });
  afterAll(() => google.close());
  beforeEach(() => google.emulator.reset());

  const control = <T>(method: 'GET' | 'POST', route: string, data?: unknown) => rawTransport().request<T>({ url: `${google.url}/_control/${route}`, method, headers: controlHeaders, data });

  it('refuses invalid bodies with 400 and a message saying what is wrong', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['provisioning-failures', { email: 'not-an-email', status: 412, reason: 'x', message: 'y' }, /email/],
      ['provisioning-failures', { email: 'bob@example.com', status: 200, reason: 'x', message: 'y' }, /status/],
      ['provisioning-failures', { email: 'bob@example.com', status: 412, message: 'y' }, /reason/],
      ['credentials/revoke', { clientEmail: 5 }, /clientEmail/],
    ];
    for (const [route, body, problem] of cases) {
      const response = await control<{ error: { code: number; message: string } }>('POST', route, body);
      expect(response.status, route).toBe(400);
      expect(response.data.error.message).toMatch(problem);
    }
    const notJson = await rawTransport().request<{ error: { message: string } }>({
      url: `${google.url}/_control/throttle`,
      method: 'POST',
      headers: controlHeaders,
      data: '{ratio: 1',
    });
    expect(notJson.status).toBe(400);
    expect(notJson.data.error.message).toBe('The request body must be JSON.');
  });

  it('answers 404 for the messages of an unknown user, and lists what arrived for a known one', async () => {
    expect((await control('GET', 'users/ghost@example.com/messages')).status).toBe(404);
    const gmail = createGoogleClients(google.googleSettings).gmailFor('ann@example.com');
    const imported = await importMessage(gmail, { userId: 'me', raw: await buildMessage({ messageId: '<one@contoso.example>' }), labelIds: ['INBOX'] });
    const { data } = await control<{ email: string; messages: Array<{ id: string; messageId: string; labels: unknown }> }>('GET', 'users/ann@example.com/messages');
    expect(data.email).toBe('ann@example.com');
    expect(data.messages).toMatchObject([{ id: imported.id, messageId: '<one@contoso.example>', labels: [{ id: 'INBOX', name: 'INBOX' }] }]);
  });

  it('counts requests by route and status in /_control/stats, and reset clears state and stats', async () => {
    const gmail = createGoogleClients(google.googleSettings).gmailFor('ann@example.com');
    await importMessage(gmail, { userId: 'me', raw: await buildMessage(), labelIds: [] });
    await control('GET', 'users/ghost@example.com/messages');

    const { data: stats } = await control<{ totalRequests: number; requests: Record<string, Record<string, number>>; quotaRefusals: Record<string, number> }>('GET', 'stats');
    expect(stats.requests).toMatchObject({
      'POST /token': { '200': 1 },
      'POST /upload/gmail/v1/users/:userId/messages/import': { '200': 1 },
      'GET /_control/users/:email/messages': { '404': 1 },
    });
    expect(stats.quotaRefusals).toEqual({ userUnits: 0, projectUnits: 0, concurrency: 0, directoryQueries: 0, peopleReads: 0, peopleWrites: 0, calendarUser: 0, calendarProject: 0, injected: 0 });

    expect((await control('POST', 'reset')).status).toBe(200);
    expect(google.emulator.messagesOf('ann@example.com')).toEqual([]);
    const { data: after } = await control<{ totalRequests: number; requests: unknown }>('GET', 'stats');
    // Only the reset itself, counted once it answered.
    expect(after).toMatchObject({ totalRequests: 1, requests: { 'POST /_control/reset': { '200': 1 } } });
    // The seeded key still works after a reset.
    await createGoogleClients(google.googleSettings).testAccess();
  });

  it('hands out the generated service-account key and adds users for demos', async () => {
    const { data } = await control<{ serviceAccountKey: ServiceAccountKeyJson; serviceAccount: { dwdScopes: string[] } }>('GET', 'credentials');
    expect(data.serviceAccountKey.client_email).toBe(google.googleSettings.serviceAccountKey.client_email);
    expect(data.serviceAccount.dwdScopes).toContain('https://www.googleapis.com/auth/gmail.modify');

    const created = await control('POST', 'users', { primaryEmail: 'cleo@example.com', givenName: 'Cleo', familyName: 'Park', gmailEnabled: false });
    expect(created.status).toBe(201);
    expect(google.emulator.getUser('cleo@example.com')).toMatchObject({ primaryEmail: 'cleo@example.com', isMailboxSetup: false });
    expect((await control('POST', 'users', { primaryEmail: 'cleo@example.com', givenName: 'Cleo', familyName: 'Park' })).status).toBe(409);
  });
});

describe('persistence', () => {
  const persistDir = mkdtempSync(path.join(os.tmpdir(), 'google-emulator-persist-'));
  afterAll(() => rmSync(persistDir, { recursive: true, force: true }));

  it('keeps users, labels, messages and the service-account key across a restart', async () => {
    // About persistence, not propagation: the account made below is impersonated at once.
    const first = await startGoogleEmulator({ users, persistDir, newAccountTokenDelaySeconds: 0 });
    const clients = createGoogleClients(first.googleSettings);
    await clients.directory.users.insert({ requestBody: { primaryEmail: 'dora@example.com', name: { givenName: 'Dora', familyName: 'Finch' }, password: 'a long enough password' } });
    const gmail = clients.gmailFor('dora@example.com');
    const { data: label } = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Kept' } });
    const imported = await importMessage(gmail, { userId: 'me', raw: await buildMessage({ messageId: '<kept@contoso.example>' }), labelIds: [label.id!] });
    await first.close();

    const second = await startGoogleEmulator({ users, persistDir, newAccountTokenDelaySeconds: 0 });
    try {
      expect(second.googleSettings.serviceAccountKey).toEqual(first.googleSettings.serviceAccountKey);
      // The key saved before the restart still gets tokens.
      const again = createGoogleClients({ ...first.googleSettings, apiBaseUrl: second.url }).gmailFor('dora@example.com');
      const { data } = await again.users.messages.list({ userId: 'me', q: 'rfc822msgid:kept@contoso.example' });
      expect(data.messages?.map((message) => message.id)).toEqual([imported.id]);
      expect(second.emulator.messagesOf('dora@example.com')).toMatchObject([{ id: imported.id, labels: [{ id: label.id, name: 'Kept' }] }]);
      const { data: created } = await again.users.labels.create({ userId: 'me', requestBody: { name: 'New after restart' } });
      expect(created.id).not.toBe(label.id);
    } finally {
      await second.close();
    }
  });
});
