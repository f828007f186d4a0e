import { emptyCounts, type ItemCounts } from '../../shared/vocabulary.js';
import { ITEM_COUNT_FIELDS, type CountsByType, type Store } from '../../store/index.js';
import { SYNCABLE_DATA_TYPES } from '../../shared/data-types.js';

/**
 * The user's counts over every type, with each type's own, derived from what
 * the database holds rather than incremented: a replayed page cannot count an
 * item twice, and exported minus imported always equals the failed and
 * skipped items listed. Two queries, whatever the number of types: this runs
 * after every page that changed something.
 */
export async function readUserTotals(store: Store, syncUserId: string): Promise<{ counts: ItemCounts; countsByType: CountsByType }> {
  const importedByType = await store.itemMap.countImportedByType(syncUserId);
  const listedByType = await store.items.countByTypeAndCode(syncUserId);
  const countsByType: CountsByType = {};
  const counts = emptyCounts();
  for (const dataType of SYNCABLE_DATA_TYPES) {
    const imported = importedByType[dataType] ?? 0;
    const failed = Object.values(listedByType[dataType] ?? {}).reduce((sum, n) => sum + n, 0);
    const typeCounts: ItemCounts = { exported: imported + failed, imported, failed, skipped: 0 };
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
