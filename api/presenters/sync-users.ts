import type { z } from '@hono/zod-openapi';
import type { ItemRecordView, SyncCycleView, SyncUserView } from '../../store/index.js';
import { iso, isoOrNull } from '../schemas/common.js';
import type { CycleSchema, ItemRecordSchema, SyncUserSummarySchema } from '../schemas/sync-status.js';

export type SyncUserSummary = z.infer<typeof SyncUserSummarySchema>;

/** Which policy syncs a SyncedElsewhere row's pair now: resolved from the owning row, since a takeover re-points it. */
export type OwnerPolicies = ReadonlyMap<string, string>;

export function toSyncUserSummary(user: SyncUserView, owners: OwnerPolicies = new Map()): SyncUserSummary {
  const ownerPolicyId = user.syncedByUserId === null ? undefined : owners.get(user.syncedByUserId);
  return {
    userId: user.id,
    sourceEmail: user.sourceEmail,
    targetEmail: user.targetEmail,
    displayName: user.displayName,
    policyId: user.policyId,
    status: user.status,
    stage: user.stage,
    pausedReason: user.pausedReason,
    errorCode: user.errorCode,
    errorMessage: user.errorMessage,
    lastSyncAt: isoOrNull(user.lastSyncAt),
    nextSyncAt: isoOrNull(user.nextSyncAt),
    counts: { ...user.counts },
    syncedBy: user.status === 'SyncedElsewhere' && user.syncedByUserId !== null && ownerPolicyId !== undefined ? { userId: user.syncedByUserId, policyId: ownerPolicyId } : null,
  };
}

export function toCycle(cycle: SyncCycleView): z.infer<typeof CycleSchema> {
  return {
    id: cycle.id,
    kind: cycle.kind,
    trigger: cycle.trigger,
    startedAt: iso(cycle.startedAt),
    finishedAt: isoOrNull(cycle.finishedAt),
    outcome: cycle.outcome,
    errorCode: cycle.errorCode,
  };
}

export function toItemRecord(item: ItemRecordView): z.infer<typeof ItemRecordSchema> {
  return {
    id: item.id,
    sourceItemId: item.sourceItemId,
    type: item.type,
    folderName: item.folderName,
    subject: item.subject,
    sizeBytes: item.sizeBytes,
    status: item.status,
    errorCode: item.errorCode,
    reason: item.reason,
    serviceError: item.serviceError,
    at: iso(item.at),
  };
}
