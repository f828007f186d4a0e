import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncFixture, type SyncFixture } from '../helpers/sync-fixture.js';
import { testServiceAccountKey } from '../store/fixtures.js';
import { apiClient, createApiApp, type ApiClient, type ProblemBody } from './support.js';
import { control } from '../helpers/emulator-control.js';

interface ConnectionBody {
  id: string;
  kind: string;
  name: string;
  status: string;
  lastError: { code: string; message: string; at: string; details: Record<string, unknown> } | null;
  lastTestedAt: string | null;
  settings: Record<string, string>;
}

describe('connections: list, test, credential rotation', () => {
  let fixture: SyncFixture;
  let api: ApiClient;
  let secrets: string[];

  beforeAll(async () => {
    fixture = await createSyncFixture({ startWorker: false });
    api = apiClient(createApiApp(fixture.temporal, fixture.store));
    secrets = [fixture.m365.graphSettings.clientSecret, fixture.google.googleSettings.serviceAccountKey.private_key];
  });
  afterAll(async () => fixture?.close());

  const expectNoSecret = (value: unknown) => {
    const text = JSON.stringify(value);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/PRIVATE KEY|clientSecret|private_key/);
  };

  it('lists the connections with their settings and never their credentials', async () => {
    const list = await api.get<{ items: ConnectionBody[] }>('/api/connections');
    expect(list.status).toBe(200);
    expect(list.body.items.map((connection) => connection.kind).sort()).toEqual(['google-workspace', 'microsoft365']);
    expectNoSecret(list.body);
    const source = await api.get<ConnectionBody>(`/api/connections/${fixture.sourceConnectionId}`);
    expect(source.body).toMatchObject({
      id: fixture.sourceConnectionId,
      kind: 'microsoft365',
      name: 'Contoso Microsoft 365',
      status: 'NotTested',
      lastError: null,
      lastTestedAt: null,
      settings: { tenantId: fixture.m365.graphSettings.tenantId, clientId: fixture.m365.graphSettings.clientId, authorityHost: fixture.m365.url, graphBaseUrl: fixture.m365.url },
    });
    const target = await api.get<ConnectionBody>(`/api/connections/${fixture.targetConnectionId}`);
    expect(target.body.settings).toEqual({
      serviceAccountEmail: fixture.google.googleSettings.serviceAccountKey.client_email,
      adminSubject: fixture.google.googleSettings.adminSubject,
      domain: 'example.com',
      apiBaseUrl: fixture.google.url,
    });
    expectNoSecret(target.body);
  });

  it('tests both connections for real and records the outcome and an audit entry', async () => {
    for (const id of [fixture.sourceConnectionId, fixture.targetConnectionId]) {
      const res = await api.post<{ ok: boolean; error: unknown; connection: ConnectionBody; signalledUsers: number }>(`/api/connections/${id}/test`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true, error: null, signalledUsers: 0, connection: { id, status: 'Active', lastError: null } });
      expect(Date.now() - Date.parse(res.body.connection.lastTestedAt!)).toBeLessThan(60_000);
    }
    const audit = await fixture.store.audit.list({ code: 'CONNECTION_TESTED' });
    expect(audit.items).toHaveLength(2);
    expect(audit.items[0]).toMatchObject({ category: 'connection', severity: 'Info', actor: 'Administrator (API token)' });
  });

  it('passes a Microsoft 365 test whose token lacks Calendars.Read, and names the permission in the answer and the audit entry', async () => {
    await control(fixture.m365.url, '/_control/app/permissions', { permission: 'Calendars.Read', granted: false });
    try {
      const res = await api.post<{ ok: boolean; missingPermissions: Array<{ permission: string; neededFor: string }> }>(`/api/connections/${fixture.sourceConnectionId}/test`);
      expect(res.body).toMatchObject({ ok: true, missingPermissions: [{ permission: 'Calendars.Read', neededFor: 'calendar' }] });
      const audit = await fixture.store.audit.list({ code: 'CONNECTION_TESTED', connectionId: fixture.sourceConnectionId });
      expect(audit.items[0]).toMatchObject({ severity: 'Warning' });
      expect(audit.items[0]?.message).toContain('Calendars.Read (calendar)');
      const google = await api.post<{ ok: boolean; missingPermissions: unknown[] }>(`/api/connections/${fixture.targetConnectionId}/test`);
      expect(google.body).toMatchObject({ ok: true, missingPermissions: [] });
    } finally {
      await control(fixture.m365.url, '/_control/app/permissions', { permission: 'Calendars.Read', granted: true });
    }
    const again = await api.post<{ missingPermissions: unknown[] }>(`/api/connections/${fixture.sourceConnectionId}/test`);
    expect(again.body.missingPermissions).toEqual([]);
  });

  it('reports a refused Microsoft 365 secret as AUTH_TOKEN_EXPIRED with the service own error', async () => {
    await control(fixture.m365.url, '/_control/credentials/revoke');
    const res = await api.post<{ ok: boolean; error: { code: string; message: string; details: { serviceError: Record<string, unknown> } }; connection: ConnectionBody }>(
      `/api/connections/${fixture.sourceConnectionId}/test`,
    );
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.connection.status).toBe('Error');
    expect(res.body.error.code).toBe('AUTH_TOKEN_EXPIRED');
    expect(res.body.error.message).toMatch(/Microsoft 365 refused the credentials/);
    expect(res.body.error.details.serviceError).toMatchObject({ service: 'microsoft365', kind: 'auth', code: expect.stringContaining('7000215') });
    const audit = await fixture.store.audit.list({ code: 'CONNECTION_TEST_FAILED' });
    expect(audit.items[0]).toMatchObject({ severity: 'Error', connectionId: fixture.sourceConnectionId });
  });

  it('leaves the status alone when the service is only throttling, so users are not held back', async () => {
    await control(fixture.google.url, '/_control/throttle', { ratio: 1, retryAfterSeconds: 1 });
    try {
      const res = await api.post<{ ok: boolean; error: { code: string }; connection: ConnectionBody }>(`/api/connections/${fixture.targetConnectionId}/test`);
      expect(res.body.ok).toBe(false);
      expect(res.body.error.code).toBe('RATE_LIMITED');
      expect(res.body.connection.status).toBe('Active');
      expect((await fixture.store.connections.get(fixture.targetConnectionId))?.status).toBe('Active');
    } finally {
      await control(fixture.google.url, '/_control/throttle', { ratio: 0 });
    }
  });

  it('refuses new credentials the service rejects with 422, keeping the stored ones', async () => {
    const res = await api.put<ProblemBody>(`/api/connections/${fixture.sourceConnectionId}/credentials`, { clientSecret: 'definitely-not-the-secret' });
    expect(res.status).toBe(422);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.code).toBe('CREDENTIALS_TEST_FAILED');
    expect(res.body.serviceError).toMatchObject({ service: 'microsoft365', kind: 'auth' });
    expect(res.body.detail).toMatch(/not saved/);
    const stored = await fixture.store.connections.readCredentials(fixture.sourceConnectionId);
    expect(stored.credentials).toEqual({ clientSecret: fixture.m365.graphSettings.clientSecret });
    const audit = await fixture.store.audit.list({ code: 'CREDENTIALS_REJECTED' });
    expect(audit.items).toHaveLength(1);
    expect(JSON.stringify(audit.items)).not.toContain('definitely-not-the-secret');
  });

  it('stores tested credentials and clears the error', async () => {
    const { clientSecret } = (await control(fixture.m365.url, '/_control/credentials/rotate')) as { clientSecret: string };
    const res = await api.put<{ connection: ConnectionBody; signalledUsers: number }>(`/api/connections/${fixture.sourceConnectionId}/credentials`, { clientSecret });
    expect(res.status).toBe(200);
    expect(res.body.connection).toMatchObject({ status: 'Active', lastError: null });
    expect(res.body.signalledUsers).toBe(0);
    expect(JSON.stringify(res.body)).not.toContain(clientSecret);
    expect((await fixture.store.connections.readCredentials(fixture.sourceConnectionId)).credentials).toEqual({ clientSecret });
    const audit = await fixture.store.audit.list({ code: 'CREDENTIALS_UPDATED' });
    expect(audit.items[0]).toMatchObject({ actor: 'Administrator (API token)', connectionId: fixture.sourceConnectionId });
    expect(JSON.stringify(audit.items)).not.toContain(clientSecret);
  });

  it('rotates a Google service account key: a key Google does not know is refused, the rotated one stored', async () => {
    const clientEmail = fixture.google.googleSettings.serviceAccountKey.client_email;
    const unknownKey = await api.put<ProblemBody>(`/api/connections/${fixture.targetConnectionId}/credentials`, { serviceAccountKey: testServiceAccountKey(clientEmail) });
    expect(unknownKey.status).toBe(422);
    expect(unknownKey.body.serviceError).toMatchObject({ service: 'google-workspace', kind: 'auth' });

    const { serviceAccountKey } = (await control(fixture.google.url, '/_control/credentials/rotate', { clientEmail })) as { serviceAccountKey: { private_key: string } };
    const rotated = await api.put<{ connection: ConnectionBody }>(`/api/connections/${fixture.targetConnectionId}/credentials`, { serviceAccountKey });
    expect(rotated.status).toBe(200);
    expect(rotated.body.connection.status).toBe('Active');
    expect(JSON.stringify(rotated.body)).not.toContain(serviceAccountKey.private_key);
    const stored = await fixture.store.connections.readCredentials(fixture.targetConnectionId);
    expect(stored.credentials).toMatchObject({ serviceAccountKey: { private_key: serviceAccountKey.private_key } });
  });
});
