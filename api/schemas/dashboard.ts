import { z } from '@hono/zod-openapi';
import { Timestamp } from './common.js';
import { ItemCountsSchema, TotalsByStatusSchema } from './sync-status.js';

export const FailedUserSchema = z.object({
  userId: z.guid(),
  sourceEmail: z.string(),
  displayName: z.string(),
  policyId: z.guid(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
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
