import type { ContainerStateView, ItemMapView, ItemOutcome, RecordedCopy, Store, TargetStateUpdate } from '../../store/index.js';
import { ItemErrorCode } from '../../shared/vocabulary.js';
import type { DataType } from '../../shared/data-types.js';
import { countItemsCopied, countItemsFailed } from '../../shared/metrics/sync-metrics.js';
import type { DeltaPage, PageOutcome } from './data-type-module.js';

/** Why one item cannot be copied, for the items view. */
export interface ItemVerdictOf {
  code: ItemErrorCode;
  reason: string;
  serviceError?: Record<string, unknown> | null;
}

export interface TargetCopy {
  targetItemId: string;
  /** What the type keeps of the copy as written (an etag, group memberships...). */
  targetState: unknown;
  /** The copy was written without a part Google refused (a contact's photo): listed in the items view. */
  partial?: ItemVerdictOf;
}

/**
 * The per-item operations of a data type whose items are copied one by one
 * (calendar events, contacts): the engine's applyPageItemwise runs them
 * through the item map. Mail applies its pages itself (apply-page.ts), as
 * Gmail merges messages by Message-ID and a page is imported in parallel.
 */
export interface ItemOperations<Session, Item extends { id: string }> {
  /** Why the item cannot be copied at all (too large, a kind Google has no place for), or null. */
  classify(session: Session, item: Item): ItemVerdictOf | null;
  /** What finds the copy on the Google side after a crash (a client-chosen id, an extended property...); kept with the intent. */
  lookupKey(item: Item): string | null;
  /** The copy an attempt that died after writing may have made, found by the lookup key; null when there is none. */
  findExisting(session: Session, item: Item, lookupKey: string | null): Promise<TargetCopy | null>;
  write(session: Session, container: ContainerStateView, item: Item): Promise<TargetCopy>;
  /**
   * Writes several new items in one call (the People API's batchCreateContacts), the copies in
   * the items' order. A refusal of the call that concerns an item (refusalOf) makes the engine
   * write that batch's items one by one, so only the item refused is listed.
   */
  writeMany?(session: Session, container: ContainerStateView, items: Item[]): Promise<TargetCopy[]>;
  /** Items per writeMany call. */
  readonly batchSize?: number;
  /**
   * Brings the copy up to date; returns what is kept of it now. `unchanged`: the copy already
   * matched (a calendar's new window round reads every event again), so nothing was written or counted.
   */
  update(session: Session, container: ContainerStateView, item: Item, row: ItemMapView): Promise<Omit<TargetCopy, 'targetItemId'> & { unchanged?: boolean }>;
  /**
   * The item was @removed from a container's delta: deleted, or moved to another container. The
   * copy of a deleted item goes where a deletion can still be undone (true); a moved one stays (false),
   * and the other container's delta brings its new place.
   */
  remove(session: Session, row: ItemMapView): Promise<boolean>;
  /** Google's refusal of this one item (listed, the page goes on), or null when the error must stop the page. */
  refusalOf(err: unknown): ItemVerdictOf | null;
  /** The subject-like title to list with a failed item (kept only when the policy allows it). */
  titleOf?(item: Item): string | null;
}

/**
 * Applies one delta page item by item, exactly once: an intent is recorded
 * before each copy is written and becomes 'imported' with the copy's id
 * after; an intent an earlier attempt left behind is first looked up on the
 * Google side, so a crash between the write and the record never makes a
 * second copy. Writes go one after another (the People API asks that of
 * writes for one user). One item Google refuses is listed; the others go on.
 */
