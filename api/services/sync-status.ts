import type { z } from '@hono/zod-openapi';
import { emptyCounts, recommendedAction, type UserErrorCode } from '../../shared/vocabulary.js';
import type { Store, SyncUserListRequest, SyncUserView } from '../../store/index.js';
import type { UserSyncSnapshot } from '../../shared/contracts/user-sync.js';
import { ApiProblem } from '../problem.js';
import { toCycle, toItemRecord, toSyncUserSummary } from '../presenters/sync-users.js';
import { isoOrNull, iso } from '../schemas/common.js';
import type { ItemListSchema, ItemsQuery, LiveStateSchema, SyncStatusListSchema, SyncUserDetailSchema } from '../schemas/sync-status.js';
import { temporalUiWorkflowUrl } from '../temporal-ui.js';
import type { UserWorkflows } from './user-workflows.js';

export interface SyncStatusSettings {
  temporalNamespace: string;
  temporalUiUrl: string;
  stalledAfterMs: number;
}

const RECENT_CYCLES = 10;

/** The administrator's recommended action for a user-level code; null for codes the product does not define. */
export function actionFor(code: string | null): string | null {
  return code !== null && code in recommendedAction ? recommendedAction[code as UserErrorCode] : null;
}

/**
 * Sync status as the administrator reads it. Lists come from the database
 * projection the workflows keep current (fast, and still there after Temporal
 * forgets a closed workflow); the detail panel adds the workflow's live answer
 * when it is open.
 */
export class SyncStatusReader {
  constructor(
    private readonly store: Store,
    private readonly workflows: UserWorkflows,
    private readonly settings: SyncStatusSettings,
  ) {}

  async list(request: SyncUserListRequest): Promise<z.infer<typeof SyncStatusListSchema>> {
    // The totals keep every filter but status, so the status tabs can show their counts.
    const filters = { stage: request.stage, policyId: request.policyId, errorCode: request.errorCode, q: request.q };
    const [page, totalsByStatus] = await Promise.all([this.store.syncUsers.list(request), this.store.syncUsers.totalsByStatus(filters)]);
    const owners = await this.ownerPolicies(page.items);
    return { items: page.items.map((user) => toSyncUserSummary(user, owners)), nextCursor: page.nextCursor ?? null, totalsByStatus };
  }

  /** The policies whose syncs carry the SyncedElsewhere rows of a page: one read per distinct owner. */
  private async ownerPolicies(users: SyncUserView[]): Promise<Map<string, string>> {
    const ids = [...new Set(users.map((user) => user.syncedByUserId).filter((id): id is string => id !== null))];
    const owners = await Promise.all(ids.map((id) => this.store.syncUsers.get(id)));
    return new Map(owners.filter((owner): owner is SyncUserView => owner !== null).map((owner) => [owner.id, owner.policyId]));
  }

  async detail(userId: string): Promise<z.infer<typeof SyncUserDetailSchema>> {
    const user = await this.requireUser(userId);
    // A closed workflow (Excluded) would need a worker to replay it just to answer; the database has it all.
    // A SyncedElsewhere row has no workflow of its own.
    const live = user.status === 'Excluded' || user.status === 'SyncedElsewhere' ? null : await this.workflows.snapshot(user.workflowId);
    const [itemErrorsByCode, cycles, dataTypes] = await Promise.all([
      this.store.items.countByCode(user.id),
      this.store.cycles.listRecent(user.id, RECENT_CYCLES),
      this.store.dataTypeStates.list(user.id),
    ]);
    return {
      ...toSyncUserSummary(user, await this.ownerPolicies([user])),
      sourceUserId: user.sourceUserId,
      googleUserId: user.googleUserId,
      error: user.errorCode
        ? { code: user.errorCode, message: user.errorMessage ?? '', at: iso(user.errorAt ?? user.updatedAt), details: user.errorDetails ?? {}, recommendedAction: actionFor(user.errorCode) }
        : null,
      countsByType: structuredClone(user.countsByType),
      dataTypes: dataTypes.map((type) => ({
        dataType: type.dataType,
        stage: type.stage,
        counts: { ...(user.countsByType[type.dataType] ?? emptyCounts()) },
        initialSyncTotal: type.initialSyncTotal,
      })),
      itemErrorsByCode,
      initialSync: { estimatedTotal: user.initialSyncTotal, lastProgressAt: isoOrNull(user.lastProgressAt), stalled: this.isStalled(user) },
      recentCycles: cycles.map(toCycle),
      workflowId: user.workflowId,
      runId: user.runId,
      temporalUiUrl: temporalUiWorkflowUrl(this.settings.temporalUiUrl, this.settings.temporalNamespace, user.workflowId, user.runId ?? undefined),
      live: live ? toLiveState(live) : null,
      createdAt: iso(user.createdAt),
      updatedAt: iso(user.updatedAt),
    };
  }

  async items(userId: string, query: z.infer<typeof ItemsQuery>): Promise<z.infer<typeof ItemListSchema>> {
    await this.requireUser(userId);
    const page = await this.store.items.list({ syncUserId: userId, ...query });
    return { items: page.items.map(toItemRecord), nextCursor: page.nextCursor ?? null };
  }

  private async requireUser(userId: string): Promise<SyncUserView> {
    const user = await this.store.syncUsers.get(userId);
    if (!user) throw new ApiProblem(404, 'NOT_FOUND', `No synced user has the id ${userId}.`);
    return user;
  }

  /** "Stuck in Initial Sync": still copying for the first time, and nothing has moved for a while. */
  private isStalled(user: SyncUserView): boolean {
    if (user.status !== 'InitialSync') return false;
    const lastMove = user.lastProgressAt ?? user.updatedAt;
    return Date.now() - lastMove.getTime() > this.settings.stalledAfterMs;
  }
}

function toLiveState(snapshot: UserSyncSnapshot): z.infer<typeof LiveStateSchema> {
  return {
    status: snapshot.status,
    stage: snapshot.stage,
    currentActivity: snapshot.currentActivity,
    pausedBy: [...snapshot.pausedBy],
    nextSyncAt: snapshot.nextSyncAt,
  };
}
