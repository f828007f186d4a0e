import type { people_v1 } from 'googleapis/build/src/apis/people/v1.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { failureOf, rawTransport } from './fixtures.js';
import { peopleFor, startPeopleEmulator } from './people-fixtures.js';

let google: StartedGoogleEmulator;
let people: people_v1.People;

beforeAll(async () => {
  google = await startPeopleEmulator();
});
afterAll(() => google.close());
beforeEach(() => {
  google.emulator.reset();
  people = peopleFor(google, 'ann@example.com');
});

async function contact(givenName: string): Promise<string> {
  return (await people.people.createContact({ requestBody: { names: [{ givenName }] } })).data.resourceName!;
}

async function groupOf(resourceName: string, maxMembers?: number): Promise<people_v1.Schema$ContactGroup> {
  return (await people.contactGroups.get({ resourceName, maxMembers })).data;
}

describe('People API: contact groups', () => {
  it('lists the system groups of a new account, myContacts and starred among them', async () => {
    const { data } = await people.contactGroups.list({});
    const byId = new Map(data.contactGroups?.map((group) => [group.resourceName, group]));
    expect(byId.get('contactGroups/myContacts')).toMatchObject({ groupType: 'SYSTEM_CONTACT_GROUP', memberCount: 0, name: 'My Contacts' });
    expect(byId.get('contactGroups/starred')).toMatchObject({ groupType: 'SYSTEM_CONTACT_GROUP' });
    expect(data.contactGroups?.every((group) => group.groupType === 'SYSTEM_CONTACT_GROUP')).toBe(true);
    expect(data.totalItems).toBe(data.contactGroups?.length);
  });

  it('creates a user group, renames it with its etag, and answers 409 ALREADY_EXISTS for a duplicate name', async () => {
    const { data: created } = await people.contactGroups.create({ requestBody: { contactGroup: { name: 'Clients' } } });
    expect(created).toMatchObject({ resourceName: expect.stringMatching(/^contactGroups\/[0-9a-f]+$/), groupType: 'USER_CONTACT_GROUP', name: 'Clients', etag: expect.any(String) });
    const duplicate = await failureOf(people.contactGroups.create({ requestBody: { contactGroup: { name: 'Clients' } } }));
    expect(duplicate).toMatchObject({ status: 409, kind: 'conflict', googleStatus: 'ALREADY_EXISTS' });
    expect(duplicate.body).toEqual({ error: { code: 409, message: 'A contact group named "Clients" already exists.', status: 'ALREADY_EXISTS' } });

    const { data: renamed } = await people.contactGroups.update({ resourceName: created.resourceName!, requestBody: { contactGroup: { name: 'Customers', etag: created.etag } } });
    expect(renamed).toMatchObject({ name: 'Customers' });
    expect(renamed.etag).not.toBe(created.etag);
    const stale = await failureOf(people.contactGroups.update({ resourceName: created.resourceName!, requestBody: { contactGroup: { name: 'Other', etag: created.etag } } }));
    expect(stale).toMatchObject({ status: 400, googleStatus: 'FAILED_PRECONDITION' });
    await people.contactGroups.create({ requestBody: { contactGroup: { name: 'Suppliers' } } });
    const clash = await failureOf(people.contactGroups.update({ resourceName: created.resourceName!, requestBody: { contactGroup: { name: 'Suppliers', etag: renamed.etag } } }));
    expect(clash).toMatchObject({ status: 409, googleStatus: 'ALREADY_EXISTS' });
    const system = await failureOf(people.contactGroups.update({ resourceName: 'contactGroups/myContacts', requestBody: { contactGroup: { name: 'Mine', etag: 'x' } } }));
    expect(system.status).toBe(400);
  });

  it('adds and removes members with members.modify, reports unknown names and the last-group rule', async () => {
    const { data: group } = await people.contactGroups.create({ requestBody: { contactGroup: { name: 'Team' } } });
    const ann = await contact('Ann');
    const bob = await contact('Bob');
    const added = await people.contactGroups.members.modify({ resourceName: group.resourceName!, requestBody: { resourceNamesToAdd: [ann, bob, 'people/c999'] } });
    expect(added.data).toEqual({ notFoundResourceNames: ['people/c999'] });
    expect(await groupOf(group.resourceName!, 10)).toMatchObject({ memberCount: 2, memberResourceNames: [ann, bob] });

    await people.contactGroups.members.modify({ resourceName: 'contactGroups/myContacts', requestBody: { resourceNamesToRemove: [ann] } });
    const last = await people.contactGroups.members.modify({ resourceName: group.resourceName!, requestBody: { resourceNamesToRemove: [ann, bob] } });
    expect(last.data).toEqual({ canNotRemoveLastContactGroupResourceNames: [ann] });
    expect(await groupOf(group.resourceName!, 10)).toMatchObject({ memberCount: 1, memberResourceNames: [ann] });

    const starred = await people.contactGroups.members.modify({ resourceName: 'contactGroups/starred', requestBody: { resourceNamesToAdd: [bob] } });
    expect(starred.data).toEqual({});
    const friends = await failureOf(people.contactGroups.members.modify({ resourceName: 'contactGroups/friends', requestBody: { resourceNamesToAdd: [bob] } }));
    expect(friends).toMatchObject({ status: 400, googleStatus: 'INVALID_ARGUMENT' });
    const tooMany = Array.from({ length: 1001 }, (_, index) => `people/c${index + 1}`);
    const limit = await failureOf(people.contactGroups.members.modify({ resourceName: group.resourceName!, requestBody: { resourceNamesToAdd: tooMany } }));
    expect(limit).toMatchObject({ status: 400, message: expect.stringContaining('less than or equal to 1000') });
  });

  it('deletes a group, keeping its contacts unless deleteContacts is set', async () => {
    const keep = (await people.contactGroups.create({ requestBody: { contactGroup: { name: 'Keep' } } })).data;
    const drop = (await people.contactGroups.create({ requestBody: { contactGroup: { name: 'Drop' } } })).data;
    const ann = await contact('Ann');
    const bob = await contact('Bob');
    await people.contactGroups.members.modify({ resourceName: keep.resourceName!, requestBody: { resourceNamesToAdd: [ann] } });
    await people.contactGroups.members.modify({ resourceName: drop.resourceName!, requestBody: { resourceNamesToAdd: [bob] } });
    await people.contactGroups.delete({ resourceName: keep.resourceName! });
    await people.contactGroups.delete({ resourceName: drop.resourceName!, deleteContacts: true });
    expect((await failureOf(groupOf(keep.resourceName!))).status).toBe(404);
    const left = google.emulator.contactsOf('ann@example.com') as Array<{ resourceName: string; groupNames: string[] }>;
    expect(left.map((person) => [person.resourceName, person.groupNames])).toEqual([[ann, ['My Contacts']]]);
  });
});

