import type { z } from '@hono/zod-openapi';
import type { AuditListSchema, AuditEntrySchema } from '../schemas/audit.js';
import type { ConnectionListSchema, ConnectionSchema } from '../schemas/connections.js';
import type { DashboardSchema } from '../schemas/dashboard.js';
import type { PolicyDetailSchema, PolicyListSchema, PolicyPreviewSchema, PolicySchema } from '../schemas/policies.js';
import type { ItemListSchema, SyncStatusListSchema, SyncUserDetailSchema, SyncUserSummarySchema, TotalsByStatusSchema } from '../schemas/sync-status.js';

/** The API's answers as the console reads them: inferred from the API's own schemas, so the two cannot drift apart. */
export type Dashboard = z.infer<typeof DashboardSchema>;
export type TotalsByStatus = z.infer<typeof TotalsByStatusSchema>;
export type SyncStatusList = z.infer<typeof SyncStatusListSchema>;
export type SyncUserSummary = z.infer<typeof SyncUserSummarySchema>;
export type SyncUserDetail = z.infer<typeof SyncUserDetailSchema>;
export type ItemList = z.infer<typeof ItemListSchema>;
export type Connection = z.infer<typeof ConnectionSchema>;
export type ConnectionList = z.infer<typeof ConnectionListSchema>;
export type Policy = z.infer<typeof PolicySchema>;
export type PolicyDetail = z.infer<typeof PolicyDetailSchema>;
export type PolicyList = z.infer<typeof PolicyListSchema>;
export type PolicyPreview = z.infer<typeof PolicyPreviewSchema>;
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type AuditList = z.infer<typeof AuditListSchema>;
