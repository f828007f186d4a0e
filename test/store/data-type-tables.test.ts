import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreValidationError, type Store } from '../../store/index.js';
import { seedPolicy, seedUser, StoreHarness } from './fixtures.js';

const harness = new StoreHarness();
let store: Store;
let policyId: string;
beforeAll(async () => {
  store = await harness.open();
  policyId = (await seedPolicy(store)).policy.id;
});
afterAll(() => harness.dispose());

describe('tables every data type shares', () => {
  it('the item map keeps each data type apart: the same source id in two types is two items', async () => {
    const user = await seedUser(store, policyId, 'ledger-types');
    const mail = store.itemMap.forType('mail');
    const calendar = store.itemMap.forType('calendar');
    expect(await mail.recordIntents(user.id, [{ sourceItemId: 'AAMk-1', lookupKey: '<one@contoso.com>', sourceContainerId: 'inbox' }])).toBe(1);
    expect(await calendar.recordIntents(user.id, [{ sourceItemId: 'AAMk-1', lookupKey: 'event-key', sourceContainerId: 'calendar' }])).toBe(1);
    await calendar.markImported(user.id, [{ sourceItemId: 'AAMk-1', targetItemId: 'google-event-1', targetState: { etag: '"1"' } }]);

    expect((await mail.findBySourceIds(user.id, ['AAMk-1'])).get('AAMk-1')).toMatchObject({ dataType: 'mail', state: 'intent', targetItemId: null, lookupKey: '<one@contoso.com>' });
    expect((await calendar.findBySourceIds(user.id, ['AAMk-1'])).get('AAMk-1')).toMatchObject({
      dataType: 'calendar',
      state: 'imported',
      targetItemId: 'google-event-1',
      targetState: { etag: '"1"' },
    });
    expect(await mail.countImported(user.id)).toBe(0);
    expect(await calendar.countImported(user.id)).toBe(1);
    expect((await mail.findIntents(user.id)).map((row) => row.sourceItemId)).toEqual(['AAMk-1']);
    expect(await calendar.findIntents(user.id)).toEqual([]);
    // Mail's view sees only mail's rows.
    expect((await store.messageMap.findBySourceIds(user.id, ['AAMk-1'])).get('AAMk-1')).toMatchObject({ state: 'intent', internetMessageId: '<one@contoso.com>', sourceFolderId: 'inbox' });
  });

  it("a user's imported and listed counts by type in one query each agree with the per-type counts", async () => {
    const user = await seedUser(store, policyId, 'grouped-counts');
    const mail = store.itemMap.forType('mail');
    const contacts = store.itemMap.forType('contacts');
    await mail.recordIntents(
      user.id,
      ['m1', 'm2', 'm3'].map((id) => ({ sourceItemId: id, lookupKey: `<${id}@contoso.com>`, sourceContainerId: 'inbox' })),
    );
    await mail.markImported(
      user.id,
      ['m1', 'm2', 'm3'].map((id) => ({ sourceItemId: id, targetItemId: `g-${id}`, targetState: null })),
    );
    await contacts.recordIntents(user.id, [{ sourceItemId: 'c1', lookupKey: 'c1', sourceContainerId: 'contacts' }]);
    await contacts.markImported(user.id, [{ sourceItemId: 'c1', targetItemId: 'people/c1', targetState: null }]);
    // m3's later change was refused: listed as failed, so it no longer counts as imported.
    const listed = { folderName: 'Inbox', status: 'failed', reason: 'Refused.' } as const;
    await store.items.recordOutcomes(user.id, [
      { ...listed, sourceItemId: 'm3', type: 'mail', errorCode: 'CHANGE_REJECTED' },
      { ...listed, sourceItemId: 'm4', type: 'mail', errorCode: 'ITEM_REJECTED' },
      { ...listed, sourceItemId: 'c2', type: 'contacts', errorCode: 'PHOTO_REJECTED' },
      { ...listed, sourceItemId: 'c3', type: 'contacts', errorCode: 'PHOTO_REJECTED' },
    ]);

    expect(await store.itemMap.countImportedByType(user.id)).toEqual({ mail: 2, contacts: 1 });
    // The ledger's own count still has m3: only the user's counts leave listed items out.
    expect(await mail.countImported(user.id)).toBe(3);
    expect(await store.items.countByTypeAndCode(user.id)).toEqual({ mail: { CHANGE_REJECTED: 1, ITEM_REJECTED: 1 }, contacts: { PHOTO_REJECTED: 2 } });
    expect(await store.items.countByCode(user.id, 'contacts')).toMatchObject({ PHOTO_REJECTED: 2, ITEM_REJECTED: 0 });
    expect(await store.itemMap.countImportedByType('not-a-user')).toEqual({});
  });

  it('containers are per data type, with their own delta positions', async () => {
    const user = await seedUser(store, policyId, 'containers-types');
    await store.containers.forType('mail').upsert(user.id, [{ sourceContainerId: 'AAMk-f', displayName: 'Inbox', path: 'Inbox', targetContainerId: 'INBOX' }]);
    await store.containers.forType('contacts').upsert(user.id, [{ sourceContainerId: 'AAMk-f', displayName: 'Contacts', path: 'Contacts' }]);
    await store.containers.forType('contacts').saveDeltaLinks(user.id, [{ sourceContainerId: 'AAMk-f', deltaLink: 'https://graph/delta?token=c', initialSyncComplete: true }]);

    expect(await store.folders.list(user.id)).toMatchObject([{ sourceFolderId: 'AAMk-f', googleLabelId: 'INBOX', deltaLink: null, initialSyncComplete: false }]);
    expect(await store.containers.forType('contacts').list(user.id)).toMatchObject([
      { dataType: 'contacts', sourceContainerId: 'AAMk-f', deltaLink: 'https://graph/delta?token=c', initialSyncComplete: true },
    ]);
    expect(await store.containers.forType('calendar').list(user.id)).toEqual([]);
  });

  it('each data type has its own stage: one enabled later starts in InitialSync while the other stays Recurring', async () => {
    const user = await seedUser(store, policyId, 'stages');
    expect(await store.dataTypeStates.list(user.id)).toEqual([]);
    await store.dataTypeStates.update(user.id, 'mail', { initialSyncTotal: 120 });
    await store.dataTypeStates.update(user.id, 'mail', { stage: 'Recurring' });
    await store.dataTypeStates.update(user.id, 'contacts', {});

    expect(await store.dataTypeStates.list(user.id)).toMatchObject([
      { dataType: 'mail', stage: 'Recurring', initialSyncTotal: 120 },
      { dataType: 'contacts', stage: 'InitialSync', initialSyncTotal: null },
    ]);
    await expect(store.dataTypeStates.update(user.id, 'mail', { stage: 'Provisioning' })).rejects.toBeInstanceOf(StoreValidationError);
  });
});