describe('People API: control routes and stats', () => {
  it('shows contacts with group names, groups with member counts, and counts People writes', async () => {
    const group = (await people.contactGroups.create({ requestBody: { contactGroup: { name: 'Clients' } } })).data;
    const created = (
      await people.people.createContact({
        personFields: 'metadata',
        requestBody: { names: [{ givenName: 'Ann' }], clientData: [{ key: 'm365Id', value: 'AAMk-1' }], memberships: [{ contactGroupMembership: { contactGroupResourceName: group.resourceName! } }] },
      })
    ).data;
    await people.people.updateContact({ resourceName: created.resourceName!, updatePersonFields: 'names', requestBody: { metadata: created.metadata, names: [{ givenName: 'Anne' }] } });

    const transport = rawTransport();
    const contacts = await transport.request<{ contacts: Array<Record<string, unknown>> }>({ url: `${google.url}/_control/users/ann@example.com/contacts` });
    expect(contacts.data.contacts).toEqual([
      expect.objectContaining({
        resourceName: created.resourceName,
        names: [expect.objectContaining({ givenName: 'Anne' })],
        clientData: [expect.objectContaining({ key: 'm365Id', value: 'AAMk-1' })],
        groupNames: ['My Contacts', 'Clients'],
      }),
    ]);
    const groups = await transport.request<{ contactGroups: Array<Record<string, unknown>> }>({ url: `${google.url}/_control/users/ann@example.com/contact-groups` });
    expect(groups.data.contactGroups).toContainEqual({ resourceName: group.resourceName, name: 'Clients', groupType: 'USER_CONTACT_GROUP', memberCount: 1 });
    expect(groups.data.contactGroups).toContainEqual({ resourceName: 'contactGroups/myContacts', name: 'My Contacts', groupType: 'SYSTEM_CONTACT_GROUP', memberCount: 1 });
    const stats = await transport.request<{ people: Record<string, number> }>({ url: `${google.url}/_control/stats` });
    expect(stats.data.people).toMatchObject({ creates: 1, updates: 1, deletes: 0, photoUpdates: 0, groupWrites: 1, concurrentMutates: 0, throttled: 0, inFlightMutates: 0 });
  });
});
