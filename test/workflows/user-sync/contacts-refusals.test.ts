import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemErrorCode, SyncStage, SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { control } from '../../helpers/emulator-control.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';

/** A Google account near its contact limit, and a photo Google will not take: item-level, the user's status untouched. */
describe('user sync: contacts Google refuses', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;

  beforeAll(async () => {
    fixture = await createSyncFixture({ google: { maxContactsPerUser: 5, quota: { peopleWritesPerMinute: 60_000, peopleReadsPerMinute: 60_000 } } });
    user = fixture.m365.emulator.seed({ seed: 37, users: 1, messagesPerUser: 0, failingItemsPerUser: 0, groups: false }).users[0]!;
    await fixture.store.policies.update(fixture.policyId, { dataTypes: ['contacts'] });
    const upn = encodeURIComponent(user.userPrincipalName);
    // Bytes that are no image: Outlook keeps them, the People API answers "Invalid photo format".
    const notAnImage = { contentType: 'image/jpeg', base64: Buffer.from('not really a picture').toString('base64'), width: 48, height: 48 };
    await control(fixture.m365.url, `/_control/users/${upn}/contacts`, { displayName: 'Photo Booth', emailAddresses: [{ name: 'Booth', address: 'booth@example.net' }], photo: notAnImage });
    await control(fixture.m365.url, `/_control/users/${upn}/contacts`, { count: 6 });
  });
  afterAll(async () => fixture?.close());

  it('lists the contacts past the account’s limit and the refused photo, copies the rest, and leaves the user Synced', async () => {
    const targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    const { syncUserId, handle } = await fixture.startSync(user);
    const synced = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.dataTypes.contacts?.stage === SyncStage.Recurring, 120_000);
    expect(synced.lastError).toBeNull();

    expect(fixture.google.emulator.contactsOf(targetEmail)).toHaveLength(5);
    const listed = (await fixture.store.items.list({ syncUserId })).items;
    const codes = listed.map((item) => item.errorCode).sort();
    expect(codes).toEqual([ItemErrorCode.ItemRejected, ItemErrorCode.ItemRejected, ItemErrorCode.PhotoRejected]);
    expect(listed.find((item) => item.errorCode === ItemErrorCode.PhotoRejected)).toMatchObject({ type: 'contacts', subject: 'Photo Booth' });
    expect(listed.filter((item) => item.errorCode === ItemErrorCode.ItemRejected).every((item) => /maximum number of contacts/.test(item.reason ?? ''))).toBe(true);
    // The contact whose photo was refused is in Google, without a photo.
    const people = fixture.google.emulator.contactsOf(targetEmail) as { names?: { unstructuredName?: string }[]; photos?: { default?: boolean }[] }[];
    const booth = people.find((person) => person.names?.[0]?.unstructuredName === 'Photo Booth');
    expect(booth).toBeDefined();
    // Only Google's default placeholder (people.photos: default true when the contact has no photo of its own).
    expect((booth?.photos ?? []).filter((photo) => !photo.default)).toEqual([]);
  });
});
