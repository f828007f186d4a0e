import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreNotFoundError, StoreValidationError, type ItemOutcome, type ItemRecordView, type Store } from '../../store/index.js';
import { seedPolicy, seedUser, StoreHarness } from './fixtures.js';

const harness = new StoreHarness();
let store: Store;
beforeAll(async () => {
  store = await harness.open();
});
afterAll(() => harness.dispose());

const tooLarge = (sourceItemId: string, overrides: Partial<ItemOutcome> = {}): ItemOutcome => ({
  sourceItemId,
  type: 'mail',
  folderName: 'Inbox',
  subject: 'Quarterly figures',
  sizeBytes: 160 * 1024 * 1024,
  status: 'skipped',
  errorCode: 'ITEM_TOO_LARGE',
  reason: 'The message is larger than Gmail accepts for import.',
  serviceError: { code: 'tooLarge', message: 'Message too large' },
  ...overrides,
});

describe('items (item-level outcomes)', () => {
  it('upsert per source item, keep the subject only when the policy allows it, and clear on success', async () => {
    const privatePolicy = (await seedPolicy(store)).policy.id;
    const user = await seedUser(store, privatePolicy, 'items');
    await store.items.recordOutcomes(user.id, [tooLarge('m1'), tooLarge('m2', { errorCode: 'ENCRYPTED_ITEM', status: 'failed', sizeBytes: null })]);
    await store.items.recordOutcomes(user.id, [tooLarge('m1', { errorCode: 'ITEM_REJECTED', status: 'failed', reason: 'Gmail rejected it.' })]);

    const listed = (await store.items.list({ syncUserId: user.id })).items;
    expect(listed).toHaveLength(2);
    expect(listed.find((item) => item.sourceItemId === 'm1')).toMatchObject({ errorCode: 'ITEM_REJECTED', status: 'failed', subject: null, sizeBytes: 160 * 1024 * 1024 });
    expect(await store.items.countByCode(user.id)).toEqual({
      ITEM_TOO_LARGE: 0,
      ENCRYPTED_ITEM: 1,
      UNSUPPORTED_FORMAT: 0,
      ITEM_REJECTED: 1,
      CHANGE_REJECTED: 0,
      PHOTO_REJECTED: 0,
      ATTACHMENTS_NOT_COPIED: 0,
    });

    expect(await store.items.clear(user.id, ['m1', 'unknown'])).toBe(1);
    expect((await store.items.list({ syncUserId: user.id })).items.map((item) => item.sourceItemId)).toEqual(['m2']);

    const openPolicy = (await seedPolicy(store, { storeSubjects: true })).policy.id;
    const other = await seedUser(store, openPolicy, 'subjects');
    await store.items.recordOutcomes(other.id, [tooLarge('m1')]);
    expect((await store.items.list({ syncUserId: other.id })).items[0]?.subject).toBe('Quarterly figures');
  });

  it('list is newest first, filters by status and type, and pages completely across equal times', async () => {
    const user = await seedUser(store, (await seedPolicy(store)).policy.id, 'paging');
    const at = new Date('2025-03-01T10:00:00.000Z');
    const outcomes = Array.from({ length: 65 }, (_, i) =>
      tooLarge(`item-${i}`, { at: new Date(at.getTime() + Math.floor(i / 10) * 1000), status: i % 3 === 0 ? 'failed' : 'skipped', errorCode: i % 3 === 0 ? 'UNSUPPORTED_FORMAT' : 'ITEM_TOO_LARGE' }),
    );
    await store.items.recordOutcomes(user.id, outcomes);

    const seen: ItemRecordView[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.items.list({ syncUserId: user.id, limit: 6, cursor });
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen.map((item) => item.sourceItemId)).size).toBe(65);
    const times = seen.map((item) => item.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const failed = await store.items.list({ syncUserId: user.id, status: 'failed', type: 'mail', limit: 100 });
    expect(failed.items).toHaveLength(22);
    expect(failed.nextCursor).toBeUndefined();
    await expect(store.items.recordOutcomes(user.id, [tooLarge('x', { errorCode: 'WHATEVER' as never })])).rejects.toMatchObject({ field: 'outcomes[0].errorCode' });
  });
});

