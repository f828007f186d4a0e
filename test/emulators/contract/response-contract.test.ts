import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createGoogleClients } from '../../../connectors/google/google-clients.js';
import type { ObservedResponse } from '../../../emulators/response-observer.js';
import { GoogleContract } from '../../helpers/contract/google-contract.js';
import { GraphContract } from '../../helpers/contract/graph-contract.js';
import { assertNoContractViolations, checkedResponseCount, takeContractViolations } from '../../helpers/contract/recorder.js';
import { startGoogleEmulator, type StartedGoogleEmulator } from '../../helpers/google-emulator.js';
import { startMicrosoft365Emulator, type RunningMicrosoft365Emulator } from '../../helpers/microsoft365-emulator.js';

const graph = GraphContract.fromFile(inject('contractSources').graphSchemaFile);
const google = GoogleContract.fromDirectory(inject('contractSources').googleDiscoveryDir);

function json(method: string, path: string, body: unknown, status = 200): ObservedResponse {
  return { method, path, search: '', status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body), deliberatelyOffContract: false };
}

const context = 'https://graph.example/v1.0/$metadata#users';
const graphMessage = {
  '@odata.type': '#microsoft.graph.message',
  '@odata.etag': 'W/"CQAAABYAAA"',
  id: 'AAMkAGI2',
  subject: 'Quarterly figures',
  isRead: false,
  receivedDateTime: '2024-01-02T09:30:00Z',
  from: { emailAddress: { name: 'Dana Reyes', address: 'dana@contoso.example' } },
  toRecipients: [{ emailAddress: { name: 'Ann', address: 'ann@contoso.example' } }],
  body: { contentType: 'text', content: 'See attached.' },
  flag: { flagStatus: 'notFlagged' },
  parentFolderId: null,
  singleValueExtendedProperties: [{ id: 'Integer 0xe08', value: '2048' }],
};

