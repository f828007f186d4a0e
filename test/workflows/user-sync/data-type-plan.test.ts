import { describe, expect, it } from 'vitest';
import { SyncStage, SyncStatus } from '../../../shared/vocabulary.js';
import { freshState, upgradeCarriedState } from '../../../workflows/user-sync/carried-state.js';
import { planDataTypes, progressOf, userStageOf } from '../../../workflows/user-sync/data-type-plan.js';
import type { CarriedState, CarriedStateV1 } from '../../../shared/contracts/user-sync.js';

const provisioned = (dataTypes: CarriedState['dataTypes']): CarriedState => ({ ...freshState(), stage: SyncStage.Recurring, dataTypes });

describe('which data types a cycle copies, and how', () => {
  it('a type the policy names for the first time starts its own initial sync; the others carry on with deltas', () => {
    const state = provisioned({ mail: { stage: SyncStage.Recurring, skippedContainerIds: [] } });
    expect(planDataTypes(state, ['mail'])).toEqual([{ dataType: 'mail', kind: 'delta' }]);
    expect(planDataTypes(freshState(), ['mail'])).toEqual([{ dataType: 'mail', kind: 'initial' }]);
    // A type no module copies yet is left out rather than failing the cycle; the others go in their fixed order.
    expect(planDataTypes(state, ['contacts', 'files', 'mail', 'calendar'])).toEqual([
      { dataType: 'mail', kind: 'delta' },
      { dataType: 'contacts', kind: 'initial' },
      { dataType: 'calendar', kind: 'initial' },
    ]);
    // Nor is a type the running workflow code does not know yet (behind its patch in replayed histories).
    expect(planDataTypes(state, ['contacts', 'mail'], (type) => type === 'mail')).toEqual([{ dataType: 'mail', kind: 'delta' }]);
    expect(planDataTypes(state, [])).toEqual([]);
  });

  it('the user is in InitialSync while any enabled type is in its first copy, and Recurring once all are', () => {
    const state = provisioned({});
    const plan = planDataTypes(state, ['mail']);
    expect(progressOf(state, 'mail')).toEqual({ stage: SyncStage.InitialSync, skippedContainerIds: [] });
    expect(userStageOf(state, plan)).toBe(SyncStage.InitialSync);
    state.dataTypes.mail!.stage = SyncStage.Recurring;
    expect(userStageOf(state, plan)).toBe(SyncStage.Recurring);
    // A type switched off no longer holds the user back.
    expect(userStageOf(provisioned({ mail: { stage: SyncStage.InitialSync, skippedContainerIds: [] } }), [])).toBe(SyncStage.Recurring);
  });
});

describe('the carried state across continue-as-new', () => {
  it('reads a version 1 state (mail only, one stage) into per-type stages, keeping the skipped folders', () => {
    const v1: CarriedStateV1 = {
      version: 1,
      stage: SyncStage.Recurring,
      status: SyncStatus.Synced,
      pausedBy: ['operator'],
      lastError: null,
      counts: { exported: 5, imported: 5, failed: 0, skipped: 0 },
      lastSyncAt: '2026-11-30T10:00:00.000Z',
      cyclesCompleted: 7,
      target: { email: 'adele@example.com', googleUserId: 'g-1' },
      pendingTrigger: null,
      skippedFolderIds: ['outbox-id'],
    };
    const state = upgradeCarriedState(v1);
    expect(state).toMatchObject({
      version: 2,
      stage: SyncStage.Recurring,
      cyclesCompleted: 7,
      statusBeforePause: null,
      cycleInProgress: null,
      dataTypes: { mail: { stage: SyncStage.Recurring, skippedContainerIds: ['outbox-id'] } },
    });
    expect(state).not.toHaveProperty('skippedFolderIds');
    // A user still being provisioned has no data type begun.
    expect(upgradeCarriedState({ ...v1, stage: SyncStage.Provisioning }).dataTypes).toEqual({});
  });

  it('copies a current state rather than sharing it with the run that handed it over', () => {
    const carried = provisioned({ mail: { stage: SyncStage.InitialSync, skippedContainerIds: ['a'] } });
    const state = upgradeCarriedState(carried);
    state.dataTypes.mail!.skippedContainerIds.push('b');
    state.pausedBy.push('policy-disabled');
    expect(carried.dataTypes.mail!.skippedContainerIds).toEqual(['a']);
    expect(carried.pausedBy).toEqual([]);
    expect(upgradeCarriedState(undefined)).toEqual(freshState());
  });
});
