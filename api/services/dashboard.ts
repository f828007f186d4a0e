import type { z } from '@hono/zod-openapi';
import type { Store } from '../../store/index.js';
import { iso, isoOrNull } from '../schemas/common.js';
import type { DashboardSchema } from '../schemas/dashboard.js';
import { actionFor } from './sync-status.js';

const FAILED_USERS_SHOWN = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The dashboard's figures, all from the database: users by status, items
 * copied, what changed in the last 24 hours (the id map: messages imported,
 * relabelled or deleted on the Google side), and the first failed users.
 */
export async function readDashboard(store: Store, now: Date = new Date()): Promise<z.infer<typeof DashboardSchema>> {
  const since = new Date(now.getTime() - DAY_MS);
  const [usersByStatus, itemCounts, itemsChanged, failed] = await Promise.all([
    store.syncUsers.totalsByStatus(),
    store.syncUsers.sumCounts(),
    store.messageMap.countChangedSince(since),
    store.syncUsers.list({ status: 'Failed', limit: FAILED_USERS_SHOWN }),
  ]);
  return {
    usersByStatus,
    totalUsers: Object.values(usersByStatus).reduce((sum, n) => sum + n, 0),
    itemsSynced: itemCounts.imported,
    itemCounts,
    changesLast24Hours: { since: iso(since), itemsChanged },
    failedUsers: failed.items.map((user) => ({
      userId: user.id,
      sourceEmail: user.sourceEmail,
      displayName: user.displayName,
      policyId: user.policyId,
      errorCode: user.errorCode,
      errorMessage: user.errorMessage,
      errorAt: isoOrNull(user.errorAt),
      recommendedAction: actionFor(user.errorCode),
    })),
    failedUsersTotal: usersByStatus.Failed,
  };
}