describe('Graph contract (JSON Schema from @microsoft/microsoft-graph-types)', () => {
  it('accepts a message, a page of users and a delta page as Graph sends them', () => {
    expect(graph.check(json('GET', '/v1.0/users/u1/messages/m1', { '@odata.context': context, ...graphMessage }))).toEqual([]);
    const users = { '@odata.context': context, value: [{ id: 'u1', displayName: 'Ann', mail: null, businessPhones: [] }], '@odata.nextLink': 'https://graph.example/v1.0/users?$skiptoken=x' };
    expect(graph.check(json('GET', '/v1.0/users', users))).toEqual([]);
    const delta = { value: [graphMessage, { id: 'm2', '@removed': { reason: 'deleted' } }], '@odata.deltaLink': 'https://graph.example/v1.0/users/u1/mailFolders/f/messages/delta?$deltatoken=1' };
    expect(graph.check(json('GET', '/v1.0/users/u1/mailFolders/f/messages/delta', delta))).toEqual([]);
  });

  it('accepts a contact, a page of contact folders, a contact delta page and photo metadata; reports what the contact type lacks', () => {
    const contact = { id: 'c1', displayName: 'Ann Lee', emailAddresses: [{ name: 'Ann', address: 'ann@example.com' }], homeAddress: {}, birthday: '1604-03-14T00:00:00Z', categories: [] };
    expect(graph.check(json('GET', '/v1.0/users/u1/contacts/c1', { '@odata.context': context, ...contact }))).toEqual([]);
    expect(graph.check(json('GET', '/v1.0/users/u1/contactFolders', { value: [{ id: 'f1', displayName: 'Clients', parentFolderId: 'f0' }] }))).toEqual([]);
    const delta = { value: [contact, { id: 'c2', '@removed': { reason: 'deleted' } }], '@odata.deltaLink': 'https://graph.example/v1.0/users/u1/contactFolders/f/contacts/delta?$deltatoken=1' };
    expect(graph.check(json('GET', '/v1.0/users/u1/contactFolders/f/contacts/delta', delta))).toEqual([]);
    expect(graph.check(json('GET', '/v1.0/users/u1/contacts/c1/photo', { '@odata.mediaContentType': 'image/png', id: '48X48', width: 48, height: 48 }))).toEqual([]);
    expect(graph.check(json('GET', '/v1.0/users/u1/contacts/c1', { ...contact, phones: [] }))).toEqual(['Contact: (body) has a property the description lacks: "phones"']);
  });

  it('accepts an event (occurrence and series master), a calendar page and a calendarView delta page; reports what the event type lacks', () => {
    const occurrence = {
      id: 'e1',
      type: 'occurrence',
      seriesMasterId: 'e0',
      originalStart: '2026-03-02T09:00:00Z',
      start: { dateTime: '2026-03-02T09:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-03-02T10:00:00.0000000', timeZone: 'UTC' },
      recurrence: null,
      onlineMeeting: { joinUrl: 'https://teams.microsoft.com/l/meetup-join/x' },
    };
    const master = {
      id: 'e0',
      type: 'seriesMaster',
      cancelledOccurrences: ['OID.e0.2026-03-09'],
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' }, range: { type: 'noEnd', startDate: '2026-03-02' } },
    };
    expect(graph.check(json('GET', '/v1.0/users/u1/events/e0', { '@odata.context': context, ...master }))).toEqual([]);
    expect(graph.check(json('GET', '/v1.0/users/u1/calendars', { value: [{ id: 'c1', name: 'Calendar', isDefaultCalendar: true, owner: { name: 'Ann', address: 'ann@example.com' } }] }))).toEqual([]);
    const delta = { value: [occurrence, { id: 'e2', '@removed': { reason: 'deleted' } }], '@odata.deltaLink': 'https://graph.example/v1.0/users/u1/calendarView/delta?$deltatoken=1' };
    expect(graph.check(json('GET', '/v1.0/users/u1/calendarView/delta', delta))).toEqual([]);
    expect(graph.check(json('GET', '/v1.0/users/u1/calendars/c1/calendarView/delta', delta))).toEqual([]);
    expect(graph.check(json('GET', '/v1.0/users/u1/events/e1', { ...occurrence, occurrenceId: 'OID.e0.2026-03-02' }))).toEqual(['Event: (body) has a property the description lacks: "occurrenceId"']);
  });

  it('reports a property the types lack and a value of the wrong type', () => {
    const problems = graph.check(json('GET', '/v1.0/users/u1/messages/m1', { ...graphMessage, size: 2048, isRead: 'no' }));
    expect(problems).toContain('Message: (body) has a property the description lacks: "size"');
    expect(problems).toContain('Message: /isRead must be boolean,null');
    expect(graph.check(json('GET', '/v1.0/users/u1/mailFolders/f', { id: 'f', displayName: 'Inbox', totalItemCount: '3' }))).toEqual(['MailFolder: /totalItemCount must be number,null']);
    expect(graph.check(json('GET', '/v1.0/users', { value: [{ id: 'u1', wellKnownName: 'x' }] }))).toEqual(['User: /value/0 has a property the description lacks: "wellKnownName"']);
  });

  it('reports a broken OData envelope: unknown members, relative links, delta pages without exactly one link, bad @removed', () => {
    expect(graph.check(json('GET', '/v1.0/groups', { value: [], '@odata.totalCount': 1 }))).toEqual(['(body) has a member the OData collection envelope lacks: "@odata.totalCount"']);
    expect(graph.check(json('GET', '/v1.0/groups', { value: [], '@odata.nextLink': '/v1.0/groups?$skiptoken=1' }))).toEqual(['@odata.nextLink must be an absolute URL']);
    expect(graph.check(json('GET', '/v1.0/groups', { value: [], '@odata.deltaLink': 'https://graph.example/x' }))).toEqual([
      '(body) has a member the OData collection envelope lacks: "@odata.deltaLink"',
    ]);
    expect(graph.check(json('GET', '/v1.0/users/u/mailFolders/f/messages/delta', { value: [] }))).toEqual(['a delta page carries exactly one of @odata.nextLink and @odata.deltaLink']);
    const removed = { value: [{ id: 'm2', '@removed': { reason: 'moved' } }], '@odata.nextLink': 'https://graph.example/x' };
    expect(graph.check(json('GET', '/v1.0/users/u/mailFolders/f/messages/delta', removed))).toEqual(['/value/0/@removed must be {"reason": "changed" | "deleted"}']);
    expect(graph.check(json('GET', '/v1.0/users/u1', { '@odata.context': 'users', id: 'u1' }))).toEqual(['@odata.context "users" is not a $metadata URL with a fragment']);
    expect(graph.check(json('GET', '/v1.0/groups', { value: [{ '@odata.type': '#microsoft.graph.user', id: 'u1' }] }))).toEqual(['/value/0/@odata.type is "#microsoft.graph.user", not a group']);
  });

  it('reports error bodies without code or message, error parts of a $batch, and answers no route describes', () => {
    expect(graph.check(json('GET', '/v1.0/users/nobody', { error: { message: 'missing' } }, 404))).toEqual(['graph-error: /error lacks the required property "code"']);
    expect(graph.check({ ...json('GET', '/v1.0/users/nobody', {}, 500), contentType: 'text/plain', body: 'oops' })).toEqual([
      'answers with Content-Type "text/plain" where the service answers application/json',
    ]);
    const batch = { responses: [{ id: '1', status: 424, headers: {}, body: { error: { code: 'FailedDependency' } } }] };
    expect(graph.check(json('POST', '/v1.0/$batch', batch))).toEqual(['responses/0/body: graph-error: /error lacks the required property "message"']);
    expect(graph.check(json('POST', '/v1.0/$batch', { responses: [{ id: 1, status: 200 }] }))).toEqual(['graph-batch: /responses/0/id must be string']);
    expect(graph.check(json('GET', '/v1.0/users/u1/calendarGroups', { value: [] }))[0]).toMatch(/^no Graph v1.0 answer is described for GET \/v1.0\/users\/u1\/calendarGroups/);
  });
});

