import type { people_v1 } from 'googleapis/build/src/apis/people/v1.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { failureOf } from './fixtures.js';
import { allPersonFields, fullPerson, peopleFor, pngBase64, startPeopleEmulator } from './people-fixtures.js';

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

/** Drops what the server adds (metadata, formattedType...) so each value compares with the one sent. */
function asSent(received: Array<Record<string, unknown>> | undefined, sentValues: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return (received ?? []).map((value, index) => Object.fromEntries(Object.entries(value).filter(([key]) => key in (sentValues[index] ?? {}))));
}

async function create(person: people_v1.Schema$Person = { names: [{ givenName: 'Ann' }] }): Promise<people_v1.Schema$Person> {
  return (await people.people.createContact({ personFields: 'names,metadata,memberships,clientData', requestBody: person })).data;
}

describe('People API: createContact and get', () => {
  it('creates a contact whose every field comes back from get, with resource name, etags and the CONTACT source', async () => {
    const created = await create(fullPerson);
    expect(created.resourceName).toMatch(/^people\/c\d+$/);
    const { data } = await people.people.get({ resourceName: created.resourceName!, personFields: allPersonFields });
    for (const [field, values] of Object.entries(fullPerson) as Array<[keyof people_v1.Schema$Person, Array<Record<string, unknown>>]>) {
      expect(asSent(data[field] as Array<Record<string, unknown>>, values), field).toEqual(values);
    }
    expect(data.names?.[0]).toMatchObject({ displayName: 'Dr. Dana M Reyes PhD', displayNameLastFirst: 'Reyes, Dr. Dana M PhD' });
    expect(data.phoneNumbers?.map((phone) => phone.formattedType)).toEqual(['Work', 'Home', 'Mobile', 'Work Fax', 'Home Fax', 'Pager', 'Main', 'Other']);
    expect(data.phoneNumbers?.[2]?.canonicalForm).toBe('+14255550102');
    expect(data.birthdays?.[0]?.date).toEqual({ month: 4, day: 12 });
    expect(data.metadata?.sources).toEqual([{ type: 'CONTACT', id: expect.stringMatching(/^[0-9a-f]+$/), etag: expect.any(String), updateTime: expect.any(String) }]);
    expect(data.etag).toEqual(expect.any(String));
    expect(data.etag).not.toBe(data.metadata?.sources?.[0]?.etag);
    expect(data.memberships?.map((membership) => membership.contactGroupMembership)).toEqual([{ contactGroupId: 'myContacts', contactGroupResourceName: 'contactGroups/myContacts' }]);
    expect(data.photos).toEqual([expect.objectContaining({ default: true, url: expect.any(String) })]);
  });

  it('answers only the fields personFields names', async () => {
    const created = await create(fullPerson);
    const { data } = await people.people.get({ resourceName: created.resourceName!, personFields: 'emailAddresses' });
    expect(Object.keys(data).sort()).toEqual(['emailAddresses', 'etag', 'resourceName']);
  });

  it('refuses a second value in a singleton field (names, birthdays, biographies) with 400 INVALID_ARGUMENT', async () => {
    const twice: people_v1.Schema$Person[] = [
      { names: [{ givenName: 'A' }, { givenName: 'B' }] },
      { birthdays: [{ date: { month: 1, day: 2 } }, { date: { month: 3, day: 4 } }] },
      { biographies: [{ value: 'a' }, { value: 'b' }] },
    ];
    for (const requestBody of twice) {
      const failure = await failureOf(people.people.createContact({ requestBody }));
      expect(failure, Object.keys(requestBody)[0]).toMatchObject({ status: 400, googleStatus: 'INVALID_ARGUMENT', kind: 'invalid' });
      expect(failure.body).toEqual({ error: { code: 400, message: expect.stringContaining('singleton'), status: 'INVALID_ARGUMENT' } });
    }
    expect(google.emulator.contactsOf('ann@example.com')).toEqual([]);
  });

  it('answers 400 when a read leaves out the required personFields or readMask', async () => {
    const created = await create();
    const cases: Array<Promise<unknown>> = [
      people.people.get({ resourceName: created.resourceName! }),
      people.people.connections.list({ resourceName: 'people/me' }),
      people.people.searchContacts({ query: 'Ann' }),
      people.people.batchCreateContacts({ requestBody: { contacts: [{ contactPerson: { names: [{ givenName: 'X' }] } }] } }),
      people.people.getBatchGet({ resourceNames: [created.resourceName!] }),
    ];
    for (const call of cases) {
      const failure = await failureOf(call);
      expect(failure).toMatchObject({ status: 400, googleStatus: 'INVALID_ARGUMENT', message: expect.stringMatching(/^(personFields|readMask) mask is required\./) });
    }
    const bad = await failureOf(people.people.get({ resourceName: created.resourceName!, personFields: 'names,shoeSize' }));
    expect(bad).toMatchObject({ status: 400, message: expect.stringContaining('Invalid personFields mask path: "shoeSize"') });
  });

  it('gets several contacts at once with batchGet, a 404 entry for an unknown one', async () => {
    const a = await create({ names: [{ givenName: 'Ann' }] });
    const { data } = await people.people.getBatchGet({ resourceNames: [a.resourceName!, 'people/c123'], personFields: 'names' });
    expect(data.responses?.map((response) => [response.requestedResourceName, response.httpStatusCode])).toEqual([
      [a.resourceName, 200],
      ['people/c123', 404],
    ]);
    expect(data.responses?.[0]?.person?.names?.[0]?.givenName).toBe('Ann');
  });
});

