import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { people_v1 } from 'googleapis/build/src/apis/people/v1.js';
import { SyncStage, SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { createGoogleClients } from '../../../connectors/google/google-clients.js';
import { apiClient, createApiApp, type ApiClient } from '../../api/support.js';
import { birthdayWithoutYear, clientContact, fullContact, keyAccountContact, minimalContact, pngPhoto } from '../../helpers/contacts-corpus.js';
import { control, controlGet } from '../../helpers/emulator-control.js';
import { recordHistoryIfAsked } from '../../helpers/history-recording.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';

type GooglePerson = people_v1.Schema$Person & { groupNames?: string[] };

describe('user sync: contacts', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  let api: ApiClient;
  let targetEmail: string;
  let handle: Awaited<ReturnType<SyncFixture['startSync']>>['handle'];
  /** Immutable ids, as the sync reads them (Prefer: IdType="ImmutableId"), and the ones the control API answers with. */
  const ids: Record<string, string> = {};
  const controlIds: Record<string, string> = {};

  const upn = () => encodeURIComponent(user.userPrincipalName);
  const addContact = async (name: string, contact: object, extra: object = {}) => {
    const answer = await control<{ id: string; immutableId: string }>(fixture.m365.url, `/_control/users/${upn()}/contacts`, { ...contact, ...extra });
    ids[name] = answer.immutableId;
    controlIds[name] = answer.id;
  };
  const googleContacts = async (): Promise<GooglePerson[]> => {
    const answer = await controlGet<GooglePerson[] | { contacts: GooglePerson[] }>(fixture.google.url, `/_control/users/${encodeURIComponent(targetEmail)}/contacts`);
    return Array.isArray(answer) ? answer : answer.contacts;
  };
  const copyOf = async (sourceId: string) => (await googleContacts()).find((person) => person.clientData?.some((entry) => entry.value === sourceId));

  beforeAll(async () => {
    // People API quotas well above the pacing the tests ask for (testPacing), so no test waits out a minute.
    fixture = await createSyncFixture({ google: { quota: { peopleWritesPerMinute: 60_000, peopleReadsPerMinute: 60_000 } } });
    user = fixture.m365.emulator.seed({ seed: 151, users: 1, messagesPerUser: 6, failingItemsPerUser: 0, groups: false }).users[0]!;
    targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    api = apiClient(createApiApp(fixture.temporal, fixture.store));
  });
  afterAll(async () => fixture?.close());

  it('starts the contacts’ initial sync when a running policy enables them, mail untouched, and copies every field', async () => {
    // Folders read again at every cycle (12 by default), so the rename below shows in the next one.
    const started = await fixture.startSync(user, { intervalSeconds: 3600, tuning: { folderDiscoveryEveryCycles: 1 } });
    const syncUserId = started.syncUserId;
    handle = started.handle;
    const mailSynced = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === 1);
    expect(mailSynced.dataTypes.contacts).toBeUndefined();
    const mailCopies = fixture.google.emulator.messagesOf(targetEmail).length;

    await addContact('full', fullContact, { photo: pngPhoto });
    await addContact('noYear', birthdayWithoutYear);
    await addContact('minimal', minimalContact);
    await addContact('client', clientContact, { folder: 'Clients' });
    await addContact('keyAccount', keyAccountContact, { folder: 'Clients/Key accounts' });

    const patched = await api.patch(`/api/policies/${fixture.policyId}`, { dataTypes: ['mail', 'contacts'] });
    expect(patched.status).toBe(200);
    await handle.signal(retrySignal);
    const synced = await waitForSnapshot(handle, (s) => s.cyclesCompleted === 2 && s.status === SyncStatus.Synced, 120_000);
    expect(synced.dataTypes.contacts?.stage).toBe(SyncStage.Recurring);
    expect(synced.dataTypes.mail?.stage).toBe(SyncStage.Recurring);
    // Mail went on with its delta: nothing imported again.
    expect(fixture.google.emulator.messagesOf(targetEmail)).toHaveLength(mailCopies);

    const people = await googleContacts();
    expect(people).toHaveLength(5);
    const full = (await copyOf(ids.full!))!;
    expect(full.names?.[0]).toMatchObject({
      givenName: 'Adele',
      familyName: 'Vance',
      middleName: 'Marie',
      honorificPrefix: 'Dr.',
      honorificSuffix: 'Jr.',
      phoneticGivenName: 'アデル',
      phoneticFamilyName: 'ヴァンス',
    });
    expect(full.nicknames?.map((n) => n.value)).toEqual(['Del']);
    expect(full.fileAses?.map((f) => f.value)).toEqual(['Vance, Adele']);
    expect(full.emailAddresses?.map((e) => [e.value, e.displayName, e.type])).toEqual([
      ['adele@contoso.example', 'Adele at work', 'Email'],
      ['adele@home.example', 'Adele at home', 'Email 2'],
      ['adele@third.example', 'Adele elsewhere', 'Email 3'],
    ]);
    expect(full.phoneNumbers?.map((p) => [p.value, p.type])).toEqual([
      ['+1 425 555 0101', 'work'],
      ['+1 425 555 0102', 'work'],
      ['+1 425 555 0199', 'home'],
      ['+1 425 555 0150', 'mobile'],
    ]);
    expect(full.addresses?.map((a) => [a.type, a.streetAddress, a.city, a.region ?? null, a.postalCode, a.country])).toEqual([
      ['home', '1 Main Street', 'Redmond', 'WA', '98052', 'United States'],
      ['work', '4 Microsoft Way', 'Redmond', 'WA', '98052', 'United States'],
      ['other', '9 Rue de Rivoli', 'Paris', null, '75001', 'France'],
    ]);
    expect(full.organizations?.[0]).toMatchObject({ name: 'Contoso', department: 'Sales', title: 'Account manager', location: 'Building 4', phoneticName: 'コントソ' });
    expect(full.occupations?.map((o) => o.value)).toEqual(['Sales']);
    expect(full.birthdays?.[0]?.date).toMatchObject({ year: 1985, month: 4, day: 12 });
    expect(full.biographies?.map((b) => b.value)).toEqual(['Met at the partner summit.']);
    expect(full.urls?.map((u) => [u.value, u.type])).toEqual([['https://contoso.example/adele', 'work']]);
    expect(full.imClients?.map((i) => i.username)).toEqual(['sip:adele@contoso.example']);
    expect(full.relations?.map((r) => [r.person, r.type])).toEqual([
      ['Alex Vance', 'spouse'],
      ['Sam', 'child'],
      ['Kim', 'child'],
      ['Megan Bowen', 'manager'],
      ['Lee Gu', 'assistant'],
    ]);
    // Its category became a contact group; the default folder gives none.
    expect(full.groupNames).toContain('Customers');
    expect(full.photos?.some((photo) => photo.default !== true)).toBe(true);

    const noYear = (await copyOf(ids.noYear!))!;
    expect(noYear.birthdays?.[0]?.date).toMatchObject({ month: 7, day: 4 });
    expect(noYear.birthdays?.[0]?.date?.year ?? 0).toBe(0);
    expect((await copyOf(ids.client!))!.groupNames).toContain('Clients');
    expect((await copyOf(ids.keyAccount!))!.groupNames).toContain('Clients/Key accounts');

    // The API shows the type's own stage and counts.
    const detail = await api.get(`/api/sync-status/${syncUserId}`);
    expect(detail.status).toBe(200);
    const contacts = (detail.body as { dataTypes: { dataType: string; stage: string; counts: { imported: number } }[] }).dataTypes.find((t) => t.dataType === 'contacts');
    expect(contacts).toMatchObject({ stage: SyncStage.Recurring, counts: { imported: 5 } });
  });

  it('follows changes, moves, folder renames and deletions by delta, and writes over a person edited in Google without losing what only Google has', async () => {
    const before = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.dataTypes.contacts?.stage === SyncStage.Recurring, 120_000);

    // Someone edits Adele's copy in Google meanwhile: the etag we hold goes stale.
    const people = createGoogleClients(fixture.google.googleSettings).peopleFor(targetEmail);
    const adele = (await copyOf(ids.full!))!;
    const clientCopy = (await copyOf(ids.client!))!.resourceName;
    const { data: current } = await people.people.get({ resourceName: adele.resourceName!, personFields: 'metadata,genders' });
    await people.people.updateContact({
      resourceName: adele.resourceName!,
      updatePersonFields: 'genders',
      requestBody: { etag: current.etag, metadata: current.metadata, genders: [{ value: 'female' }] },
    });

    await control(fixture.m365.url, `/_control/users/${upn()}/contacts/${controlIds.full}/update`, { jobTitle: 'Sales director', mobilePhone: '+1 425 555 0160' });
    await control(fixture.m365.url, `/_control/users/${upn()}/contacts/${controlIds.client}/move`, { folder: '' });
    await control(fixture.m365.url, `/_control/users/${upn()}/contacts/${controlIds.minimal}/delete`);
    const { contacts: outlook } = await controlGet<{ contacts: { id: string; parentFolderId: string }[] }>(fixture.m365.url, `/_control/users/${upn()}/contacts`);
    const keyAccounts = outlook.find((contact) => contact.id === controlIds.keyAccount)!.parentFolderId;
    await control(fixture.m365.url, `/_control/users/${upn()}/contact-folders/${keyAccounts}/rename`, { displayName: 'Top accounts' });

    await handle.signal(retrySignal);
    await waitForSnapshot(handle, (s) => s.cyclesCompleted === before.cyclesCompleted + 1 && s.status === SyncStatus.Synced, 60_000);

    const after = await googleContacts();
    expect(after).toHaveLength(4);
    const updated = (await copyOf(ids.full!))!;
    expect(updated.organizations?.[0]?.title).toBe('Sales director');
    expect(updated.phoneNumbers?.find((p) => p.type === 'mobile')?.value).toBe('+1 425 555 0160');
    expect(updated.genders?.map((g) => g.value)).toEqual(['female']);
    // Moved to the default folder: the same person, out of the folder's group.
    const moved = (await copyOf(ids.client!))!;
    expect(moved.resourceName).toBe(clientCopy);
    expect(moved.groupNames ?? []).not.toContain('Clients');
    expect(await copyOf(ids.minimal!)).toBeUndefined();
    expect((await copyOf(ids.keyAccount!))!.groupNames).toContain('Clients/Top accounts');
    // Mail's history, then contacts joining it behind their patch, then a delta cycle of both.
    await recordHistoryIfAsked(handle, 'contacts-enabled');
  });
});
