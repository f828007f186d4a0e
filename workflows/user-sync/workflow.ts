import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  SyncConnectionIdKey,
  SyncErrorCodeKey,
  SyncPolicyIdKey,
  SyncStageKey,
  SyncStatusKey,
} from '../../shared/search-attributes.js';
import {
  SyncStage,
  SyncStatus,
  UserErrorCode,
  type ItemCounts,
  type SyncError,
} from '../../shared/vocabulary.js';
import { userSyncActivities } from './activities.js';
import { upgradeCarriedState } from './carried-state.js';
import { UserSyncControls } from './controls.js';
import { serviceErrorIn } from './interruptions.js';
import { unlessPaused } from './pausable.js';
import { statusQuery } from '../../shared/contracts/user-sync-messages.js';
import type { CarriedState, CycleTrigger, MailFolderRef, UserSyncInput } from '../../shared/contracts/user-sync.js';

type CycleOutcome = 'succeeded' | 'failed' | 'excluded';

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
  let nextSyncAt: string | null = null;
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
    nextSyncAt,
    currentActivity,
  }));
  const isPaused = () => controls.isPaused();

  /** The state as the database row the API lists from. */
  function stateRecord(status: SyncStatus, shownNextSyncAt: string | null = nextSyncAt) {
    return {
      syncUserId: input.syncUserId,
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
  function showStatus(status: SyncStatus): void {
    upsertSearchAttributes([
      { key: SyncStatusKey, value: status },
      { key: SyncStageKey, value: state.stage },
      { key: SyncPolicyIdKey, value: input.policyId },
      { key: SyncConnectionIdKey, value: input.sourceConnectionId },
      { key: SyncErrorCodeKey, value: state.lastError?.code ?? 'None' },
    ]);
    state.status = status;
  }

  /**
   * Writes the state to the database, then takes it in memory, so whoever
   * sees a status in the status query finds the database saying the same.
   */
  async function publish(extra: { nextSyncAt?: string | null; status?: SyncStatus } = {}): Promise<void> {
    const status = extra.status ?? state.status;
    await act.publishSyncState(stateRecord(status, extra.nextSyncAt === undefined ? nextSyncAt : extra.nextSyncAt));
    showStatus(status);
  }

  async function setStatus(status: SyncStatus): Promise<void> {
    if (state.status === status) return;
    await publish({ status });
  }

  /** Between activities: an operator's pause (or a disabled policy) takes effect here. */
  async function checkpoint(): Promise<void> {
    if (!isPaused()) return;
    const resumeTo = state.status;
    const wasDoing = currentActivity;
    doing(`paused (${state.pausedBy.join(', ')})`);
    await setStatus(SyncStatus.Paused);
    await condition(() => !isPaused());
    doing(wasDoing);
    if (controls.exclusion === null) await setStatus(resumeTo);
  }

  function toSyncError(err: unknown): SyncError {
    // A timeout names the last attempt's error as its cause: that error, not "timeout", says what went wrong.
    const failure = serviceErrorIn(err) ?? (err instanceof ActivityFailure ? err.cause : err);
    if (failure instanceof ApplicationFailure && failure.type && Object.values(UserErrorCode).includes(failure.type as UserErrorCode)) {
      const details = (failure.details?.[0] ?? undefined) as Record<string, unknown> | undefined;
      return { code: failure.type as UserErrorCode, message: failure.message, at: new Date().toISOString(), details };
    }
    // Anything unclassified after the retries: the service did not let us finish.
    const message = failure instanceof Error ? failure.message : String(failure);
    return { code: UserErrorCode.ConnectionUnavailable, message: `The cycle could not finish: ${message}`, at: new Date().toISOString() };
  }

  async function provision(): Promise<void> {
    doing('finding or creating the Google Workspace account');
    await setStatus(SyncStatus.Provisioning);
    state.target = await act.provisionGoogleUser({
      syncUserId: input.syncUserId,
      sourceUserId: input.sourceUserId,
      policyId: input.policyId,
      sourceConnectionId: input.sourceConnectionId,
      targetConnectionId: input.targetConnectionId,
    });
    state.stage = SyncStage.InitialSync;
  }

  async function copyMail(kind: 'initial' | 'delta', cycleId: string, knownFolders: MailFolderRef[] | null): Promise<void> {
    const target = state.target!;
    const folderInput = { syncUserId: input.syncUserId, sourceUserId: input.sourceUserId, sourceConnectionId: input.sourceConnectionId, targetConnectionId: input.targetConnectionId, targetEmail: target.email };
    doing('listing mail folders');
    let folders = knownFolders;
    if (!folders) {
      const discovered = await act.discoverMailFolders({ ...folderInput, skippedFolderIds: state.skippedFolderIds ?? [] });
      state.skippedFolderIds = discovered.skippedFolderIds;
      folders = discovered.folders;
    }
    let remaining = folders.map((folder) => folder.sourceFolderId);
    while (remaining.length > 0) {
      await checkpoint();
      const done = folders.length - remaining.length;
      // Folder names stay out of Temporal (stored unencrypted); the position says enough.
      doing(`${kind === 'initial' ? 'initial sync' : 'delta cycle'}: ${done} of ${folders.length} mail folders done`);
      const result = await unlessPaused(isPaused, () => act.syncMailFolders({ ...folderInput, cycleId, sourceFolderIds: remaining, messageBudget: tuning.messagesPerActivity ?? 2000 }));
      // Paused part-way: the checkpoint above waits; the folders carry on from their saved pages.
      if (result === 'paused') continue;
      if (result.counts) state.counts = result.counts;
      cycleChanges.updated += result.updated;
      cycleChanges.deleted += result.deleted;
      remaining = result.remainingFolderIds;
    }
  }

  /** Messages relabelled and deleted in the running cycle, for its record. */
  let cycleChanges = { updated: 0, deleted: 0 };

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
    let cycleId: string | null = null;
    let countsAtStart = state.counts;
    cycleChanges = { updated: 0, deleted: 0 };
    try {
      if (state.stage === SyncStage.Provisioning) await provision();
      const kind = state.stage === SyncStage.InitialSync ? 'initial' : 'delta';
      const status = kind === 'initial' ? SyncStatus.InitialSync : SyncStatus.Syncing;
      const rediscover = kind === 'initial' || state.cyclesCompleted % (tuning.folderDiscoveryEveryCycles ?? 12) === 0;
      const begun = await act.beginSyncCycle({
        state: stateRecord(status),
        policyId: input.policyId,
        sourceConnectionId: input.sourceConnectionId,
        targetConnectionId: input.targetConnectionId,
        kind,
        trigger,
        listKnownFolders: !rediscover,
      });
      controls.takePolicy(begun.policy);
      if (begun.blockedBy) {
        // A connection in Error: no calls to the services until its credentials are fixed.
        state.lastError = { ...begun.blockedBy, at: new Date().toISOString() };
        return { outcome: 'failed', record: null };
      }
      showStatus(status);
      cycleId = begun.cycleId;
      countsAtStart = state.counts;
      await copyMail(kind, cycleId, begun.knownFolders);
      state.stage = SyncStage.Recurring;
      state.lastError = null;
      state.lastSyncAt = new Date().toISOString();
      state.cyclesCompleted += 1;
      return { outcome: 'succeeded', record: { cycleId, countsAtStart, countsKnown: true } };
    } catch (err) {
      state.lastError = toSyncError(err);
      // A failed activity may have changed counts it could not report: the finish reads them.
      return { outcome: 'failed', record: { cycleId, countsAtStart, countsKnown: false } };
    } finally {
      doing('waiting for the next cycle');
    }
  }

  /** Records the cycle and shows its outcome with the time of the next one. */
  async function finishCycle(run: CycleRun, status: SyncStatus): Promise<void> {
    if (!run.record) {
      await publish({ status });
      return;
    }
    state.counts = await act.finishSyncCycle({
      state: stateRecord(status),
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
    showStatus(status);
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
        if (nextSyncAt !== null) {
          nextSyncAt = new Date(dueAtMs).toISOString();
          await publish();
        }
      }
      const remaining = dueAtMs - Date.now();
      if (remaining <= 0) return 'schedule';
      await condition(() => state.pendingTrigger !== null || isPaused() || controls.exclusion !== null || controls.policyChanged, remaining);
      if (controls.exclusion !== null) return 'schedule';
    }
  }

  await publish();
  let trigger = await waitForNextCycle(null);
  for (;;) {
    const run = await runCycle(trigger);
    if (run.outcome === 'excluded') {
      doing('excluded: the source user no longer exists or is disabled');
      // The audit entry first: whoever sees the status Excluded finds the reason already written.
      const reason = controls.exclusion ?? state.lastError?.message ?? 'The source user is gone.';
      await act.recordExclusion({ syncUserId: input.syncUserId, policyId: input.policyId, reason });
      await publish({ nextSyncAt: null, status: SyncStatus.Excluded });
      return { status: SyncStatus.Excluded, reason };
    }
    const endedAt = Date.now();
    controls.policyChanged = false;
    nextSyncAt = new Date(endedAt + controls.policy.cycleIntervalSeconds * 1000).toISOString();
    await finishCycle(run, run.outcome === 'succeeded' ? SyncStatus.Synced : SyncStatus.Failed);
    trigger = await waitForNextCycle(endedAt);
    const info = workflowInfo();
    const runAgeMs = Date.now() - info.runStartTime.getTime();
    const due = info.continueAsNewSuggested || info.historyLength > (tuning.maxHistoryEvents ?? 5000) || runAgeMs > (tuning.maxRunSeconds ?? 3 * 24 * 3600) * 1000;
    // An exclusion that came during the wait is acted on first: the next run would not know of it.
    if (due && controls.exclusion === null) {
      // History stays bounded, and every run ends within days, so a patch can be retired by a date;
      // the next run starts with the cycle that is due now.
      await continueAsNew<typeof userSyncWorkflow>({ ...input, cycleIntervalSeconds: controls.policy.cycleIntervalSeconds, carried: { ...state, pendingTrigger: trigger } });
    }
  }
}