describe('People API: batchCreateContacts', () => {
  it('creates 200 contacts in one request and answers each with its person and status', async () => {
    const contacts = Array.from({ length: 200 }, (_, index) => ({ contactPerson: { names: [{ givenName: `Person ${index}` }], clientData: [{ key: 'm365Id', value: `id-${index}` }] } }));
    const { data } = await people.people.batchCreateContacts({ requestBody: { contacts, readMask: 'names,clientData' } });
    expect(data.createdPeople).toHaveLength(200);
    expect(data.createdPeople?.[7]).toMatchObject({
      httpStatusCode: 200,
      status: {},
      person: { resourceName: expect.stringMatching(/^people\/c\d+$/), names: [expect.objectContaining({ givenName: 'Person 7' })] },
    });
    expect(new Set(data.createdPeople?.map((created) => created.person?.resourceName)).size).toBe(200);
    expect(google.emulator.contactsOf('ann@example.com')).toHaveLength(200);
  });

  it('refuses 201 contacts with 400 and creates none', async () => {
    const contacts = Array.from({ length: 201 }, (_, index) => ({ contactPerson: { names: [{ givenName: `P${index}` }] } }));
    const failure = await failureOf(people.people.batchCreateContacts({ requestBody: { contacts, readMask: 'names' } }));
    expect(failure).toMatchObject({ status: 400, googleStatus: 'INVALID_ARGUMENT', message: expect.stringContaining('At most 200') });
    expect(google.emulator.contactsOf('ann@example.com')).toEqual([]);
  });
});

