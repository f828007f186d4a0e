import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient } from '../../../connectors/microsoft365/graph-client.js';
import { classifyGraphError } from '../../../connectors/microsoft365/graph-errors.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

async function control(running: RunningMicrosoft365Emulator, path: string, body?: unknown): Promise<Response> {
  return fetch(`${running.url}/_control${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A Graph SDK client that always sends the given bearer token (no MSAL), to look at Graph's 401 answers. */
function clientWithToken(running: RunningMicrosoft365Emulator, token: string): Client {
  return Client.init({
    authProvider: (done) => done(null, token),
    baseUrl: running.url,
    customHosts: new Set(['localhost']),
  });
}

describe('Microsoft 365 emulator: identity platform and tokens (MSAL + Graph SDK)', () => {
  let running: RunningMicrosoft365Emulator;

  beforeAll(async () => {
    running = await startMicrosoft365Emulator({ seed: { seed: 11, users: 2, messagesPerUser: 3 } });
  });
  afterAll(async () => running?.close());
  beforeEach(async () => {
    await control(running, '/reset');
  });

  it('issues a bearer token through MSAL client credentials that Graph accepts', async () => {
    const connection = createGraphClient(running.graphSettings);
    const token = await connection.acquireToken();
    expect(token.split('.')).toHaveLength(3);
    const users = (await connection.client.api('/users').get()) as { value: unknown[] };
    expect(users.value).toHaveLength(2);
    expect(running.emulator.stats.snapshot().tokensIssued).toBe(1);
  });

  it('answers a wrong client secret as Entra ID does: 401 invalid_client AADSTS7000215', async () => {
    const response = await fetch(`${running.url}/${running.emulator.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: running.emulator.clientId, client_secret: 'not-the-secret', scope: 'https://graph.microsoft.com/.default' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: string; error_description: string; error_codes: number[]; trace_id: string; correlation_id: string };
    expect(body.error).toBe('invalid_client');
    expect(body.error_codes).toEqual([7000215]);
    expect(body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided\./);
    expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);

    const viaMsal = await failureOf(createGraphClient({ ...running.graphSettings, clientSecret: 'not-the-secret' }).acquireToken());
    expect(classifyGraphError(viaMsal)).toMatchObject({ kind: 'auth', status: 401, code: 'invalid_client (AADSTS7000215)' });
  });

  it('answers an expired secret with AADSTS7000222, also when MSAL runs inside a Graph request', async () => {
    await control(running, '/credentials/expire-secret');
    const error = await failureOf(createGraphClient(running.graphSettings).client.api('/users').get());
    expect(error).toBeInstanceOf(GraphError);
    expect(classifyGraphError(error)).toMatchObject({ kind: 'auth', code: 'invalid_client (AADSTS7000222)' });
  });

  it('revoke: the secret and every token issued with it stop working', async () => {
    const connection = createGraphClient(running.graphSettings);
    const token = await connection.acquireToken();
    expect((await control(running, '/credentials/revoke')).status).toBe(200);

    const withOldToken = await failureOf(clientWithToken(running, token).api('/users').get());
    expect(classifyGraphError(withOldToken)).toMatchObject({ kind: 'auth', status: 401, code: 'InvalidAuthenticationToken' });
    // The connection's cached token is refused, and a fresh one cannot be had any more.
    const viaConnection = await failureOf(connection.client.api('/users').get());
    expect(classifyGraphError(viaConnection)).toMatchObject({ kind: 'auth', code: 'invalid_client (AADSTS7000215)' });
    expect(running.emulator.clientSecret).toBeNull();
  });

  it('rotate: answers a new secret that works; the old one is refused', async () => {
    const response = await control(running, '/credentials/rotate');
    const { clientSecret } = (await response.json()) as { clientSecret: string };
    expect(clientSecret).not.toBe(running.graphSettings.clientSecret);
    await expect(createGraphClient({ ...running.graphSettings, clientSecret }).acquireToken()).resolves.toMatch(/\./);
    const old = await failureOf(createGraphClient(running.graphSettings).acquireToken());
    expect(classifyGraphError(old)).toMatchObject({ kind: 'auth', code: 'invalid_client (AADSTS7000215)' });
  });

  it('expire-tokens: issued tokens answer 401 InvalidAuthenticationToken; the connection gets a new one and carries on', async () => {
    const connection = createGraphClient(running.graphSettings);
    const token = await connection.acquireToken();
    await control(running, '/credentials/expire-tokens');

    const stale = await failureOf(clientWithToken(running, token).api('/users').get());
    expect(stale).toBeInstanceOf(GraphError);
    const graphError = stale as GraphError;
    expect(graphError.statusCode).toBe(401);
    expect(graphError.code).toBe('InvalidAuthenticationToken');
    expect(graphError.message).toBe('Access token has expired or is not yet valid.');
    expect(graphError.headers?.get('www-authenticate')).toMatch(/^Bearer realm=""/);
    expect(JSON.parse(graphError.body as string)).toMatchObject({ innerError: { 'request-id': expect.any(String), date: expect.any(String) } });

    const users = (await connection.client.api('/users').get()) as { value: unknown[] };
    expect(users.value).toHaveLength(2);
    expect(running.emulator.stats.snapshot().tokensIssued).toBe(2);
  });

  it('answers a garbage or missing token with 401 InvalidAuthenticationToken', async () => {
    const garbage = (await failureOf(clientWithToken(running, 'not-a-jwt').api('/users').get())) as GraphError;
    expect(garbage.statusCode).toBe(401);
    expect(garbage.code).toBe('InvalidAuthenticationToken');
    const forged = (await failureOf(clientWithToken(running, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl').api('/users').get())) as GraphError;
    expect(forged.code).toBe('InvalidAuthenticationToken');
    const missing = await fetch(`${running.url}/v1.0/users`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken');
  });

  it('tokens stop working when their lifetime ends', async () => {
    const shortLived = await startMicrosoft365Emulator({ tokenLifetimeSeconds: 0 });
    try {
      const token = await createGraphClient(shortLived.graphSettings).acquireToken();
      const error = (await failureOf(clientWithToken(shortLived, token).api('/users').get())) as GraphError;
      expect(error.code).toBe('InvalidAuthenticationToken');
      expect(error.message).toBe('Access token has expired or is not yet valid.');
    } finally {
      await shortLived.close();
    }
  });

  it('serves the OpenID configuration MSAL reads, and refuses unknown tenants like Entra ID', async () => {
    const configuration = (await (await fetch(`${running.url}/${running.emulator.tenantId}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(configuration.token_endpoint).toBe(`${running.url}/${running.emulator.tenantId}/oauth2/v2.0/token`);
    expect(configuration.issuer).toBe(`${running.url}/${running.emulator.tenantId}/v2.0`);
    const unknown = await fetch(`${running.url}/no-such-tenant/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()) as { error_codes: number[] }).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  });

  it('is only reachable over https: MSAL refuses a plain-http authority', async () => {
    const error = await failureOf(createGraphClient({ ...running.graphSettings, authorityHost: running.url.replace('https:', 'http:') }).acquireToken());
    expect((error as { errorCode?: string }).errorCode).toBe('authority_uri_insecure');
  });

  it('classifies an unreachable service as unavailable', async () => {
    const stopped = await startMicrosoft365Emulator();
    const connection = createGraphClient(stopped.graphSettings);
    await connection.acquireToken();
    await stopped.close();
    expect(classifyGraphError(await failureOf(connection.client.api('/users').get()))).toMatchObject({ kind: 'unavailable' });
    expect(classifyGraphError(await failureOf(createGraphClient(stopped.graphSettings).acquireToken()))).toMatchObject({ kind: 'unavailable' });
  });
});
