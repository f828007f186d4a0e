import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SyncableDataType } from '../../shared/data-types.js';
import { SyncConnectionIdKey, SyncErrorCodeKey, SyncPolicyIdKey, SyncStageKey, SyncStatusKey } from '../../shared/search-attributes.js';
import type { SyncStage, SyncStatus } from '../../shared/vocabulary.js';
import type { PublishSyncStateInput } from '../../activities/sync-state/publish.js';
import type { CarriedState, UserSyncInput } from '../../shared/contracts/user-sync.js';

/**
 * The workflow's state as others see it: the database row the API lists
 * from (written by the sync-state activities), the search attributes
 * Temporal UI filters by, and the status the status query answers. A status
 * is shown only once the database holds it, so both always say the same.
 */
export class SyncStateProjection {
  /** When the next cycle is due, as shown; null while a cycle runs or before the first. */
  nextSyncAt: string | null = null;
  // Each type's stage goes to the database only when it changed, so an idle cycle writes nothing more.
  private stagesWritten = '';
  private stagesSent = '';

  constructor(
    private readonly state: CarriedState,
    private readonly input: UserSyncInput,
    private readonly write: (record: PublishSyncStateInput) => Promise<void>,
  ) {}

  /** The state as the database row the API lists from. */
  record(status: SyncStatus, shownNextSyncAt: string | null = this.nextSyncAt): PublishSyncStateInput {
    const dataTypeStages = this.changedDataTypeStages();
    const { state } = this;
    return {
      ...(dataTypeStages ? { dataTypeStages } : {}),
      syncUserId: this.input.syncUserId,
      workflowId: workflowInfo().workflowId,
      runId: workflowInfo().runId,
      status,
      stage: state.stage,
      pausedReason: state.pausedBy[0] ?? null,
      error: state.lastError,
      lastSyncAt: state.lastSyncAt,
      nextSyncAt: shownNextSyncAt,
      target: state.target,
    };
  }

  /** Takes a status the database already holds: search attributes (Temporal UI's filters) and the status query. */
  show(status: SyncStatus): void {
    upsertSearchAttributes([
      { key: SyncStatusKey, value: status },
      { key: SyncStageKey, value: this.state.stage },
      { key: SyncPolicyIdKey, value: this.input.policyId },
      { key: SyncConnectionIdKey, value: this.input.sourceConnectionId },
      { key: SyncErrorCodeKey, value: this.state.lastError?.code ?? 'None' },
    ]);
    this.state.status = status;
    this.stagesWritten = this.stagesSent;
  }

  /** Writes the state to the database, then shows it. */
  async publish(extra: { nextSyncAt?: string | null; status?: SyncStatus } = {}): Promise<void> {
    const status = extra.status ?? this.state.status;
    await this.write(this.record(status, extra.nextSyncAt === undefined ? this.nextSyncAt : extra.nextSyncAt));
    this.show(status);
  }

  async setStatus(status: SyncStatus): Promise<void> {
    if (this.state.status === status) return;
    await this.publish({ status });
  }

  private changedDataTypeStages(): Partial<Record<SyncableDataType, SyncStage>> | undefined {
    const stages = Object.fromEntries(Object.entries(this.state.dataTypes).map(([type, progress]) => [type, progress.stage]));
    this.stagesSent = JSON.stringify(stages);
    return this.stagesSent === this.stagesWritten ? undefined : stages;
  }
}