describe('People API: updateContact', () => {
  it('updates with the current source etag; the etags change and the old one is then refused with Google’s FAILED_PRECONDITION', async () => {
    const created = await create(fullPerson);
    const first = (await people.people.get({ resourceName: created.resourceName!, personFields: 'names,metadata,emailAddresses' })).data;
    const { data: updated } = await people.people.updateContact({
      resourceName: created.resourceName!,
      updatePersonFields: 'names,emailAddresses',
      personFields: 'names,emailAddresses,metadata,phoneNumbers',
      requestBody: { metadata: first.metadata, names: [{ givenName: 'Dana', familyName: 'Reyes-Park' }] },
    });
    expect(updated.names?.[0]).toMatchObject({ givenName: 'Dana', familyName: 'Reyes-Park', displayName: 'Dana Reyes-Park' });
    expect(updated.emailAddresses).toBeUndefined(); // named in updatePersonFields, absent in the body: cleared
    expect(updated.phoneNumbers).toHaveLength(8); // not named: untouched
    expect(updated.etag).not.toBe(first.etag);
    expect(updated.metadata?.sources?.[0]?.etag).not.toBe(first.metadata?.sources?.[0]?.etag);

    const failure = await failureOf(
      people.people.updateContact({ resourceName: created.resourceName!, updatePersonFields: 'names', requestBody: { metadata: first.metadata, names: [{ givenName: 'Stale' }] } }),
    );
    expect(failure).toMatchObject({ status: 400, kind: 'precondition', googleStatus: 'FAILED_PRECONDITION' });
    expect(failure.body).toEqual({
      error: {
        code: 400,
        message: 'Request person.metadata.sources.etag is different than the current person.metadata.sources.etag. Clear local cache and get the latest person.',
        status: 'FAILED_PRECONDITION',
      },
    });
    const staleTop = await failureOf(
      people.people.updateContact({ resourceName: created.resourceName!, updatePersonFields: 'names', requestBody: { etag: first.etag, metadata: updated.metadata, names: [{ givenName: 'Stale' }] } }),
    );
    expect(staleTop.message).toBe('Request person.etag is different than the current person.etag. Clear local cache and get the latest person.');
    const [stored] = google.emulator.contactsOf('ann@example.com') as Array<{ names?: Array<{ givenName?: string }> }>;
    expect(stored?.names?.[0]?.givenName).toBe('Dana');
  });

  it('answers 400 without updatePersonFields or without person.metadata.sources', async () => {
    const created = await create();
    const noMask = await failureOf(people.people.updateContact({ resourceName: created.resourceName!, requestBody: { metadata: created.metadata, names: [{ givenName: 'B' }] } }));
    expect(noMask).toMatchObject({ status: 400, message: expect.stringContaining('updatePersonFields mask is required') });
    const noSources = await failureOf(people.people.updateContact({ resourceName: created.resourceName!, updatePersonFields: 'names', requestBody: { names: [{ givenName: 'B' }] } }));
    expect(noSources).toMatchObject({ status: 400, googleStatus: 'INVALID_ARGUMENT', message: expect.stringContaining('person.metadata.sources') });
  });

  it('moves a contact between groups through memberships, and refuses memberships with no group', async () => {
    const group = (await people.contactGroups.create({ requestBody: { contactGroup: { name: 'Clients' } } })).data;
    const created = await create();
    const { data } = await people.people.updateContact({
      resourceName: created.resourceName!,
      updatePersonFields: 'memberships',
      personFields: 'memberships,metadata',
      requestBody: {
        metadata: created.metadata,
        memberships: [{ contactGroupMembership: { contactGroupResourceName: group.resourceName! } }, { contactGroupMembership: { contactGroupResourceName: 'contactGroups/myContacts' } }],
      },
    });
    expect(data.memberships?.map((membership) => membership.contactGroupMembership?.contactGroupResourceName)).toEqual([group.resourceName, 'contactGroups/myContacts']);
    const none = await failureOf(people.people.updateContact({ resourceName: created.resourceName!, updatePersonFields: 'memberships', requestBody: { metadata: data.metadata, memberships: [] } }));
    expect(none).toMatchObject({ status: 400, googleStatus: 'INVALID_ARGUMENT', message: expect.stringContaining('at least one contact group') });
    const friends = await failureOf(
      people.people.updateContact({
        resourceName: created.resourceName!,
        updatePersonFields: 'memberships',
        requestBody: { metadata: data.metadata, memberships: [{ contactGroupMembership: { contactGroupResourceName: 'contactGroups/friends' } }] },
      }),
    );
    expect(friends).toMatchObject({ status: 400, message: expect.stringContaining('contactGroups/myContacts or contactGroups/starred') });
  });
});

