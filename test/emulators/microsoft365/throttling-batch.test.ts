import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGraphClient, type GraphConnection } from '../../../connectors/microsoft365/graph-client.js';
import { classifyGraphError } from '../../../connectors/microsoft365/graph-errors.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';
import { failureOf } from './fixtures.js';

async function control(running: RunningMicrosoft365Emulator, path: string, body?: unknown): Promise<Response> {
  return fetch(`${running.url}/_control${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** Waiting for a state of the emulator, not measuring time: generous, since two cores run everything. */
const conditionWait = { timeout: 30_000, interval: 20 };

interface BatchItem {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: { error?: { code: string; message: string } } & Record<string, unknown>;
}

describe('Microsoft 365 emulator: Outlook throttling and JSON batching', () => {
  let running: RunningMicrosoft365Emulator;
  let connection: GraphConnection;
  let userA: string;
  let userB: string;

  beforeAll(async () => {
    running = await startMicrosoft365Emulator({ seed: { seed: 51, users: 2, messagesPerUser: 12 } });
    connection = createGraphClient(running.graphSettings);
  });
  afterAll(async () => running?.close());
  beforeEach(async () => {
    await control(running, '/reset');
    [userA, userB] = running.emulator.tenant.directory.listUsers().map((user) => user.id) as [string, string];
  });

  const stat = (route: string, status: number): number => running.emulator.stats.snapshot().byRoute[route]?.[String(status)] ?? 0;

  it('refuses a fifth concurrent request to one mailbox with 429 MailboxConcurrency and Retry-After, at once and without SDK retries', async () => {
    const release = running.emulator.throttle.hold();
    const held = Array.from({ length: 4 }, () => connection.client.api(`/users/${userA}/mailFolders/inbox`).get() as Promise<{ displayName: string }>);
    try {
      await vi.waitFor(() => expect(running.emulator.throttle.inFlight(userA)).toBe(4), conditionWait);
      const refused = await failureOf(connection.client.api(`/users/${userA}/mailFolders/inbox`).get());
      expect(refused.statusCode).toBe(429);
      expect(refused.code).toBe('ApplicationThrottled');
      expect(refused.message).toBe('Application is over its MailboxConcurrency limit.');
      expect(refused.headers?.get('retry-after')).toBe('1');
      expect(classifyGraphError(refused)).toMatchObject({ kind: 'throttled', status: 429, retryAfterMs: 1000 });
    } finally {
      release();
    }
    for (const response of await Promise.all(held)) expect(response.displayName).toBe('Inbox');
    expect(stat('GET /v1.0/users/:userId/mailFolders/:folderId', 429)).toBe(1);
    expect(stat('GET /v1.0/users/:userId/mailFolders/:folderId', 200)).toBe(4);
    expect(running.emulator.stats.snapshot().quotaRefusals).toMatchObject({ concurrency: 1, total: 1 });
  });

  it('spends a per-mailbox request budget; quotaScale shrinks it and other mailboxes keep theirs', async () => {
    const adjusted = (await (await control(running, '/throttle', { quotaScale: 0.0003 })).json()) as { requestsPerWindow: number; concurrency: number };
    expect(adjusted).toMatchObject({ requestsPerWindow: 3, concurrency: 1 });
    for (let i = 0; i < 3; i++) await connection.client.api(`/users/${userA}/mailFolders`).get();
    const refused = await failureOf(connection.client.api(`/users/${userA}/mailFolders`).get());
    expect(refused.statusCode).toBe(429);
    expect(refused.code).toBe('ApplicationThrottled');
    const retryAfter = Number(refused.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(200);
    await expect(connection.client.api(`/users/${userB}/mailFolders`).get()).resolves.toHaveProperty('value');
    // Directory calls are not Outlook calls: no mailbox budget applies.
    await expect(connection.client.api(`/users/${userA}`).get()).resolves.toHaveProperty('id', userA);
    expect(running.emulator.stats.snapshot().quotaRefusals.budget).toBe(1);
  });

  it('answers a share of requests with 429 and the configured Retry-After (fault ratio)', async () => {
    await control(running, '/throttle', { ratio: 0.5, retryAfterSeconds: 7 });
    const outcomes: (number | string)[] = [];
    for (let i = 0; i < 4; i++) {
      try {
        await connection.client.api('/users').get();
        outcomes.push(200);
      } catch (error) {
        const failure = classifyGraphError(error);
        outcomes.push(`${failure.status}:${failure.kind}:${failure.retryAfterMs}`);
      }
    }
    expect(outcomes).toEqual([200, '429:throttled:7000', 200, '429:throttled:7000']);
  });

  it('validates control bodies with a clear 400', async () => {
    const response = await control(running, '/throttle', { ratio: 2 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('InvalidControlRequest');
    expect(body.error.message).toMatch(/ratio/);
  });

  it('runs a $batch built with the SDK: per-request statuses in a 200 envelope, MIME as base64', async () => {
    const [messageId] = ((await (await control(running, `/users/${userA}/messages`, { count: 1 })).json()) as { ids: string[] }).ids as [string];
    const content = new BatchRequestContent([
      { id: 'user', request: new Request(`${running.url}/v1.0/users/${userA}?$select=id`) },
      { id: 'inbox', request: new Request(`${running.url}/v1.0/users/${userA}/mailFolders/inbox`) },
      { id: 'malformed', request: new Request(`${running.url}/v1.0/users/${userA}/messages/${messageId}x`) },
      { id: 'mime', request: new Request(`${running.url}/v1.0/users/${userA}/messages/${messageId}/$value`) },
    ]);
    const envelope = (await connection.client.api('/$batch').post(await content.getContent())) as { responses: BatchItem[] };
    const responses = new BatchResponseContent(envelope);
    expect(responses.getResponseById('user').status).toBe(200);
    expect(((await responses.getResponseById('user').json()) as { id: string }).id).toBe(userA);
    expect(responses.getResponseById('inbox').status).toBe(200);
    expect(responses.getResponseById('malformed').status).toBe(400);
    const mime = envelope.responses.find((item) => item.id === 'mime');
    expect(mime?.status).toBe(200);
    expect(Buffer.from(mime?.body as unknown as string, 'base64').equals(await connection.getMimeContent(userA, messageId))).toBe(true);
  });

  it('throttles each request of a batch on its own: 429s with Retry-After inside the 200 envelope', async () => {
    // A budget of 3 with the usual 4 concurrent: the batch's 4 parallel requests are not refused for concurrency.
    const small = await startMicrosoft365Emulator({ seed: { seed: 51, users: 1, messagesPerUser: 2 }, quota: { requestsPerWindow: 3 } });
    try {
      const smallConnection = createGraphClient(small.graphSettings);
      const user = small.emulator.tenant.directory.listUsers()[0]?.id ?? '';
      await control(small, '/throttle', { retryAfterSeconds: 5 });
      const requests = Array.from({ length: 5 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${user}/mailFolders/inbox` }));
      const envelope = (await smallConnection.client.api('/$batch').post({ requests })) as { responses: BatchItem[] };
      expect(envelope.responses.map((item) => item.status).sort()).toEqual([200, 200, 200, 429, 429]);
      for (const item of envelope.responses.filter((response) => response.status === 429)) {
        expect(item.headers['Retry-After']).toBe('5');
        expect(item.body?.error?.code).toBe('ApplicationThrottled');
        expect(classifyGraphError(item)).toMatchObject({ kind: 'throttled', retryAfterMs: 5000 });
      }
    } finally {
      await small.close();
    }
  });

  it('refuses batch requests beyond the concurrency limit when the quotas are scaled down', async () => {
    await control(running, '/throttle', { quotaScale: 0.25 });
    const requests = Array.from({ length: 4 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${userA}/mailFolders/inbox/messages?$top=1` }));
    const release = running.emulator.throttle.hold();
    const pending = connection.client.api('/$batch').post({ requests }) as Promise<{ responses: BatchItem[] }>;
    // Released only once the other three were turned away, so the outcome does not depend on timing.
    await vi.waitFor(() => expect(running.emulator.stats.snapshot().quotaRefusals.concurrency).toBe(3), conditionWait);
    expect(running.emulator.throttle.inFlight(userA)).toBe(1);
    release();
    const envelope = await pending;
    expect(envelope.responses.map((item) => item.status).sort()).toEqual([200, 429, 429, 429]);
    expect(envelope.responses.find((item) => item.status === 429)?.body?.error?.message).toBe('Application is over its MailboxConcurrency limit.');
  });

  it('answers 424 for a request whose dependency failed, and refuses malformed batches', async () => {
    const envelope = (await connection.client.api('/$batch').post({
      requests: [
        { id: 'a', method: 'GET', url: '/users/nobody@contoso.example' },
        { id: 'b', method: 'GET', url: `/users/${userA}`, dependsOn: ['a'] },
      ],
    })) as { responses: BatchItem[] };
    expect(envelope.responses.map((item) => [item.id, item.status])).toEqual([
      ['a', 404],
      ['b', 424],
    ]);
    const tooMany = await failureOf(connection.client.api('/$batch').post({ requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' })) }));
    expect(tooMany.statusCode).toBe(400);
    const duplicate = await failureOf(
      connection.client.api('/$batch').post({
        requests: [
          { id: '1', method: 'GET', url: '/users' },
          { id: '1', method: 'GET', url: '/groups' },
        ],
      }),
    );
    expect(duplicate.statusCode).toBe(400);
  });
});
