import { condition, ContinueAsNew, continueAsNew, patched, setCurrentDetails, setHandler } from '@temporalio/workflow';
import { SyncStage, SyncStatus, UserErrorCode, type ItemCounts } from '../../shared/vocabulary.js';
import { dataTypeActivityNames, type SyncableDataType } from '../../shared/data-types.js';
import { userSyncActivities } from './activities.js';
import { upgradeCarriedState } from './carried-state.js';
import { UserSyncControls } from './controls.js';
import { toSyncError } from './interruptions.js';
import { SyncStateProjection } from './projection.js';
import { unlessPaused } from './pausable.js';
import { isRunDue, runTimeLeftMs } from './run-length.js';
import { statusQuery } from '../../shared/contracts/user-sync-messages.js';
import { planDataTypes, progressOf, userStageOf, type DataTypeStep } from './data-type-plan.js';
import type { CarriedState, CycleInProgress, CycleTrigger, UserSyncInput } from '../../shared/contracts/user-sync.js';

type CycleOutcome = 'succeeded' | 'failed' | 'excluded';

/**
 * Mail was copied from the first release; every type added since joins a
 * user's cycles behind its own patch, so histories recorded before it
 * replay unchanged (the patch marker goes in the first time a cycle copies it).
 */
const isCopiedByThisCode = (dataType: SyncableDataType): boolean => dataType === 'mail' || patched(`copies-${dataType}`);

/**
 * One Microsoft 365 user, kept in sync with Google Workspace for as long as a
 * policy selects them: provision the Google account, copy the mailbox once,
 * then run a delta cycle every interval. Decisions only; all I/O is in
 * activities.
 */