describe('People API: deleteContact and updateContactPhoto', () => {
  it('deletes a contact; get then answers 404 NOT_FOUND', async () => {
    const created = await create();
    await people.people.deleteContact({ resourceName: created.resourceName! });
    const failure = await failureOf(people.people.get({ resourceName: created.resourceName!, personFields: 'names' }));
    expect(failure).toMatchObject({ status: 404, kind: 'notFound' });
    expect(failure.body).toEqual({ error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } });
    expect(google.emulator.stats().people.deletes).toBe(1);
  });

  it('sets a photo from PNG bytes and refuses bytes that are no image with 400 "Invalid photo format"', async () => {
    const created = await create();
    const { data } = await people.people.updateContactPhoto({ resourceName: created.resourceName!, requestBody: { photoBytes: pngBase64, personFields: 'photos' } });
    expect(data.person?.photos).toEqual([expect.objectContaining({ url: expect.stringMatching(/^https:\/\//) })]);
    expect(data.person?.photos?.[0]?.default).toBeUndefined();
    const failure = await failureOf(people.people.updateContactPhoto({ resourceName: created.resourceName!, requestBody: { photoBytes: Buffer.from('not an image at all').toString('base64') } }));
    expect(failure).toMatchObject({ status: 400, googleStatus: 'INVALID_ARGUMENT', message: 'Invalid photo format' });
    const [stored] = google.emulator.contactsOf('ann@example.com') as Array<{ photo?: { mimeType: string } }>;
    expect(stored?.photo?.mimeType).toBe('image/png');
    expect(google.emulator.stats().people.photoUpdates).toBe(1);
  });
});

describe('People API: searchContacts and connections.list', () => {
  it('matches prefix phrases of names, emails, phones and organizations after a warm-up, never clientData', async () => {
    await create({ names: [{ givenName: 'Foo', familyName: 'Name' }], emailAddresses: [{ value: 'foo.name@contoso.example' }], clientData: [{ key: 'm365Id', value: 'secret-key' }] });
    await create({ names: [{ givenName: 'Bea' }], phoneNumbers: [{ value: '+1 425 555 0199' }], organizations: [{ name: 'Fabrikam' }] });
    const search = async (query: string) => (await people.people.searchContacts({ query, readMask: 'names' })).data.results?.map((result) => result.person?.names?.[0]?.givenName) ?? [];

    expect(await search('foo')).toEqual([]); // no warm-up yet: the cache is empty
    await people.people.searchContacts({ query: '', readMask: 'names' });
    expect(await search('f')).toEqual(['Foo', 'Bea']); // Fabrikam
    for (const query of ['fo', 'foo', 'foo n', 'nam', 'FOO NAME', 'contoso']) expect(await search(query), query).toEqual(['Foo']);
    expect(await search('oo n')).toEqual([]);
    expect(await search('fabri')).toEqual(['Bea']);
    expect(await search('+1425555')).toEqual(['Bea']);
    expect(await search('secret-key')).toEqual([]);
    expect(await search('m365Id')).toEqual([]);

    await create({ names: [{ givenName: 'Late' }] });
    expect(await search('late')).toEqual([]); // created after the warm-up
    await people.people.searchContacts({ query: '', readMask: 'names' });
    expect(await search('late')).toEqual(['Late']);
  });

  it('lists connections in pages, with totals, and clientData when asked (the lookup key search cannot give)', async () => {
    const contacts = Array.from({ length: 5 }, (_, index) => ({ contactPerson: { names: [{ givenName: `P${index}` }], clientData: [{ key: 'm365Id', value: `id-${index}` }] } }));
    await people.people.batchCreateContacts({ requestBody: { contacts, readMask: 'names' } });
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { data } = await people.people.connections.list({ resourceName: 'people/me', personFields: 'names,clientData', pageSize: 2, pageToken });
      expect(data.totalPeople).toBe(5);
      for (const person of data.connections ?? []) seen.push(person.clientData?.[0]?.value ?? '');
      pageToken = data.nextPageToken ?? undefined;
      pages++;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['id-0', 'id-1', 'id-2', 'id-3', 'id-4']);

    const first = await people.people.connections.list({ resourceName: 'people/me', personFields: 'names', pageSize: 2 });
    const mismatch = await failureOf(
      people.people.connections.list({ resourceName: 'people/me', personFields: 'names', pageSize: 2, sortOrder: 'FIRST_NAME_ASCENDING', pageToken: first.data.nextPageToken! }),
    );
    expect(mismatch).toMatchObject({ status: 400, googleStatus: 'INVALID_ARGUMENT' });
    const tooBig = await failureOf(people.people.connections.list({ resourceName: 'people/me', personFields: 'names', pageSize: 1001 }));
    expect(tooBig.status).toBe(400);
    const byName = await people.people.connections.list({ resourceName: 'people/me', personFields: 'names', sortOrder: 'FIRST_NAME_ASCENDING' });
    expect(byName.data.connections?.map((person) => person.names?.[0]?.givenName)).toEqual(['P0', 'P1', 'P2', 'P3', 'P4']);
  });
});
