import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupNotFoundError, selectUsers } from '../../../connectors/microsoft365/select-users.js';
import { createGraphClient, type GraphConnection } from '../../../connectors/microsoft365/graph-client.js';
import { classifyGraphError } from '../../../connectors/microsoft365/graph-errors.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';

describe('selectUsers against Microsoft Graph (emulator)', () => {
  let m365: RunningMicrosoft365Emulator;
  let graph: GraphConnection;
  const people: Record<string, DirectoryUser> = {};

  beforeAll(async () => {
    m365 = await startMicrosoft365Emulator({ quota: { enabled: false } });
    const tenant = m365.emulator.tenant;
    const add = (key: string, upn: string, extra: { mail?: string | null; accountEnabled?: boolean } = {}) => {
      people[key] = tenant.addUser({
        userPrincipalName: upn,
        mail: extra.mail === undefined ? upn : extra.mail,
        displayName: key,
        givenName: key,
        surname: 'Test',
        accountEnabled: extra.accountEnabled ?? true,
      });
    };
    add('alice', 'alice@contoso.com');
    add('bob', 'bob@contoso.com');
    add('carol', 'carol@fabrikam.com');
    // UPN in the onmicrosoft domain, mail in contoso: selected by the mail domain.
    add('dave', 'dave@contoso.onmicrosoft.com', { mail: 'dave@contoso.com' });
    add('erin', 'erin@fabrikam.com', { accountEnabled: false });
    add('frank', 'frank@northwind.com', { mail: null });
    tenant.addGroup({ id: 'a1b2c3d4-0000-4000-8000-000000000001', displayName: 'Pilot', memberIds: [people.bob!.id, people.erin!.id, people.frank!.id] });
    graph = createGraphClient(m365.graphSettings);
  });
  afterAll(async () => m365?.close());

  const upns = (users: { userPrincipalName: string }[]) => users.map((user) => user.userPrincipalName);

  it('selects every enabled user for allUsers, sorted by userPrincipalName, with the fields the sync needs', async () => {
    const users = await selectUsers(graph, { allUsers: true });
    expect(upns(users)).toEqual(['alice@contoso.com', 'bob@contoso.com', 'carol@fabrikam.com', 'dave@contoso.onmicrosoft.com', 'frank@northwind.com']);
    expect(users[0]).toEqual({
      id: people.alice!.id,
      userPrincipalName: 'alice@contoso.com',
      mail: 'alice@contoso.com',
      displayName: 'alice',
      givenName: 'alice',
      surname: 'Test',
      accountEnabled: true,
    });
    expect(users.find((user) => user.userPrincipalName.startsWith('frank'))?.mail).toBeNull();
  });

  it('selects by domain of the UPN or of the mail address', async () => {
    expect(upns(await selectUsers(graph, { domains: ['contoso.com'] }))).toEqual(['alice@contoso.com', 'bob@contoso.com', 'dave@contoso.onmicrosoft.com']);
    // erin is in fabrikam too, but disabled.
    expect(upns(await selectUsers(graph, { domains: ['fabrikam.com', 'northwind.com'] }))).toEqual(['carol@fabrikam.com', 'frank@northwind.com']);
  });

  it('selects the direct members of groups, without disabled accounts', async () => {
    expect(upns(await selectUsers(graph, { groupIds: ['a1b2c3d4-0000-4000-8000-000000000001'] }))).toEqual(['bob@contoso.com', 'frank@northwind.com']);
  });

  it('adds include entries (UPN or id, any case) and removes exclude entries, exclude winning', async () => {
    const users = await selectUsers(graph, {
      groupIds: ['a1b2c3d4-0000-4000-8000-000000000001'],
      include: ['CAROL@fabrikam.com', people.alice!.id.toUpperCase(), 'nobody@contoso.com', 'erin@fabrikam.com'],
      exclude: ['frank@northwind.com', people.alice!.id],
    });
    expect(upns(users)).toEqual(['bob@contoso.com', 'carol@fabrikam.com']);
  });

  it('never selects the same user twice when several rules match', async () => {
    const users = await selectUsers(graph, { allUsers: true, domains: ['contoso.com'], groupIds: ['a1b2c3d4-0000-4000-8000-000000000001'], include: ['bob@contoso.com'] });
    expect(upns(users)).toEqual(['alice@contoso.com', 'bob@contoso.com', 'carol@fabrikam.com', 'dave@contoso.onmicrosoft.com', 'frank@northwind.com']);
  });

  it('follows @odata.nextLink past the 999-user page', async () => {
    const tenant = m365.emulator.tenant;
    for (let n = 0; n < 1000; n++) tenant.addUser({ userPrincipalName: `bulk${String(n).padStart(4, '0')}@bulk.example`, displayName: `Bulk ${n}` });
    const users = await selectUsers(graph, { domains: ['bulk.example'] });
    expect(users).toHaveLength(1000);
    expect(users[999]?.userPrincipalName).toBe('bulk0999@bulk.example');
  });

  it('names a missing group instead of selecting nobody from it, and lets other Graph errors through', async () => {
    await expect(selectUsers(graph, { groupIds: ['a1b2c3d4-0000-4000-8000-00000000dead'] })).rejects.toBeInstanceOf(GroupNotFoundError);
    const revoked = createGraphClient({ ...m365.graphSettings, clientSecret: 'not-the-secret' });
    const failure = await selectUsers(revoked, { allUsers: true }).catch((err: unknown) => classifyGraphError(err));
    expect(failure).toMatchObject({ kind: 'auth' });
  });
});
