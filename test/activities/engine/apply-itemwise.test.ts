import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPageItemwise, type ItemOperations, type TargetCopy } from '../../../activities/engine/apply-itemwise.js';
import type { ContainerStateView, Store } from '../../../store/index.js';
import { seedPolicy, seedUser, StoreHarness } from '../../store/fixtures.js';

interface Item {
  id: string;
  title: string;
  version: number;
}

/**
 * A Google side that keeps copies in memory and can be told to fail: what a
 * data type's operations would do against Calendar or People, reduced to the
 * part the engine's ledger protocol depends on.
 */
class TargetSide {
  copies = new Map<string, { key: string | null; item: Item; trashed: boolean }>();
  writes = 0;
  /** The next write lands, then the attempt dies before anything is recorded (a worker crash). */
  dieAfterNextWrite = false;
  refuse = new Set<string>();
  /** Items that still exist at the source, elsewhere: their removal from a container is a move. */
  movedAway = new Set<string>();
  /** Items written without a part the target refused (a contact's photo). */
  partly = new Set<string>();
  /** Calls of writeMany, with how many items each carried. */
  batches: number[] = [];

  /** The same target with batch writes: all or nothing, as one refused item refuses the call. */
  batchOperations(batchSize: number): ItemOperations<null, Item> {
    const single = this.operations();
    return {
      ...single,
      batchSize,
      writeMany: async (session, container, items) => {
        this.batches.push(items.length);
        if (items.some((item) => this.refuse.has(item.id))) throw Object.assign(new Error('refused'), { refusal: true });
        const copies: TargetCopy[] = [];
        for (const item of items) copies.push(await single.write(session, container, item));
        return copies;
      },
    };
  }

  operations(): ItemOperations<null, Item> {
    return {
      classify: (_session, item) => (item.title === 'too big' ? { code: 'ITEM_TOO_LARGE', reason: 'Larger than the target takes.' } : null),
      lookupKey: (item) => `key-${item.id}`,
      findExisting: async (_session, _item, key) => {
        const found = [...this.copies.entries()].find(([, copy]) => copy.key === key);
        return found ? { targetItemId: found[0], targetState: { version: found[1].item.version } } : null;
      },
      write: async (_session, _container, item): Promise<TargetCopy> => {
        if (this.refuse.has(item.id)) throw Object.assign(new Error('refused'), { refusal: true });
        this.writes += 1;
        const id = `target-${this.copies.size + 1}`;
        this.copies.set(id, { key: `key-${item.id}`, item, trashed: false });
        if (this.dieAfterNextWrite) {
          this.dieAfterNextWrite = false;
          throw new Error('The worker died.');
        }
        if (this.partly.has(item.id)) return { targetItemId: id, targetState: { version: item.version }, partial: { code: 'PHOTO_REJECTED', reason: 'Written without its photo.' } };
        return { targetItemId: id, targetState: { version: item.version } };
      },
      update: async (_session, _container, item, row) => {
        this.copies.get(row.targetItemId!)!.item = item;
        return { targetState: { version: item.version } };
      },
      remove: async (_session, row) => {
        if (this.movedAway.has(row.sourceItemId)) return false;
        this.copies.get(row.targetItemId!)!.trashed = true;
        return true;
      },
      refusalOf: (err) => ((err as { refusal?: boolean }).refusal ? { code: 'ITEM_REJECTED', reason: 'The target refused the item.' } : null),
      titleOf: (item) => item.title,
    };
  }
}

const harness = new StoreHarness();
let store: Store;
let policyId: string;
beforeAll(async () => {
  store = await harness.open();
  policyId = (await seedPolicy(store)).policy.id;
});
afterAll(() => harness.dispose());

const options = { storeSubjects: async () => true, keepAlive: () => undefined };

async function containerOf(syncUserId: string): Promise<ContainerStateView> {
  const [container] = await store.containers.forType('contacts').upsert(syncUserId, [{ sourceContainerId: 'folder-1', displayName: 'Contacts', path: 'Contacts' }]);
  return container!;
}