describe('folders', () => {
  it('upsert keeps ids, refreshes names, and keeps what the caller left out', async () => {
    const user = await seedUser(store, (await seedPolicy(store)).policy.id, 'folders');
    const [inbox] = await store.folders.upsert(user.id, [{ sourceFolderId: 'f-inbox', displayName: 'Inbox', path: 'Inbox', wellKnownName: 'inbox' }]);
    await store.folders.upsert(user.id, [{ sourceFolderId: 'f-projects', displayName: 'Projects', path: 'Inbox/Projects', googleLabelId: 'Label_1' }]);
    const [renamed] = await store.folders.upsert(user.id, [{ sourceFolderId: 'f-inbox', displayName: 'Boîte de réception', path: 'Boîte de réception' }]);
    expect(renamed).toMatchObject({ id: inbox!.id, displayName: 'Boîte de réception', wellKnownName: 'inbox', googleLabelId: null });
    expect((await store.folders.list(user.id)).map((folder) => folder.path)).toEqual(['Boîte de réception', 'Inbox/Projects']);

    const [cleared] = await store.folders.upsert(user.id, [{ sourceFolderId: 'f-projects', displayName: 'Projects', path: 'Inbox/Projects', googleLabelId: null }]);
    expect(cleared?.googleLabelId).toBeNull();
    expect(await store.folders.remove(user.id, ['f-projects'])).toBe(1);
    expect(await store.folders.list(user.id)).toHaveLength(1);
  });

  it('saveDeltaLinks records positions and completion, all or nothing; addCounts increments atomically', async () => {
    const user = await seedUser(store, (await seedPolicy(store)).policy.id, 'delta');
    await store.folders.upsert(user.id, [
      { sourceFolderId: 'f1', displayName: 'Inbox', path: 'Inbox' },
      { sourceFolderId: 'f2', displayName: 'Archive', path: 'Archive' },
    ]);
    await store.folders.saveDeltaLinks(user.id, [
      { sourceFolderId: 'f1', deltaLink: 'https://graph.example/delta?$deltatoken=abc', initialSyncComplete: true },
      { sourceFolderId: 'f2', deltaLink: 'https://graph.example/delta?$skiptoken=def' },
    ]);
    await Promise.all(Array.from({ length: 30 }, () => store.folders.addCounts(user.id, 'f1', { exported: 2, imported: 1, skipped: 1 })));
    const byId = async () => new Map((await store.folders.list(user.id)).map((f) => [f.sourceFolderId, f]));
    let folders = await byId();
    expect(folders.get('f1')).toMatchObject({ deltaLink: 'https://graph.example/delta?$deltatoken=abc', initialSyncComplete: true, counts: { exported: 60, imported: 30, failed: 0, skipped: 30 } });
    expect(folders.get('f2')).toMatchObject({ deltaLink: 'https://graph.example/delta?$skiptoken=def', initialSyncComplete: false });

    await store.folders.saveDeltaLinks(user.id, [{ sourceFolderId: 'f1', deltaLink: null }]);
    folders = await byId();
    expect(folders.get('f1')).toMatchObject({ deltaLink: null, initialSyncComplete: true });
    // One unknown folder refuses the whole batch: the known one keeps its old link.
    await expect(
      store.folders.saveDeltaLinks(user.id, [
        { sourceFolderId: 'f2', deltaLink: 'https://graph.example/delta?$deltatoken=new' },
        { sourceFolderId: 'missing', deltaLink: 'x' },
      ]),
    ).rejects.toBeInstanceOf(StoreNotFoundError);
    expect((await byId()).get('f2')?.deltaLink).toBe('https://graph.example/delta?$skiptoken=def');
    await expect(store.folders.addCounts(user.id, 'f1', { exported: 0.5 })).rejects.toBeInstanceOf(StoreValidationError);
  });
});

describe('cycles', () => {
  it('start, finish and list the most recent first', async () => {
    const user = await seedUser(store, (await seedPolicy(store)).policy.id, 'cycles');
    const { id: first } = await store.cycles.start({ syncUserId: user.id, kind: 'initial', trigger: 'start', startedAt: new Date('2025-01-01T00:00:00Z') });
    const { id: second } = await store.cycles.start({ syncUserId: user.id, kind: 'delta', trigger: 'schedule', startedAt: new Date('2025-01-01T01:00:00Z') });
    await store.cycles.finish(first, { outcome: 'failed', errorCode: 'RATE_LIMITED', counts: { exported: 10, imported: 7, failed: 1, skipped: 2 } });
    const finished = (await store.cycles.listRecent(user.id, 5)).find((cycle) => cycle.id === first)!;
    expect(finished).toMatchObject({ outcome: 'failed', errorCode: 'RATE_LIMITED', counts: { exported: 10, imported: 7, failed: 1, skipped: 2, updated: 0, deleted: 0 } });
    expect(finished.finishedAt).toBeInstanceOf(Date);

    const recent = await store.cycles.listRecent(user.id, 5);
    expect(recent.map((cycle) => [cycle.id, cycle.outcome])).toEqual([
      [second, 'running'],
      [first, 'failed'],
    ]);
    expect(await store.cycles.listRecent(user.id, 1)).toHaveLength(1);
    await expect(store.cycles.start({ syncUserId: '00000000-0000-4000-8000-000000000000', kind: 'delta', trigger: 'operator' })).rejects.toBeInstanceOf(StoreNotFoundError);
  });

  it('starting a cycle again under its id finds the one recorded, and a repeated finish keeps the first result', async () => {
    const { policy } = await seedPolicy(store);
    const user = await seedUser(store, policy.id, 'cycles-repeated');
    const other = await seedUser(store, policy.id, 'cycles-other');
    const id = '6f1c2d3e-4b5a-5c6d-8e7f-0a1b2c3d4e5f';
    expect(await store.cycles.start({ id, syncUserId: user.id, kind: 'delta', trigger: 'schedule' })).toEqual({ id, created: true });
    expect(await store.cycles.start({ id, syncUserId: user.id, kind: 'delta', trigger: 'schedule' })).toEqual({ id, created: false });
    expect((await store.cycles.listRecent(user.id)).map((cycle) => [cycle.id, cycle.outcome])).toEqual([[id, 'running']]);
    await expect(store.cycles.start({ id, syncUserId: other.id, kind: 'delta', trigger: 'schedule' })).rejects.toBeInstanceOf(StoreValidationError);
    await expect(store.cycles.start({ id: 'not-a-uuid', syncUserId: user.id, kind: 'delta', trigger: 'schedule' })).rejects.toBeInstanceOf(StoreValidationError);

    expect(await store.cycles.finish(id, { outcome: 'succeeded', counts: { imported: 3 } })).toBe(true);
    expect(await store.cycles.finish(id, { outcome: 'failed', errorCode: 'RATE_LIMITED', counts: { imported: 0 } })).toBe(false);
    expect(await store.cycles.listRecent(user.id)).toEqual([expect.objectContaining({ id, outcome: 'succeeded', errorCode: null, counts: expect.objectContaining({ imported: 3 }) })]);
    await expect(store.cycles.finish('7a1c2d3e-4b5a-5c6d-8e7f-0a1b2c3d4e5f', { outcome: 'succeeded' })).rejects.toBeInstanceOf(StoreNotFoundError);
  });
});
