import { GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphClient, type GraphConnection } from '../../../connectors/microsoft365/graph-client.js';
import { classifyGraphError } from '../../../connectors/microsoft365/graph-errors.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';
import { failureOf } from './fixtures.js';

async function control(running: RunningMicrosoft365Emulator, path: string, body: unknown): Promise<Response> {
  return fetch(`${running.url}/_control${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('Microsoft 365 emulator: mailboxes the app may not open', () => {
  let m365: RunningMicrosoft365Emulator;
  let graph: GraphConnection;
  let member: DirectoryUser;

  beforeAll(async () => {
    m365 = await startMicrosoft365Emulator({ quota: { enabled: false } });
    member = m365.emulator.seed({ seed: 7, users: 1, messagesPerUser: 2, failingItemsPerUser: 0, groups: false }).users[0]!;
    graph = createGraphClient(m365.graphSettings);
  });
  afterAll(() => m365.close());

  it("answers a guest's mail routes 404 MailboxNotEnabledForRESTAPI, with Graph's body, while the directory knows the guest", async () => {
    const res = await control(m365, '/users', {
      userPrincipalName: 'john_gmail.com#EXT#@contoso.example',
      displayName: 'John (guest)',
      mail: 'john@gmail.com',
      userType: 'Guest',
    });
    expect(res.status).toBe(201);
    const guest = (await res.json()) as { id: string; hasMailbox: boolean };
    expect(guest.hasMailbox).toBe(false);

    const user = (await graph.client.api(`/users/${guest.id}?$select=id,userType,mail,userPrincipalName`).get()) as Record<string, unknown>;
    expect(user).toMatchObject({ userType: 'Guest', mail: 'john@gmail.com' });

    for (const path of [`/users/${guest.id}/mailFolders/inbox?$select=id`, `/users/${guest.id}/mailFolders`, `/users/${guest.id}/mailFolders/inbox/messages/delta`]) {
      const error = await failureOf(graph.client.api(path).get());
      expect(error.statusCode, path).toBe(404);
      expect(error.code).toBe('MailboxNotEnabledForRESTAPI');
      expect(error.message).toBe('The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
      expect(classifyGraphError(error).kind).toBe('noMailbox');
    }
  });

  it('answers a member without an Exchange mailbox the same way, and serves the mailbox again once it exists', async () => {
    expect((await control(m365, `/users/${member.id}/mailbox`, { hasMailbox: false })).status).toBe(200);
    const error = await failureOf(graph.client.api(`/users/${member.id}/mailFolders/inbox?$select=id`).get());
    expect([error.statusCode, error.code]).toEqual([404, 'MailboxNotEnabledForRESTAPI']);

    expect((await control(m365, `/users/${member.id}/mailbox`, { hasMailbox: true })).status).toBe(200);
    const inbox = (await graph.client.api(`/users/${member.id}/mailFolders/inbox?$select=id`).get()) as { id: string };
    expect(inbox.id).toBeTruthy();
  });

  it('answers a mailbox outside the application access policy 403 ErrorAccessDenied "Access to OData is disabled.", also inside $batch', async () => {
    expect((await control(m365, `/users/${member.userPrincipalName}/mailbox`, { applicationAccess: 'denied' })).status).toBe(200);
    try {
      const error = await failureOf(graph.client.api(`/users/${member.id}/mailFolders`).get());
      expect(error.statusCode).toBe(403);
      expect(error.code).toBe('ErrorAccessDenied');
      expect(error.message).toBe('Access to OData is disabled.');
      const failure = classifyGraphError(error);
      expect(failure.kind).toBe('mailboxAccessDenied');

      const batch = (await graph.client.api('/$batch').post({ requests: [{ id: '1', method: 'GET', url: `/users/${member.id}/mailFolders/inbox?$select=id` }] })) as {
        responses: Array<{ status: number; body: { error: { code: string } } }>;
      };
      expect(batch.responses[0]).toMatchObject({ status: 403, body: { error: { code: 'ErrorAccessDenied' } } });
      // The directory itself still answers: only the mailbox is out of the app's reach.
      const user = (await graph.client.api(`/users/${member.id}?$select=id`).get()) as { id: string };
      expect(user.id).toBe(member.id);
    } finally {
      await control(m365, `/users/${member.id}/mailbox`, { applicationAccess: 'allowed' });
    }
    await graph.client.api(`/users/${member.id}/mailFolders`).get();
  });

  it('validates the control bodies', async () => {
    expect((await control(m365, `/users/${member.id}/mailbox`, {})).status).toBe(400);
    expect((await control(m365, `/users/${member.id}/mailbox`, { applicationAccess: 'maybe' })).status).toBe(400);
    expect((await control(m365, '/users', { userPrincipalName: 'no-at-sign', displayName: 'x' })).status).toBe(400);
  });

  it('keeps telling the app\'s own credential refusal apart: a revoked secret is "auth" (AADSTS7000215), not a mailbox refusal', async () => {
    const revoked = createGraphClient({ ...m365.graphSettings, clientSecret: 'not-the-secret' });
    const error = await failureOf(revoked.client.api(`/users/${member.id}/mailFolders`).get());
    const failure = classifyGraphError(error);
    expect(failure.kind).toBe('auth');
    expect(failure.code).toContain('7000215');
  });
});

describe('classifyGraphError: a mailbox refused, or the app', () => {
  const sdkError = (status: number, code: string) => Object.assign(new GraphError(status, `${code} message`), { code, headers: new Headers() });

  it('names a missing mailbox by code, whatever the status, and an access-policy refusal by 403 ErrorAccessDenied', () => {
    expect(classifyGraphError(sdkError(404, 'MailboxNotEnabledForRESTAPI')).kind).toBe('noMailbox');
    expect(classifyGraphError(sdkError(404, 'MailboxNotSupportedForRESTAPI')).kind).toBe('noMailbox');
    expect(classifyGraphError(sdkError(403, 'MailboxNotEnabledForRESTAPI')).kind).toBe('noMailbox');
    expect(classifyGraphError(sdkError(403, 'ErrorAccessDenied')).kind).toBe('mailboxAccessDenied');
    // A refused token stays the connection's.
    expect(classifyGraphError(sdkError(401, 'InvalidAuthenticationToken')).kind).toBe('auth');
    expect(classifyGraphError(sdkError(403, 'Authorization_RequestDenied')).kind).toBe('auth');
    // A 404 for an unknown user is still a missing user.
    expect(classifyGraphError(sdkError(404, 'ErrorInvalidUser')).kind).toBe('notFound');
  });
});