describe('the engine applying a page item by item through the item map', () => {
  it('writes each new item once, lists the one the target refuses, and goes on with the others', async () => {
    const user = await seedUser(store, policyId, 'itemwise-new');
    const container = await containerOf(user.id);
    const target = new TargetSide();
    target.refuse.add('c-2');
    const page = { changed: [1, 2, 3].map((n) => ({ id: `c-${n}`, title: `Contact ${n}`, version: 1 })).concat({ id: 'c-4', title: 'too big', version: 1 }), removedIds: [] };

    await applyPageItemwise(store, 'contacts', user.id, target.operations(), null, container, page, options);
    // The same page read again (a retried attempt) writes nothing more.
    await applyPageItemwise(store, 'contacts', user.id, target.operations(), null, container, page, options);

    expect(target.writes).toBe(2);
    expect(await store.itemMap.forType('contacts').countImported(user.id)).toBe(2);
    const listed = (await store.items.list({ syncUserId: user.id })).items;
    expect(listed.map((item) => [item.sourceItemId, item.type, item.errorCode, item.folderName]).sort()).toEqual([
      ['c-2', 'contacts', 'ITEM_REJECTED', 'Contacts'],
      ['c-4', 'contacts', 'ITEM_TOO_LARGE', 'Contacts'],
    ]);
  });

  it('finds the copy a crashed attempt wrote before it recorded it, instead of writing a second one', async () => {
    const user = await seedUser(store, policyId, 'itemwise-crash');
    const container = await containerOf(user.id);
    const target = new TargetSide();
    const page = {
      changed: [
        { id: 'c-1', title: 'Contact 1', version: 1 },
        { id: 'c-2', title: 'Contact 2', version: 1 },
      ],
      removedIds: [],
    };
    target.dieAfterNextWrite = true;
    await expect(applyPageItemwise(store, 'contacts', user.id, target.operations(), null, container, page, options)).rejects.toThrow('The worker died.');
    expect((await store.itemMap.forType('contacts').findIntents(user.id)).map((row) => row.sourceItemId).sort()).toEqual(['c-1', 'c-2']);

    await applyPageItemwise(store, 'contacts', user.id, target.operations(), null, container, page, options);
    expect(target.writes).toBe(2);
    expect(target.copies.size).toBe(2);
    expect(await store.itemMap.forType('contacts').findIntents(user.id)).toEqual([]);
    expect(await store.itemMap.forType('contacts').countImported(user.id)).toBe(2);
  });

  it('updates a copied item, and a removal puts its copy where it can be restored', async () => {
    const user = await seedUser(store, policyId, 'itemwise-change');
    const container = await containerOf(user.id);
    const target = new TargetSide();
    const ops = target.operations();
    await applyPageItemwise(
      store,
      'contacts',
      user.id,
      ops,
      null,
      container,
      {
        changed: [
          { id: 'c-1', title: 'Contact 1', version: 1 },
          { id: 'c-2', title: 'Contact 2', version: 1 },
        ],
        removedIds: [],
      },
      options,
    );

    const outcome = await applyPageItemwise(
      store,
      'contacts',
      user.id,
      ops,
      null,
      container,
      { changed: [{ id: 'c-1', title: 'Contact 1', version: 2 }], removedIds: ['c-2', 'never-copied'] },
      options,
    );
    expect(outcome).toEqual({ updated: 1, deleted: 1 });
    expect(target.writes).toBe(2);
    const rows = await store.itemMap.forType('contacts').findBySourceIds(user.id, ['c-1', 'c-2']);
    expect(rows.get('c-1')).toMatchObject({ state: 'imported', targetState: { version: 2 } });
    expect(rows.get('c-2')).toMatchObject({ state: 'deleted' });
    expect([...target.copies.values()].map((copy) => [copy.item.id, copy.item.version, copy.trashed])).toEqual([
      ['c-1', 2, false],
      ['c-2', 1, true],
    ]);
  });

  it('keeps the copy of an item removed from one container because it moved to another', async () => {
    const user = await seedUser(store, policyId, 'itemwise-move');
    const container = await containerOf(user.id);
    const target = new TargetSide();
    const ops = target.operations();
    await applyPageItemwise(store, 'contacts', user.id, ops, null, container, { changed: [{ id: 'c-1', title: 'Contact 1', version: 1 }], removedIds: [] }, options);
    target.movedAway.add('c-1');

    const outcome = await applyPageItemwise(store, 'contacts', user.id, ops, null, container, { changed: [], removedIds: ['c-1'] }, options);

    expect(outcome).toEqual({ updated: 0, deleted: 0 });
    expect((await store.itemMap.forType('contacts').findBySourceIds(user.id, ['c-1'])).get('c-1')).toMatchObject({ state: 'imported' });
    expect([...target.copies.values()].map((copy) => copy.trashed)).toEqual([false]);
  });

  it('records a copy written without a part the target refused, and lists it with that code', async () => {
    const user = await seedUser(store, policyId, 'itemwise-partial');
    const container = await containerOf(user.id);
    const target = new TargetSide();
    target.partly.add('c-1');

    await applyPageItemwise(store, 'contacts', user.id, target.operations(), null, container, { changed: [{ id: 'c-1', title: 'Contact 1', version: 1 }], removedIds: [] }, options);

    expect((await store.itemMap.forType('contacts').findBySourceIds(user.id, ['c-1'])).get('c-1')).toMatchObject({ state: 'imported' });
    const listed = (await store.items.list({ syncUserId: user.id })).items;
    expect(listed.map((item) => [item.sourceItemId, item.errorCode, item.reason])).toEqual([['c-1', 'PHOTO_REJECTED', 'Written without its photo.']]);
  });

  it('writes new items in batches, and one by one when an item refuses its batch, so only that one is listed', async () => {
    const user = await seedUser(store, policyId, 'itemwise-batch');
    const container = await containerOf(user.id);
    const target = new TargetSide();
    target.refuse.add('c-5');
    const page = { changed: Array.from({ length: 7 }, (_, n) => ({ id: `c-${n + 1}`, title: `Contact ${n + 1}`, version: 1 })), removedIds: [] };

    await applyPageItemwise(store, 'contacts', user.id, target.batchOperations(3), null, container, page, options);

    // 1-3 in one call; 4-6 refused as a batch, then written one by one; 7, alone, by a single write.
    expect(target.batches).toEqual([3, 3]);
    expect(target.writes).toBe(6);
    expect(await store.itemMap.forType('contacts').countImported(user.id)).toBe(6);
    expect((await store.items.list({ syncUserId: user.id })).items.map((item) => [item.sourceItemId, item.errorCode])).toEqual([['c-5', 'ITEM_REJECTED']]);
  });
});