export async function userSyncWorkflow(input: UserSyncInput): Promise<{ status: SyncStatus; reason: string }> {
  const state: CarriedState = upgradeCarriedState(input.carried);
  const tuning = input.tuning ?? {};
  const act = userSyncActivities(tuning, input.cycleIntervalSeconds);
  const controls = new UserSyncControls(state, input.cycleIntervalSeconds);
  controls.register();
  const shown = new SyncStateProjection(state, input, (record) => act.publishSyncState(record));
  let currentActivity = 'starting';
  /** What the workflow does now: in the status query, and as "current details" in Temporal UI. */
  const doing = (what: string) => {
    currentActivity = what;
    setCurrentDetails(what);
  };

  setHandler(statusQuery, () => ({
    ...state,
    syncUserId: input.syncUserId,
    policyId: input.policyId,
    nextSyncAt: shown.nextSyncAt,
    currentActivity,
  }));
  const isPaused = () => controls.isPaused();

  /**
   * Between activities: an operator's pause (or a disabled policy) takes
   * effect here. A pause that outlasts the run's age limit continues as new
   * where it stands (a cycle in progress goes along), so no run outlives the
   * date a patch is retired by.
   */
  async function checkpoint(): Promise<void> {
    if (!isPaused()) return;
    if (state.status !== SyncStatus.Paused) state.statusBeforePause = state.status;
    const wasDoing = currentActivity;
    doing(`paused (${state.pausedBy.join(', ')})`);
    await shown.setStatus(SyncStatus.Paused);
    while (!(await condition(() => !isPaused(), Math.max(runTimeLeftMs(tuning), 1000)))) {
      if (runTimeLeftMs(tuning) <= 0) await continueToNextRun(state.pendingTrigger);
    }
    doing(wasDoing);
    const resumeTo = state.statusBeforePause ?? SyncStatus.Synced;
    state.statusBeforePause = null;
    if (controls.exclusion === null) await shown.setStatus(resumeTo);
  }

  /** The next run takes over with the state as it is, and the cycle in progress if there is one. */
  async function continueToNextRun(pendingTrigger: CycleTrigger | null): Promise<never> {
    const cycleInProgress = currentCycle ? { ...currentCycle, changes: { ...cycleChanges } } : null;
    return continueAsNew<typeof userSyncWorkflow>({ ...input, cycleIntervalSeconds: controls.policy.cycleIntervalSeconds, carried: { ...state, pendingTrigger, cycleInProgress } });
  }

  async function provision(): Promise<void> {
    doing('finding or creating the Google Workspace account');
    await shown.setStatus(SyncStatus.Provisioning);
    state.target = await act.provisionGoogleUser({
      syncUserId: input.syncUserId,
      sourceUserId: input.sourceUserId,
      policyId: input.policyId,
      sourceConnectionId: input.sourceConnectionId,
      targetConnectionId: input.targetConnectionId,
    });
    state.stage = SyncStage.InitialSync;
  }

  /** One data type's part of a cycle: its containers brought to their delta links, a budget of items at a time. */
  async function copyDataType(step: DataTypeStep, cycleId: string, knownContainerIds: string[] | null): Promise<void> {
    const target = state.target!;
    const names = dataTypeActivityNames[step.dataType];
    const progress = progressOf(state, step.dataType);
    const pair = {
      syncUserId: input.syncUserId,
      sourceUserId: input.sourceUserId,
      sourceConnectionId: input.sourceConnectionId,
      targetConnectionId: input.targetConnectionId,
      targetEmail: target.email,
    };
    let containers = knownContainerIds;
    // The sync activity lists the containers itself when it is to read them (one activity and one workflow task less).
    let discovering = !containers && patched('sync-activity-discovers-containers');
    if (!containers && !discovering) {
      doing(`listing ${names.containers}`);
      const discovered = await act.dataTypes[names.discover]({ ...pair, skippedContainerIds: progress.skippedContainerIds });
      progress.skippedContainerIds = discovered.skippedContainerIds;
      containers = discovered.sourceContainerIds;
    }
    let remaining = containers ?? [];
    const cycleKind = step.kind === 'initial' ? 'initial sync' : 'delta cycle';
    while (discovering || remaining.length > 0) {
      await checkpoint();
      // Container names stay out of Temporal; the position says enough.
      doing(containers ? `${cycleKind}: ${containers.length - remaining.length} of ${containers.length} ${names.containers} done` : `${cycleKind}: listing and copying ${names.containers}`);
      const discover = discovering ? { discover: { skippedContainerIds: progress.skippedContainerIds } } : {};
      const result = await unlessPaused(isPaused, () => act.dataTypes[names.sync]({ ...pair, cycleId, sourceContainerIds: remaining, itemBudget: tuning.messagesPerActivity ?? 2000, ...discover }));
      // Paused part-way: the checkpoint above waits; the containers carry on from their saved pages.
      if (result === 'paused') continue;
      if (result.discovered) {
        progress.skippedContainerIds = result.discovered.skippedContainerIds;
        containers = result.discovered.sourceContainerIds;
        discovering = false;
      }
      if (result.counts) state.counts = result.counts;
      cycleChanges.updated += result.updated;
      cycleChanges.deleted += result.deleted;
      remaining = result.remainingContainerIds;
    }
    progress.stage = SyncStage.Recurring;
  }

  /** Messages relabelled and deleted in the running cycle, for its record. */
  let cycleChanges = { updated: 0, deleted: 0 };
  /** The cycle being copied, for a pause that continues as new in the middle of it. */
  let currentCycle: Omit<CycleInProgress, 'changes'> | null = null;

  /** How a cycle ended, and what its record needs (none when a connection in Error kept it from starting). */
  interface CycleRun {
    outcome: CycleOutcome;
    record: { cycleId: string | null; countsAtStart: ItemCounts; countsKnown: boolean } | null;
  }

  async function runCycle(trigger: CycleTrigger): Promise<CycleRun> {
    if (controls.exclusion !== null) return { outcome: 'excluded', record: null };
    // A user gone from the source, or one with no mailbox there (NO_MAILBOX), is checked once more, then excluded.
    if (state.lastError?.code === UserErrorCode.UserNotFound || state.lastError?.code === UserErrorCode.NoMailbox) {
      doing('checking whether the source user still exists');
      const check = await act.checkSourceUser({ sourceConnectionId: input.sourceConnectionId, sourceUserId: input.sourceUserId });
      if (!check.present) return { outcome: 'excluded', record: null };
    }
    // A cycle the last run was in when a long pause continued it as new goes on under its own record.
    const resumed = state.cycleInProgress;
    state.cycleInProgress = null;
    let cycleId: string | null = null;
    let countsAtStart = resumed?.countsAtStart ?? state.counts;
    cycleChanges = resumed ? { ...resumed.changes } : { updated: 0, deleted: 0 };
    try {
      if (state.stage === SyncStage.Provisioning) await provision();
      // The plan from the policy as last read (an edit is pushed at once); the cycle's own read may add a type below.
      const expected = planDataTypes(state, controls.policy.dataTypes ?? ['mail'], isCopiedByThisCode);
      const kind = expected.some((step) => step.kind === 'initial') ? 'initial' : 'delta';
      const status = kind === 'initial' ? SyncStatus.InitialSync : SyncStatus.Syncing;
      const rediscoverEvery = tuning.folderDiscoveryEveryCycles ?? 12;
      const begun = await act.beginSyncCycle({
        state: shown.record(status),
        policyId: input.policyId,
        sourceConnectionId: input.sourceConnectionId,
        targetConnectionId: input.targetConnectionId,
        kind,
        trigger: resumed?.trigger ?? trigger,
        continuesCycleId: resumed?.cycleId ?? null,
        // A type in its delta rounds works on the containers it knows, and reads them again every few cycles.
        knownContainersOf: state.cyclesCompleted % rediscoverEvery === 0 ? [] : expected.filter((step) => step.kind === 'delta').map((step) => step.dataType),
      });
      controls.takePolicy(begun.policy);
      if (begun.blockedBy) {
        // A connection in Error: no calls to the services until its credentials are fixed.
        state.lastError = { ...begun.blockedBy, at: new Date().toISOString() };
        return { outcome: 'failed', record: null };
      }
      shown.show(status);
      cycleId = begun.cycleId;
      if (!resumed) countsAtStart = state.counts;
      currentCycle = { cycleId, countsAtStart, trigger: resumed?.trigger ?? trigger };
      const plan = planDataTypes(state, controls.policy.dataTypes ?? ['mail'], isCopiedByThisCode);
      for (const step of plan) await copyDataType(step, cycleId, begun.knownContainers[step.dataType] ?? null);
      state.stage = userStageOf(state, plan);
      state.lastError = null;
      state.lastSyncAt = new Date().toISOString();
      state.cyclesCompleted += 1;
      return { outcome: 'succeeded', record: { cycleId, countsAtStart, countsKnown: true } };
    } catch (err) {
      // A long pause in the middle of the cycle continued it as new: that is no failure.
      if (err instanceof ContinueAsNew) throw err;
      state.lastError = toSyncError(err);
      // A failed activity may have changed counts it could not report: the finish reads them.
      return { outcome: 'failed', record: { cycleId, countsAtStart, countsKnown: false } };
    } finally {
      currentCycle = null;
      doing('waiting for the next cycle');
    }
  }

  /** Records the cycle and shows its outcome with the time of the next one. */
  async function finishCycle(run: CycleRun, status: SyncStatus): Promise<void> {
    if (!run.record) {
      await shown.publish({ status });
      return;
    }
    state.counts = await act.finishSyncCycle({
      state: shown.record(status),
      policyId: input.policyId,
      sourceConnectionId: input.sourceConnectionId,
      targetConnectionId: input.targetConnectionId,
      cycleId: run.record.cycleId,
      outcome: run.outcome === 'succeeded' ? 'succeeded' : 'failed',
      error: run.outcome === 'succeeded' ? null : state.lastError,
      countsAtStart: run.record.countsAtStart,
      countsNow: run.record.countsKnown ? state.counts : null,
      changes: cycleChanges,
    });
    shown.show(status);
  }

  /**
   * Sleeps until the next cycle is due (one interval after `lastCycleEndedMs`; at once when null),
   * an operator asks for one, or credentials are fixed. A policy edit meanwhile
   * moves the due time at once, and the user's row shows the new one.
   */
  async function waitForNextCycle(lastCycleEndedMs: number | null): Promise<CycleTrigger> {
    for (;;) {
      if (isPaused()) await checkpoint();
      if (state.pendingTrigger) {
        const trigger = state.pendingTrigger;
        state.pendingTrigger = null;
        return trigger;
      }
      const dueAtMs = lastCycleEndedMs === null ? Date.now() : lastCycleEndedMs + controls.policy.cycleIntervalSeconds * 1000;
      if (controls.policyChanged) {
        controls.policyChanged = false;
        if (shown.nextSyncAt !== null) {
          shown.nextSyncAt = new Date(dueAtMs).toISOString();
          await shown.publish();
        }
      }
      const remaining = dueAtMs - Date.now();
      if (remaining <= 0) return 'schedule';
      await condition(() => state.pendingTrigger !== null || isPaused() || controls.exclusion !== null || controls.policyChanged, remaining);
      if (controls.exclusion !== null) return 'schedule';
    }
  }

  // A new user's first publication is its Provisioning status, a moment later; a continued run publishes its run id at once.
  if (input.carried || !patched('first-publication-is-provisioning')) await shown.publish();
  let trigger = await waitForNextCycle(null);
  for (;;) {
    const run = await runCycle(trigger);
    if (run.outcome === 'excluded') {
      doing('excluded: the source user no longer exists or is disabled');
      // The audit entry first: whoever sees the status Excluded finds the reason already written.
      const reason = controls.exclusion ?? state.lastError?.message ?? 'The source user is gone.';
      await act.recordExclusion({ syncUserId: input.syncUserId, policyId: input.policyId, reason });
      await shown.publish({ nextSyncAt: null, status: SyncStatus.Excluded });
      return { status: SyncStatus.Excluded, reason };
    }
    const endedAt = Date.now();
    controls.policyChanged = false;
    shown.nextSyncAt = new Date(endedAt + controls.policy.cycleIntervalSeconds * 1000).toISOString();
    await finishCycle(run, run.outcome === 'succeeded' ? SyncStatus.Synced : SyncStatus.Failed);
    trigger = await waitForNextCycle(endedAt);
    const due = isRunDue(tuning);
    // An exclusion that came during the wait is acted on first: the next run would not know of it.
    // History stays bounded, and every run ends within days, so a patch can be retired by a date;
    // the next run starts with the cycle that is due now.
    if (due && controls.exclusion === null) await continueToNextRun(trigger);
  }
}