describe('Google contract (Gmail v1 and Admin SDK Directory v1 discovery documents)', () => {
  const message = { id: '18c', threadId: '18c', labelIds: ['INBOX'], sizeEstimate: 2048, historyId: '4021', internalDate: '1704187800000' };

  it('accepts a message, a label list and a directory user as the discovery documents describe them', () => {
    expect(google.check(json('GET', '/gmail/v1/users/me/messages/18c', message))).toEqual([]);
    expect(google.check(json('POST', '/upload/gmail/v1/users/me/messages/import', message))).toEqual([]);
    expect(google.check(json('GET', '/gmail/v1/users/me/labels', { labels: [{ id: 'INBOX', name: 'INBOX', type: 'system' }] }))).toEqual([]);
    const user = { kind: 'admin#directory#user', id: '1', primaryEmail: 'ann@example.com', name: { givenName: 'Ann', familyName: 'Lee', fullName: 'Ann Lee' }, suspended: false };
    expect(google.check(json('GET', '/admin/directory/v1/users/ann@example.com', user))).toEqual([]);
  });

  it('reports 64-bit integers sent as numbers, properties the document lacks and a wrong kind', () => {
    expect(google.check(json('GET', '/gmail/v1/users/me/messages/18c', { ...message, historyId: 4021 }))).toEqual(['gmail.users.messages.get: /historyId must be string']);
    expect(google.check(json('GET', '/gmail/v1/users/me/messages/18c', { ...message, size: 2048 }))).toEqual(['gmail.users.messages.get: (body) has a property the description lacks: "size"']);
    expect(google.check(json('GET', '/gmail/v1/users/me/labels', { labels: [{ id: 'L1', name: 'x', type: 'custom' }] }))).toEqual([
      'gmail.users.labels.list: /labels/0/type must be one of ["system","user"]',
    ]);
    expect(google.check(json('GET', '/admin/directory/v1/users/ann@example.com', { kind: 'admin#directory#users', primaryEmail: 'ann@example.com' }))).toEqual([
      'directory.users.get: /kind must be equal to constant',
    ]);
  });

  it('reports error bodies that are not Google JSON errors, bodies on methods without one, and undescribed methods', () => {
    const error = { error: { code: 404, message: 'Not Found', errors: [{ message: 'Not Found', domain: 'global', reason: 'notFound' }], status: 'NOT_FOUND' } };
    expect(google.check(json('GET', '/gmail/v1/users/me/labels/L9', error, 404))).toEqual([]);
    expect(google.check(json('GET', '/gmail/v1/users/me/labels/L9', error, 400))).toEqual(['error.code 404 differs from the HTTP status 400']);
    expect(google.check(json('GET', '/gmail/v1/users/me/labels/L9', { error: 'not_found' }, 404))).toEqual(['google-error: /error must be object']);
    expect(google.check(json('DELETE', '/gmail/v1/users/me/labels/L9', {}))).toEqual(['gmail.users.labels.delete has no response body in the discovery document, but one was sent']);
    expect(google.check(json('GET', '/gmail/v1/users/me/notAThing', {}))).toEqual(['no method of Gmail v1, Admin SDK Directory v1, People v1 or Calendar v3 answers GET /gmail/v1/users/me/notAThing']);
    expect(google.check(json('POST', '/token', { token_type: 'Bearer' }))).toEqual(['oauth-token: (body) lacks the required property "access_token"']);
  });

  it('lets resumable-upload steps without a body through and checks the resource the last step returns', () => {
    const start = { method: 'POST', path: '/upload/gmail/v1/users/me/messages/import', search: 'uploadType=resumable', status: 200, contentType: '', body: '', deliberatelyOffContract: false };
    expect(google.check(start)).toEqual([]);
    expect(google.check({ ...start, method: 'PUT', search: 'uploadType=resumable&upload_id=u1', status: 308 })).toEqual([]);
    const last = { ...json('PUT', '/upload/gmail/v1/users/me/messages/import', message), search: 'uploadType=resumable&upload_id=u1' };
    expect(google.check(last)).toEqual([]);
    expect(google.check({ ...last, body: JSON.stringify({ ...message, sizeEstimate: '2048' }) })).toEqual(['gmail.users.messages.import: /sizeEstimate must be integer']);
  });
});

