import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreConflictError, StoreNotFoundError, type MessageIntent, type Store } from '../../store/index.js';
import { seedPolicy, seedUser, StoreHarness } from './fixtures.js';

const harness = new StoreHarness();
let store: Store;
let policyId: string;
beforeAll(async () => {
  store = await harness.open();
  policyId = (await seedPolicy(store)).policy.id;
});
afterAll(() => harness.dispose());

const intents = (count: number, folder = 'folder-inbox'): MessageIntent[] =>
  Array.from({ length: count }, (_, i) => ({ sourceItemId: `AAMk-${i}`, internetMessageId: `<msg-${i}@contoso.com>`, sourceFolderId: folder }));

describe('message map (exactly-once id map)', () => {
  it('recordIntents is idempotent: a second call inserts nothing and changes nothing', async () => {
    const user = await seedUser(store, policyId, 'idempotent');
    // More rows than one INSERT batch, to cover the batching inside one transaction.
    expect(await store.messageMap.recordIntents(user.id, intents(450))).toBe(450);
    await store.messageMap.markImported(user.id, [{ sourceItemId: 'AAMk-0', googleMessageId: 'gmail-0', labelIds: ['INBOX'] }]);

    expect(await store.messageMap.recordIntents(user.id, intents(460, 'folder-other'))).toBe(10);
    const rows = await store.messageMap.findBySourceIds(user.id, ['AAMk-0', 'AAMk-1', 'AAMk-455', 'missing']);
    expect([...rows.keys()].sort()).toEqual(['AAMk-0', 'AAMk-1', 'AAMk-455']);
    expect(rows.get('AAMk-0')).toMatchObject({ state: 'imported', googleMessageId: 'gmail-0', sourceFolderId: 'folder-inbox' });
    expect(rows.get('AAMk-1')).toMatchObject({ state: 'intent', googleMessageId: null, sourceFolderId: 'folder-inbox' });
    expect(rows.get('AAMk-455')).toMatchObject({ state: 'intent', sourceFolderId: 'folder-other' });
  });

  it('concurrent recordIntents for the same items record each once', async () => {
    const user = await seedUser(store, policyId, 'concurrent');
    const inserted = await Promise.all([1, 2, 3, 4].map(() => store.messageMap.recordIntents(user.id, intents(120))));
    expect(inserted.reduce((sum, n) => sum + n, 0)).toBe(120);
    expect((await store.messageMap.findIntents(user.id, 500)).length).toBe(120);
  });

  it('markImported turns intents into imported rows; an import without an intent is refused as a whole', async () => {
    const user = await seedUser(store, policyId, 'imported');
    await store.messageMap.recordIntents(user.id, intents(3));
    await store.messageMap.markImported(user.id, [
      { sourceItemId: 'AAMk-0', googleMessageId: 'g0', labelIds: ['INBOX', 'UNREAD'] },
      { sourceItemId: 'AAMk-1', googleMessageId: 'g1', labelIds: ['Label_3'] },
    ]);
    expect(await store.messageMap.countImported(user.id)).toBe(2);
    expect((await store.messageMap.findIntents(user.id)).map((row) => row.sourceItemId)).toEqual(['AAMk-2']);

    const refusal = await store.messageMap
      .markImported(user.id, [
        { sourceItemId: 'AAMk-2', googleMessageId: 'g2', labelIds: [] },
        { sourceItemId: 'never-intended', googleMessageId: 'gx', labelIds: [] },
      ])
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StoreConflictError);
    expect(refusal).toMatchObject({ code: 'ITEM_INTENT_MISSING' });
    // Rolled back: the valid row in the same call is still an intent.
    expect((await store.messageMap.findBySourceIds(user.id, ['AAMk-2'])).get('AAMk-2')?.state).toBe('intent');
  });

  it('labels, moves and deletions update the rows; lookups by Message-ID find every copy', async () => {
    const user = await seedUser(store, policyId, 'labels');
    await store.messageMap.recordIntents(user.id, [
      { sourceItemId: 'a', internetMessageId: '<same@x>', sourceFolderId: 'inbox' },
      { sourceItemId: 'b', internetMessageId: '<same@x>', sourceFolderId: 'archive' },
      { sourceItemId: 'c', internetMessageId: null, sourceFolderId: 'inbox' },
    ]);
    await store.messageMap.markImported(user.id, [{ sourceItemId: 'a', googleMessageId: 'ga', labelIds: ['INBOX'] }]);
    expect(
      await store.messageMap.updateLabels(user.id, [
        { sourceItemId: 'a', labelIds: ['Label_9'], sourceFolderId: 'projects' },
        { sourceItemId: 'zzz', labelIds: [] },
      ]),
    ).toBe(1);
    expect((await store.messageMap.findBySourceIds(user.id, ['a'])).get('a')).toMatchObject({ labelIds: ['Label_9'], sourceFolderId: 'projects', state: 'imported' });

    expect(await store.messageMap.markDeleted(user.id, ['a', 'a', 'missing'])).toBe(1);
    expect((await store.messageMap.findBySourceIds(user.id, ['a'])).get('a')?.state).toBe('deleted');
    expect(await store.messageMap.countImported(user.id)).toBe(0);
    expect((await store.messageMap.findByInternetMessageId(user.id, '<same@x>')).map((row) => row.sourceItemId).sort()).toEqual(['a', 'b']);
  });

  it('lets several source messages map to one Gmail message (Gmail merges by Message-ID) and finds them all by its id', async () => {
    const user = await seedUser(store, policyId, 'shared');
    const other = await seedUser(store, policyId, 'shared-other');
    await store.messageMap.recordIntents(user.id, [
      { sourceItemId: 'inbox-copy', internetMessageId: '<same@x>', sourceFolderId: 'inbox' },
      { sourceItemId: 'sent-copy', internetMessageId: '<same@x>', sourceFolderId: 'sent' },
      { sourceItemId: 'alone', internetMessageId: '<alone@x>', sourceFolderId: 'inbox' },
    ]);
    await store.messageMap.recordIntents(other.id, [{ sourceItemId: 'elsewhere', internetMessageId: '<same@x>', sourceFolderId: 'inbox' }]);
    await store.messageMap.markImported(user.id, [
      { sourceItemId: 'inbox-copy', googleMessageId: 'g-shared', labelIds: ['INBOX'] },
      { sourceItemId: 'sent-copy', googleMessageId: 'g-shared', labelIds: ['SENT'] },
      { sourceItemId: 'alone', googleMessageId: 'g-alone', labelIds: ['INBOX'] },
    ]);
    await store.messageMap.markImported(other.id, [{ sourceItemId: 'elsewhere', googleMessageId: 'g-shared', labelIds: ['INBOX'] }]);
    await store.messageMap.markDeleted(user.id, ['sent-copy']);

    const found = await store.messageMap.findByGoogleMessageIds(user.id, ['g-shared', 'g-alone', 'g-shared', 'g-none']);
    expect([...found.keys()].sort()).toEqual(['g-alone', 'g-shared']);
    // Rows recorded in one batch share their creation time: no order among them is promised.
    expect(
      found
        .get('g-shared')!
        .map((row) => [row.sourceItemId, row.state, row.labelIds])
        .sort(),
    ).toEqual([
      ['inbox-copy', 'imported', ['INBOX']],
      ['sent-copy', 'deleted', ['SENT']],
    ]);
    expect(await store.messageMap.countImported(user.id)).toBe(2);
    expect((await store.messageMap.findByGoogleMessageIds('not-a-uuid', ['g-shared'])).size).toBe(0);
  });

  it('keeps maps per user and refuses an unknown user', async () => {
    const one = await seedUser(store, policyId, 'one');
    const two = await seedUser(store, policyId, 'two');
    await store.messageMap.recordIntents(one.id, intents(2));
    expect(await store.messageMap.recordIntents(two.id, intents(2))).toBe(2);
    expect((await store.messageMap.findBySourceIds(two.id, ['AAMk-0'])).get('AAMk-0')?.syncUserId).toBe(two.id);
    await expect(store.messageMap.recordIntents('00000000-0000-4000-8000-000000000000', intents(1))).rejects.toBeInstanceOf(StoreNotFoundError);
  });
});
