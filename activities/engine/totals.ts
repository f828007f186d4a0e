import { emptyCounts, type ItemCounts } from '../../shared/vocabulary.js';
import { ITEM_COUNT_FIELDS, type CountsByType, type Store } from '../../store/index.js';
import { SYNCABLE_DATA_TYPES, type SyncableDataType } from '../../shared/data-types.js';

/**
 * A data type's counts, derived from what the database holds rather than
 * incremented: a replayed page cannot count an item twice, and exported
 * minus imported always equals the failed and skipped items listed.
 */
export async function readTypeTotals(store: Store, syncUserId: string, dataType: SyncableDataType): Promise<ItemCounts> {
  const imported = await store.itemMap.forType(dataType).countImported(syncUserId, { excludingListedItems: true });
  const byCode = await store.items.countByCode(syncUserId, dataType);
  const failed = Object.values(byCode).reduce((sum, n) => sum + n, 0);
  return { exported: imported + failed, imported, failed, skipped: 0 };
}

/** The user's counts over every type, with each type's own. */
export async function readUserTotals(store: Store, syncUserId: string): Promise<{ counts: ItemCounts; countsByType: CountsByType }> {
  const countsByType: CountsByType = {};
  const counts = emptyCounts();
  for (const dataType of SYNCABLE_DATA_TYPES) {
    const typeCounts = await readTypeTotals(store, syncUserId, dataType);
    countsByType[dataType] = typeCounts;
    for (const field of ITEM_COUNT_FIELDS) counts[field] += typeCounts[field];
  }
  return { counts, countsByType };
}

/** After a page changed something: the user's row shows the new counts and the progress. */
export async function publishUserTotals(store: Store, syncUserId: string): Promise<ItemCounts> {
  const totals = await readUserTotals(store, syncUserId);
  await store.syncUsers.update(syncUserId, { ...totals, lastProgressAt: new Date() });
  return totals.counts;
}
