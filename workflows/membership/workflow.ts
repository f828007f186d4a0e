import { ActivityFailure, ApplicationFailure, condition, continueAsNew, defineSignal, patched, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { UserSyncTuning } from '../../shared/contracts/user-sync.js';

export interface PolicyMembershipInput {
  policyId: string;
  /** How often the rules are evaluated against the directory; the policy's cycle interval when absent. */
  intervalSeconds?: number;
  /** Overrides for the user workflows this policy starts (tests use short intervals). */
  userCycleIntervalSeconds?: number;
  userSyncTuning?: UserSyncTuning;
  /** An initial sync without progress for this long is reported as stalled. */
  stalledAfterSeconds?: number;
  /** Heartbeat timeout of the membership pass (default 2 minutes; tests shorten it). */
  reconcileHeartbeatTimeoutSeconds?: number;
  /** Whether the policy was enabled at the last evaluation (carried across continue-as-new). */
  lastEnabled?: boolean | null;
}

/** The API asks for an evaluation now: a policy was created, changed, enabled or disabled. */
export const reconcileNowSignal = defineSignal('reconcileNow');

function membershipActivities(input: PolicyMembershipInput) {
  return proxyActivities<Activities>({
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: input.reconcileHeartbeatTimeoutSeconds === undefined ? '2 minutes' : input.reconcileHeartbeatTimeoutSeconds * 1000,
    retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', maximumAttempts: 5 },
  });
}

const { recordReconcileFailure } = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 3 } });

/**
 * A pass the activity could not report itself (it timed out, its worker died):
 * the policy shows it all the same. Failures the activity raised (an
 * ApplicationFailure whose type is the code) were reported where they happened.
 */
async function reportUnreported(policyId: string, err: unknown): Promise<void> {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return;
  const what = err instanceof ActivityFailure && err.cause ? err.cause.message : 'it failed';
  await recordReconcileFailure({ policyId, what }).catch(() => undefined);
}

/**
 * One per policy: evaluates its user selection rules against the Microsoft
 * 365 directory every interval, starts a user workflow for each new match,
 * excludes users who no longer match, and pauses everyone while the policy is
 * disabled. Ends when the policy is deleted.
 */
export async function policyMembershipWorkflow(input: PolicyMembershipInput): Promise<void> {
  const { reconcilePolicyMembership } = membershipActivities(input);
  let requested = true;
  let lastEnabled = input.lastEnabled ?? null;
  setHandler(reconcileNowSignal, () => {
    requested = true;
  });

  for (;;) {
    requested = false;
    const result = await reconcilePolicyMembership({
      policyId: input.policyId,
      lastEnabled,
      userCycleIntervalSeconds: input.userCycleIntervalSeconds,
      userSyncTuning: input.userSyncTuning,
      stalledAfterSeconds: input.stalledAfterSeconds,
    }).catch(async (err: unknown) => {
      // Reported on the policy (lastReconcileError and the audit log), never swallowed; the next pass tries again.
      if (patched('membership-reports-unreported-failures')) await reportUnreported(input.policyId, err);
      return null;
    });
    if (result?.policyDeleted) return;
    if (result) lastEnabled = result.enabled;
    const intervalSeconds = input.intervalSeconds ?? result?.intervalSeconds ?? 900;
    await condition(() => requested, intervalSeconds * 1000);
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 2000) {
      await continueAsNew<typeof policyMembershipWorkflow>({ ...input, lastEnabled });
    }
  }
}
