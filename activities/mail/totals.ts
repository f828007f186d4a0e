import type { Store } from '../../store/index.js';
import type { ItemCounts } from '../../shared/vocabulary.js';

/**
 * A user's counts, derived from what the database holds rather than
 * incremented: a replayed page cannot count a message twice, and exported
 * minus imported always equals the failed and skipped items listed.
 */
export async function readUserTotals(store: Store, syncUserId: string, options: { publish?: boolean } = {}): Promise<ItemCounts> {
  const imported = await store.messageMap.countImported(syncUserId, { excludingListedItems: true });
  const byCode = await store.items.countByCode(syncUserId);
  const failed = Object.values(byCode).reduce((sum, n) => sum + n, 0);
  const counts: ItemCounts = { exported: imported + failed, imported, failed, skipped: 0 };
  if (options.publish) {
    await store.syncUsers.update(syncUserId, { counts, countsByType: { mail: counts }, lastProgressAt: new Date() });
  }
  return counts;
}