describe('Google contract (People v1 discovery document)', () => {
  const source = { type: 'CONTACT', id: '1a2b' };
  const person = {
    resourceName: 'people/c1234',
    etag: '%EgUBAi43PRoEAQIFByIM',
    metadata: { sources: [{ ...source, etag: '#AbCd', updateTime: '2024-01-02T09:30:00.000Z' }], objectType: 'PERSON' },
    names: [{ metadata: { primary: true, source }, givenName: 'Ann', displayName: 'Ann', displayNameLastFirst: 'Ann' }],
    memberships: [{ metadata: { source }, contactGroupMembership: { contactGroupId: 'myContacts', contactGroupResourceName: 'contactGroups/myContacts' } }],
  };

  it('tells people.get from contactGroups.get by their flat paths, and accepts the People answers the emulator sends', () => {
    expect(google.check(json('GET', '/v1/people/c1234', person))).toEqual([]);
    expect(google.check(json('PATCH', '/v1/people/c1234:updateContact', person))).toEqual([]);
    expect(google.check(json('POST', '/v1/people:batchCreateContacts', { createdPeople: [{ httpStatusCode: 200, person, status: {} }] }))).toEqual([]);
    expect(google.check(json('GET', '/v1/people/me/connections', { connections: [person], totalPeople: 1, totalItems: 1, nextPageToken: 'x' }))).toEqual([]);
    const group = { resourceName: 'contactGroups/myContacts', etag: 'e', groupType: 'SYSTEM_CONTACT_GROUP', name: 'My Contacts', memberCount: 1 };
    expect(google.check(json('GET', '/v1/contactGroups/myContacts', group))).toEqual([]);
    expect(google.check(json('POST', '/v1/contactGroups/abc/members:modify', { notFoundResourceNames: ['people/c9'] }))).toEqual([]);
    expect(google.check(json('DELETE', '/v1/people/c1234:deleteContact', {}))).toEqual([]);
  });

  it('reports a person field the document lacks and a group answered where a person is described', () => {
    expect(google.check(json('GET', '/v1/people/c1234', { ...person, groupNames: ['My Contacts'] }))).toEqual(['people.people.get: (body) has a property the description lacks: "groupNames"']);
    expect(google.check(json('GET', '/v1/people/c1234', { resourceName: 'people/c1234', memberCount: 1 }))).toEqual(['people.people.get: (body) has a property the description lacks: "memberCount"']);
    const error = { error: { code: 400, message: 'Request person.etag is different than the current person.etag. Clear local cache and get the latest person.', status: 'FAILED_PRECONDITION' } };
    expect(google.check(json('PATCH', '/v1/people/c1234:updateContact', error, 400))).toEqual([]);
  });
});

