import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphClient, type GraphConnection } from '../../../connectors/microsoft365/graph-client.js';
import { classifyGraphError } from '../../../connectors/microsoft365/graph-errors.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';
import { controlJson, failureOf } from './fixtures.js';

const rolesOf = (token: string): unknown => decodeJwt(token).roles;

async function setPermission(running: RunningMicrosoft365Emulator, permission: string, granted: boolean): Promise<string[]> {
  return (await controlJson<{ grantedPermissions: string[] }>(running, '/app/permissions', { permission, granted })).grantedPermissions;
}

describe('Microsoft 365 emulator: application permissions', () => {
  let m365: RunningMicrosoft365Emulator;
  let graph: GraphConnection;
  let user: DirectoryUser;
  const calendarPaths = (id: string) => [
    `/users/${id}/calendars`,
    `/users/${id}/calendarView/delta?startDateTime=2026-01-01T00:00:00Z&endDateTime=2026-03-01T00:00:00Z`,
    `/users/${id}/events/AAMkAGZha2U=`,
  ];

  beforeAll(async () => {
    m365 = await startMicrosoft365Emulator({ quota: { enabled: false } });
    user = m365.emulator.seed({ seed: 11, users: 1, messagesPerUser: 2, failingItemsPerUser: 0, groups: false }).users[0]!;
    graph = createGraphClient(m365.graphSettings);
  });
  afterAll(() => m365.close());

  it('grants what the sync needs by default, in the roles claim of every token and in GET /_control/app', async () => {
    const needed = ['Calendars.Read', 'Contacts.Read', 'GroupMember.Read.All', 'Mail.Read', 'User.Read.All'];
    expect(rolesOf(await graph.acquireToken())).toEqual(needed);
    const app = (await (await fetch(`${m365.url}/_control/app`)).json()) as { grantedPermissions: string[] };
    expect(app.grantedPermissions).toEqual(needed);
  });

  it('answers the calendar routes 403 ErrorAccessDenied once Calendars.Read is revoked, in new tokens only, while mail and contacts work', async () => {
    const before = await graph.acquireToken();
    expect(await setPermission(m365, 'Calendars.Read', false)).not.toContain('Calendars.Read');
    try {
      // A token issued before the change keeps its roles until it expires, as Entra's do.
      await graph.client.api(`/users/${user.id}/calendars`).get();
      const after = await graph.acquireToken({ forceRefresh: true });
      expect(after).not.toBe(before);
      expect(rolesOf(after)).not.toContain('Calendars.Read');

      for (const path of calendarPaths(user.id)) {
        const error = await failureOf(graph.client.api(path).get());
        expect([error.statusCode, error.code, error.message], path).toEqual([403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.']);
        // Graph's code is the one of an application access policy: only the token's roles tell them apart.
        expect(classifyGraphError(error).kind).toBe('mailboxAccessDenied');
      }
      const batch = (await graph.client.api('/$batch').post({ requests: [{ id: '1', method: 'GET', url: `/users/${user.id}/calendars` }] })) as {
        responses: Array<{ status: number; body: { error: { code: string } } }>;
      };
      expect(batch.responses[0]).toMatchObject({ status: 403, body: { error: { code: 'ErrorAccessDenied' } } });

      const folders = (await graph.client.api(`/users/${user.id}/mailFolders`).get()) as { value: unknown[] };
      expect(folders.value.length).toBeGreaterThan(0);
      await graph.client.api(`/users/${user.id}/contactFolders`).get();
      await graph.client.api(`/users/${user.id}`).get();
    } finally {
      await setPermission(m365, 'Calendars.Read', true);
    }
    await graph.acquireToken({ forceRefresh: true });
    await graph.client.api(`/users/${user.id}/calendars`).get();
  });

  it('takes Calendars.ReadWrite for Calendars.Read, and refuses contacts without a contacts permission', async () => {
    await setPermission(m365, 'Calendars.Read', false);
    await setPermission(m365, 'Calendars.ReadWrite', true);
    await setPermission(m365, 'Contacts.Read', false);
    try {
      await graph.acquireToken({ forceRefresh: true });
      await graph.client.api(`/users/${user.id}/calendars`).get();
      const error = await failureOf(graph.client.api(`/users/${user.id}/contactFolders`).get());
      expect([error.statusCode, error.code]).toEqual([403, 'ErrorAccessDenied']);
    } finally {
      await setPermission(m365, 'Calendars.ReadWrite', false);
      await setPermission(m365, 'Calendars.Read', true);
      await setPermission(m365, 'Contacts.Read', true);
      await graph.acquireToken({ forceRefresh: true });
    }
  });

  it('refuses the directory with 403 Authorization_RequestDenied without User.Read.All', async () => {
    await setPermission(m365, 'User.Read.All', false);
    try {
      await graph.acquireToken({ forceRefresh: true });
      for (const path of ['/users?$top=1', `/users/${user.id}`]) {
        const error = await failureOf(graph.client.api(path).get());
        expect([error.statusCode, error.code, error.message], path).toEqual([403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.']);
      }
      await graph.client.api(`/users/${user.id}/mailFolders`).get();
    } finally {
      await setPermission(m365, 'User.Read.All', true);
      await graph.acquireToken({ forceRefresh: true });
    }
  });

  it('answers 400 for a permission it does not check, and reset restores the start permissions', async () => {
    const response = await fetch(`${m365.url}/_control/app/permissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ permission: 'Calendar.Read', granted: true }),
    });
    expect(response.status).toBe(400);
    await setPermission(m365, 'Mail.Read', false);
    await controlJson(m365, '/reset');
    expect(rolesOf(await graph.acquireToken({ forceRefresh: true }))).toContain('Mail.Read');
  });

  it('starts with the grantedPermissions option', async () => {
    const mailOnly = await startMicrosoft365Emulator({ quota: { enabled: false }, grantedPermissions: ['User.Read.All', 'Mail.Read'] });
    try {
      const someone = mailOnly.emulator.seed({ seed: 3, users: 1, messagesPerUser: 1, failingItemsPerUser: 0, groups: false }).users[0]!;
      const client = createGraphClient(mailOnly.graphSettings);
      await client.client.api(`/users/${someone.id}/mailFolders`).get();
      const error = await failureOf(client.client.api(`/users/${someone.id}/contactFolders`).get());
      expect([error.statusCode, error.code]).toEqual([403, 'ErrorAccessDenied']);
    } finally {
      await mailOnly.close();
    }
  });
});