export async function applyPageItemwise<Session, Item extends { id: string }>(
  store: Store,
  dataType: DataType,
  syncUserId: string,
  ops: ItemOperations<Session, Item>,
  session: Session,
  container: ContainerStateView,
  page: DeltaPage<Item>,
  options: { storeSubjects: () => Promise<boolean>; keepAlive: () => void },
): Promise<PageOutcome> {
  const ledger = store.itemMap.forType(dataType);
  const rows = await ledger.findBySourceIds(syncUserId, [...page.changed.map((item) => item.id), ...page.removedIds]);
  const failed: { item: Item; verdict: ItemVerdictOf }[] = [];
  /** Copied, but without a part Google refused: listed after the copy is recorded (which clears the item's old entry). */
  const incomplete: { item: Item; verdict: ItemVerdictOf }[] = [];
  const recorded: RecordedCopy[] = [];
  const updates: TargetStateUpdate[] = [];
  const settled: string[] = [];

  const arrivals = page.changed.filter((item) => rows.get(item.id)?.state !== 'imported');
  const copyable = arrivals.filter((item) => {
    const verdict = ops.classify(session, item);
    if (verdict) failed.push({ item, verdict });
    return !verdict;
  });
  const fresh = copyable.filter((item) => !rows.has(item.id));
  await ledger.recordIntents(
    syncUserId,
    fresh.map((item) => ({ sourceItemId: item.id, lookupKey: ops.lookupKey(item), sourceContainerId: container.sourceContainerId })),
  );

  const settle = (item: Item, { partial, ...copy }: TargetCopy) => {
    recorded.push({ sourceItemId: item.id, ...copy });
    if (partial) incomplete.push({ item, verdict: partial });
  };
  /** An item Google refused is listed and the page goes on; any other failure stops it, what was written recorded. */
  const refused = async (item: Item, err: unknown) => {
    const verdict = ops.refusalOf(err);
    if (!verdict) {
      await record();
      throw err;
    }
    failed.push({ item, verdict });
  };

  const toWrite: Item[] = [];
  for (const item of copyable) {
    const row = rows.get(item.id);
    try {
      const existing = row ? await ops.findExisting(session, item, row.lookupKey) : null;
      if (existing) settle(item, existing);
      else toWrite.push(item);
    } catch (err) {
      await refused(item, err);
    }
  }
  const batchSize = ops.writeMany ? Math.max(1, ops.batchSize ?? 1) : 1;
  for (let start = 0; start < toWrite.length; start += batchSize) {
    const batch = toWrite.slice(start, start + batchSize);
    if (ops.writeMany && batch.length > 1) {
      try {
        const copies = await ops.writeMany(session, container, batch);
        batch.forEach((item, index) => settle(item, copies[index]!));
        options.keepAlive();
        continue;
      } catch (err) {
        if (!ops.refusalOf(err)) {
          await record();
          throw err;
        }
      }
    }
    for (const item of batch) {
      try {
        settle(item, await ops.write(session, container, item));
      } catch (err) {
        await refused(item, err);
      }
      options.keepAlive();
    }
  }

  let updated = 0;
  for (const item of page.changed) {
    const row = rows.get(item.id);
    if (row?.state !== 'imported') continue;
    try {
      const { targetState, partial, unchanged } = await ops.update(session, container, item, row);
      if (unchanged) continue;
      updates.push({ sourceItemId: item.id, targetState, sourceContainerId: container.sourceContainerId });
      if (partial) incomplete.push({ item, verdict: partial });
      else settled.push(item.id);
      updated += 1;
    } catch (err) {
      const verdict = ops.refusalOf(err);
      if (!verdict) {
        await record();
        throw err;
      }
      failed.push({ item, verdict: { ...verdict, code: ItemErrorCode.ChangeRejected } });
    }
    options.keepAlive();
  }

  const deleted: string[] = [];
  for (const id of page.removedIds) {
    const row = rows.get(id);
    if (row?.state !== 'imported') continue;
    if (await ops.remove(session, row)) deleted.push(id);
  }
  await record();
  if (deleted.length) await ledger.markDeleted(syncUserId, deleted);
  return { updated, deleted: deleted.length };

  /** Whatever was written so far is recorded, also when the page stops part-way. */
  async function record(): Promise<void> {
    const copies = recorded.splice(0);
    if (copies.length) {
      await ledger.markImported(syncUserId, copies);
      await store.items.clear(
        syncUserId,
        copies.map((copy) => copy.sourceItemId),
      );
      countItemsCopied(dataType, copies.length);
    }
    const changes = updates.splice(0);
    if (changes.length) await ledger.updateTargetState(syncUserId, changes);
    const done = settled.splice(0);
    if (done.length) await store.items.clear(syncUserId, done);
    const refused = [...failed.splice(0), ...incomplete.splice(0)];
    if (refused.length) {
      const subjects = await options.storeSubjects();
      await store.items.recordOutcomes(
        syncUserId,
        refused.map(({ item, verdict }) => failedRow(dataType, container, item, verdict, subjects ? (ops.titleOf?.(item) ?? null) : null)),
      );
      countItemsFailed(
        dataType,
        refused.map(({ verdict }) => verdict.code),
      );
    }
  }
}

function failedRow(dataType: DataType, container: ContainerStateView, item: { id: string }, verdict: ItemVerdictOf, subject: string | null): ItemOutcome {
  return {
    sourceItemId: item.id,
    type: dataType,
    folderName: container.path,
    subject,
    sizeBytes: null,
    status: 'failed',
    errorCode: verdict.code,
    reason: verdict.reason,
    serviceError: verdict.serviceError ?? null,
  };
}
