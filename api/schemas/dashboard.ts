import { z } from '@hono/zod-openapi';
import { Timestamp } from './common.js';
import { ItemCountsSchema, SyncUserSummarySchema, TotalsByStatusSchema } from './sync-status.js';

/** A failed user in brief: who (as in the users list), the error, and what to do. */
export const FailedUserSchema = SyncUserSummarySchema.pick({ userId: true, sourceEmail: true, displayName: true, policyId: true, errorCode: true, errorMessage: true }).extend({
  errorAt: Timestamp.nullable(),
  recommendedAction: z.string().nullable(),
});

export const DashboardSchema = z
  .object({
    usersByStatus: TotalsByStatusSchema,
    totalUsers: z.number().int(),
    itemsSynced: z.number().int().openapi({ description: 'Items imported into Google Workspace, all users together.' }),
    itemCounts: ItemCountsSchema,
    changesLast24Hours: z.object({
      since: Timestamp,
      itemsChanged: z.number().int().openapi({ description: 'Messages imported, relabelled or deleted on the Google side since `since` (from the id map).' }),
    }),
    failedUsers: z.array(FailedUserSchema).openapi({ description: 'The first 10 failed users, by source email.' }),
    failedUsersTotal: z.number().int(),
  })
  .openapi('Dashboard');
