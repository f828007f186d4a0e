import { ApplicationFailure } from '@temporalio/activity';
import { MembershipAuditCode, ReconcileErrorCode, UserErrorCode } from '../../shared/vocabulary.js';
import type { Store, StoredError } from '../../store/index.js';
import { graphFailure } from '../failures.js';

/**
 * The membership reconciler's failures, made visible: the policy's
 * lastReconcileError (API and console) and one audit entry per failure
 * (not one per pass or per retry: an entry is written only when the code
 * changes), cleared with one RECONCILE_RECOVERED entry by the next pass that succeeds.
 */
export interface ReconcileFailure {
  code: string;
  /** A sentence an administrator can act on. */
  message: string;
  details: Record<string, unknown>;
  /** Whether Temporal should retry the pass now (throttling, outages), or leave it to the next interval. */
  retryable: boolean;
}

const connectionCodes = new Set<string>([UserErrorCode.AuthTokenExpired, UserErrorCode.RateLimited, UserErrorCode.ConnectionUnavailable]);

/** A failure of the Graph directory read: the connector's classification, worded for the policy. */
export function directoryFailure(err: unknown): ReconcileFailure {
  const failure = graphFailure(err);
  const details = (failure.details?.[0] ?? {}) as Record<string, unknown>;
  if (failure.type && connectionCodes.has(failure.type)) {
    return {
      code: failure.type,
      message: `The policy's users could not be read from Microsoft 365: ${failure.message} ${failure.type === UserErrorCode.AuthTokenExpired ? "Update the connection's credentials under Connections." : 'The next pass tries again.'}`,
      details,
      retryable: !failure.nonRetryable,
    };
  }
  return {
    code: ReconcileErrorCode.ReconcileFailed,
    message: `Microsoft 365 refused to list the policy's users (${failure.message}); the next pass tries again.`,
    details,
    retryable: !failure.nonRetryable,
  };
}

export function missingGroupsFailure(groupIds: string[]): ReconcileFailure {
  return {
    code: ReconcileErrorCode.GroupNotFound,
    message: `The policy's rules name ${groupIds.length === 1 ? 'a group' : 'groups'} that Microsoft 365 no longer has (${groupIds.join(', ')}). Nobody is excluded until the rules are fixed: remove the group from the policy or pick the group that replaced it.`,
    details: { groupIds },
    retryable: false,
  };
}

export function startFailure(failedUsers: number, err: unknown): ReconcileFailure {
  return {
    code: ReconcileErrorCode.WorkflowStartFailed,
    message: `The sync of ${failedUsers} selected user(s) could not be started in Temporal (${err instanceof Error ? err.message : String(err)}); the next pass starts them. Check that Temporal is reachable if it persists.`,
    details: { failedUsers },
    retryable: true,
  };
}

export function unexpectedFailure(err: unknown): ReconcileFailure {
  return {
    code: ReconcileErrorCode.ReconcileFailed,
    message: `The membership pass failed (${err instanceof Error ? err.message : String(err)}); the next pass tries again. Check the worker's log if it persists.`,
    details: {},
    retryable: true,
  };
}

/** Records the failure on the policy; the audit entry only when it is new (another code than the one recorded). */
export async function reportFailure(store: Store, policyId: string, failure: ReconcileFailure): Promise<void> {
  const error: StoredError = { code: failure.code, message: failure.message, at: new Date(), details: failure.details };
  const { changed } = await store.policies.recordReconcileError(policyId, error);
  if (!changed) return;
  await store.audit.write({
    severity: 'Error',
    category: 'membership',
    code: MembershipAuditCode.ReconcileFailed,
    message: failure.message,
    actor: 'System',
    policyId,
    details: { code: failure.code, ...failure.details },
  });
}

/** After a pass with no failure: clears the policy's error, with one entry saying so. */
export async function reportRecovered(store: Store, policyId: string): Promise<void> {
  const cleared = await store.policies.clearReconcileError(policyId);
  if (!cleared) return;
  await store.audit.write({
    severity: 'Info',
    category: 'membership',
    code: MembershipAuditCode.ReconcileRecovered,
    message: `The policy's membership pass succeeded again (the last failure was ${cleared.code}).`,
    actor: 'System',
    policyId,
    details: { previousCode: cleared.code },
  });
}

/** The failure as Temporal sees it: the type is the code; a non-retryable one waits for the next pass. */
export function asTemporalFailure(failure: ReconcileFailure): ApplicationFailure {
  return ApplicationFailure.create({ type: failure.code, message: failure.message, nonRetryable: !failure.retryable, details: [failure.details] });
}

/** What the membership workflow knows of a pass that ended without reporting itself (ids and Temporal's words only). */
export interface UnreportedFailure {
  policyId: string;
  /** Temporal's description, e.g. "activity Heartbeat timeout". */
  what: string;
}

export async function recordReconcileFailure(store: Store, input: UnreportedFailure): Promise<void> {
  if (!(await store.policies.get(input.policyId))) return;
  await reportFailure(store, input.policyId, {
    code: ReconcileErrorCode.ReconcileFailed,
    message: `The membership pass did not finish (${input.what}); the next pass tries again. If it persists, check that a worker is running and its log.`,
    details: { temporal: input.what },
    retryable: true,
  });
}
