import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient, type GraphConnection } from '../../../connectors/microsoft365/graph-client.js';
import { classifyGraphError } from '../../../connectors/microsoft365/graph-errors.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';
import { failureOf } from './fixtures.js';

interface GraphUser {
  id: string;
  userPrincipalName?: string;
  mail?: string | null;
  displayName?: string;
  accountEnabled?: boolean;
}

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

async function allPages<T>(connection: GraphConnection, first: Page<T>): Promise<{ items: T[]; pages: number }> {
  const items = [...first.value];
  let pages = 1;
  let next = first['@odata.nextLink'];
  while (next) {
    expect(next).toMatch(/^https:\/\/localhost:\d+\/v1\.0\//);
    const page = (await connection.client.api(next).get()) as Page<T>;
    items.push(...page.value);
    next = page['@odata.nextLink'];
    pages++;
  }
  return { items, pages };
}

async function control(running: RunningMicrosoft365Emulator, path: string, body?: unknown): Promise<Response> {
  return fetch(`${running.url}/_control${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

describe('Microsoft 365 emulator: users and groups through the Graph SDK', () => {
  let running: RunningMicrosoft365Emulator;
  let connection: GraphConnection;

  beforeAll(async () => {
    running = await startMicrosoft365Emulator({ seed: { seed: 21, users: 7, messagesPerUser: 2 } });
    connection = createGraphClient(running.graphSettings);
  });
  afterAll(async () => running?.close());
  beforeEach(async () => {
    await control(running, '/reset');
  });

  it('lists users page by page through absolute @odata.nextLink URLs, with $select and $top', async () => {
    const first = (await connection.client.api('/users').select(['id', 'userPrincipalName', 'accountEnabled']).top(3).get()) as Page<GraphUser>;
    expect(first.value).toHaveLength(3);
    expect(Object.keys(first.value[0] ?? {}).sort()).toEqual(['accountEnabled', 'id', 'userPrincipalName']);
    const { items, pages } = await allPages(connection, first);
    expect(pages).toBe(3);
    expect(new Set(items.map((user) => user.id)).size).toBe(7);
    expect(items.every((user) => user.accountEnabled === true)).toBe(true);
  });

  it('leaves accountEnabled out unless selected, and refuses a $top outside 1..999', async () => {
    const page = (await connection.client.api('/users').get()) as Page<GraphUser>;
    expect(page.value).toHaveLength(7);
    expect(page.value[0]).not.toHaveProperty('accountEnabled');
    expect(page.value[0]).toHaveProperty('mail');
    const error = await failureOf(connection.client.api('/users').top(1000).get());
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe("Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
  });

  it('filters on accountEnabled', async () => {
    const all = (await connection.client.api('/users').select('id,userPrincipalName').get()) as Page<GraphUser>;
    const target = all.value[2] as GraphUser;
    await control(running, `/users/${target.id}/disable`);
    const disabled = (await connection.client.api('/users').filter('accountEnabled eq false').select('id,accountEnabled').get()) as Page<GraphUser>;
    expect(disabled.value).toEqual([{ id: target.id, accountEnabled: false }]);
    const enabled = (await connection.client.api('/users').filter('accountEnabled eq true').select('id').get()) as Page<GraphUser>;
    expect(enabled.value.map((user) => user.id)).not.toContain(target.id);
    expect(enabled.value).toHaveLength(6);
    const unsupported = await failureOf(connection.client.api('/users').filter("startswith(displayName,'A')").get());
    expect(unsupported.statusCode).toBe(400);
    expect(unsupported.code).toBe('Request_UnsupportedQuery');
  });

  it('gets a user by id or by userPrincipalName, and answers 404 Request_ResourceNotFound for an unknown one', async () => {
    const [someone] = ((await connection.client.api('/users').select('id,userPrincipalName').top(1).get()) as Page<GraphUser>).value;
    const byId = (await connection.client.api(`/users/${someone?.id}`).select('id,displayName,givenName,surname,mail,accountEnabled').get()) as GraphUser;
    const byUpn = (await connection.client.api(`/users/${someone?.userPrincipalName}`).select('id,displayName,givenName,surname,mail,accountEnabled').get()) as GraphUser;
    expect(byUpn).toEqual(byId);
    expect(byId).toMatchObject({ id: someone?.id, mail: someone?.userPrincipalName, accountEnabled: true, givenName: expect.any(String), surname: expect.any(String) });

    const missing = await failureOf(connection.client.api('/users/nobody@contoso.example').get());
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('Request_ResourceNotFound');
    expect(missing.message).toBe("Resource 'nobody@contoso.example' does not exist or one of its queried reference-property objects are not present.");
    expect(classifyGraphError(missing)).toMatchObject({ kind: 'notFound', code: 'Request_ResourceNotFound' });
  });

  it('reflects control-API deletes and renames: the old name and a deleted user answer 404', async () => {
    const users = ((await connection.client.api('/users').select('id,userPrincipalName').get()) as Page<GraphUser>).value;
    const [renamed, deleted] = users as [GraphUser, GraphUser];
    const renameResponse = await control(running, `/users/${renamed.userPrincipalName}/rename`, { userPrincipalName: 'new.name@contoso.example' });
    expect(renameResponse.status).toBe(200);
    expect((await failureOf(connection.client.api(`/users/${renamed.userPrincipalName}`).get())).statusCode).toBe(404);
    expect((await connection.client.api('/users/new.name@contoso.example').select('id,mail').get()) as GraphUser).toMatchObject({ id: renamed.id, mail: 'new.name@contoso.example' });

    await control(running, `/users/${deleted.id}/delete`);
    expect((await failureOf(connection.client.api(`/users/${deleted.id}`).get())).code).toBe('Request_ResourceNotFound');
    const mailbox = await failureOf(connection.client.api(`/users/${deleted.id}/mailFolders`).get());
    expect(classifyGraphError(mailbox)).toMatchObject({ kind: 'notFound', status: 404 });
    expect(((await connection.client.api('/users').get()) as Page<GraphUser>).value).toHaveLength(6);
  });

  it('lists groups, finds one by name, and pages through its members', async () => {
    const groups = (await connection.client.api('/groups').select('id,displayName').get()) as Page<{ id: string; displayName: string }>;
    expect(groups.value.map((group) => group.displayName)).toEqual(['All Staff', 'Migration Pilot', 'Sales', 'Engineering']);
    const pilot = (await connection.client.api('/groups').filter("displayName eq 'Migration Pilot'").get()) as Page<{ id: string }>;
    expect(pilot.value).toHaveLength(1);
    const firstPage = (await connection.client.api(`/groups/${pilot.value[0]?.id}/members`).select('id,userPrincipalName').top(2).get()) as Page<GraphUser & { '@odata.type': string }>;
    expect(firstPage.value[0]?.['@odata.type']).toBe('#microsoft.graph.user');
    const { items } = await allPages(connection, firstPage);
    expect(items).toHaveLength(4);

    const allStaff = groups.value[0]?.id;
    const member = items[0] as GraphUser;
    await control(running, `/users/${member.id}/delete`);
    const after = (await connection.client.api(`/groups/${allStaff}/members`).select('id').get()) as Page<GraphUser>;
    expect(after.value.map((user) => user.id)).not.toContain(member.id);
    expect((await failureOf(connection.client.api('/groups/00000000-0000-0000-0000-000000000000/members').get())).statusCode).toBe(404);
  });
});