describe('the test helpers check every response their emulators send', () => {
  let microsoft: RunningMicrosoft365Emulator;
  let googleEmulator: StartedGoogleEmulator;

  beforeAll(async () => {
    microsoft = await startMicrosoft365Emulator({ seed: { seed: 7, users: 1, messagesPerUser: 1 } });
    googleEmulator = await startGoogleEmulator({ users: [{ primaryEmail: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true }] });
  });
  afterAll(async () => {
    await microsoft?.close();
    await googleEmulator?.close();
  });

  it('records a Graph response that breaks the description, inside a $batch too', async () => {
    const tokenResponse = await fetch(`${microsoft.url}/${microsoft.emulator.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: microsoft.emulator.clientId,
        client_secret: microsoft.emulator.clientSecret ?? '',
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const before = checkedResponseCount('Microsoft 365');
    // A user whose display name is not a string: the emulator serialises state as it finds it.
    microsoft.emulator.tenant.addUser({ userPrincipalName: 'odd@contoso.example', displayName: 42 as unknown as string });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expect((await fetch(`${microsoft.url}/v1.0/users/odd@contoso.example`, { headers })).status).toBe(200);
    const batch = { requests: [{ id: '1', method: 'GET', url: '/users/odd@contoso.example' }] };
    expect((await fetch(`${microsoft.url}/v1.0/$batch`, { method: 'POST', headers, body: JSON.stringify(batch) })).status).toBe(200);
    // The GET, the batch part (dispatched to the emulator itself) and the batch envelope.
    expect(checkedResponseCount('Microsoft 365') - before).toBe(3);
    const violations = takeContractViolations();
    expect(violations.map((v) => [v.emulator, v.request, v.problems])).toEqual([
      ['Microsoft 365', 'GET /v1.0/users/odd@contoso.example', ['User: /displayName must be string,null']],
      ['Microsoft 365', 'GET /v1.0/users/odd@contoso.example', ['User: /displayName must be string,null']],
    ]);
  });

  it('records a Google response that breaks the description, and the per-test check fails on it', async () => {
    googleEmulator.emulator.addUser({ primaryEmail: 'odd@example.com', givenName: 7 as unknown as string, familyName: 'Lee' });
    const before = checkedResponseCount('Google');
    expect((await fetch(`${googleEmulator.url}/admin/directory/v1/users/odd@example.com`)).status).toBe(401);
    expect(checkedResponseCount('Google') - before).toBe(1);
    expect(takeContractViolations()).toEqual([]);

    const { data } = await createGoogleClients(googleEmulator.googleSettings).directory.users.get({ userKey: 'odd@example.com' });
    expect(data.primaryEmail).toBe('odd@example.com');
    expect(assertNoContractViolations).toThrow(/Google emulator: GET \/admin\/directory\/v1\/users\/odd%40example.com → 200: directory.users.get: \/name\/givenName must be string/);
    // The assertion took the violation, so this test's own afterEach check passes.
    expect(takeContractViolations()).toEqual([]);
  });
});
