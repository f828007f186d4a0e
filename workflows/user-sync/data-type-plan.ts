import { isSyncableDataType, SYNCABLE_DATA_TYPES, type SyncableDataType } from '../../shared/data-types.js';
import { SyncStage } from '../../shared/vocabulary.js';
import type { CarriedState, DataTypeProgress } from '../../shared/contracts/user-sync.js';

export interface DataTypeStep {
  dataType: SyncableDataType;
  kind: 'initial' | 'delta';
}

/**
 * The data types a cycle copies, in a fixed order, each with its own kind:
 * a type the policy enabled since the last cycle starts its initial sync
 * while the others carry on with their deltas. A type the policy names but
 * no module copies yet (calendar today) is left out; the API does not let a
 * policy name one. `isCopiedByThisCode` says whether the workflow code that
 * runs knows the type (a type added later joins behind its patch).
 */
export function planDataTypes(state: CarriedState, policyDataTypes: readonly string[], isCopiedByThisCode: (dataType: SyncableDataType) => boolean = () => true): DataTypeStep[] {
  const enabled = new Set(policyDataTypes.filter(isSyncableDataType).filter(isCopiedByThisCode));
  return SYNCABLE_DATA_TYPES.filter((dataType) => enabled.has(dataType)).map((dataType) => ({
    dataType,
    kind: state.dataTypes[dataType]?.stage === SyncStage.Recurring ? 'delta' : 'initial',
  }));
}

/** The type's state, created in InitialSync when the type begins. */
export function progressOf(state: CarriedState, dataType: SyncableDataType): DataTypeProgress {
  return (state.dataTypes[dataType] ??= { stage: SyncStage.InitialSync, skippedContainerIds: [] });
}

/** The user's stage once provisioned: InitialSync while any step of the plan is a first copy not yet finished. */
export function userStageOf(state: CarriedState, plan: readonly DataTypeStep[]): SyncStage {
  return plan.some((step) => state.dataTypes[step.dataType]?.stage !== SyncStage.Recurring) ? SyncStage.InitialSync : SyncStage.Recurring;
}
