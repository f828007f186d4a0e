import { ApplicationFailure, Context } from '@temporalio/activity';
import { UserErrorCode } from '../../shared/vocabulary.js';
import type { ConnectionClients } from '../../connectors/connection-clients.js';
import { classifyGoogleError, type GoogleFailure } from '../../connectors/google/google-errors.js';
import { googleFailure } from '../failures.js';
import type { UserPairInput } from './data-type-module.js';

/**
 * Google's token endpoint answers invalid_grant for the impersonated user
 * both when the service account's key is bad and when that one user cannot
 * be impersonated (just created, suspended, deleted). The texts differ
 * (google-errors.ts: 'accountRefused'), and this module makes sure by asking
 * the Directory, as the connection's admin, about the account: if the admin's
 * own call is refused, the connection is at fault; otherwise the refusal is
 * this user's, and the other users of the connection carry on.
 */
export interface TargetAccountSettings {
  /** How long a just-created account may be refused before the cycle gives up (TARGET_ACCOUNT_NOT_READY). */
  notReadyBudgetMs: number;
}

export const defaultTargetAccountSettings: TargetAccountSettings = { notReadyBudgetMs: 10 * 60_000 };

const firstRetryDelayMs = 2_000;
const longestRetryDelayMs = 60_000;
/** Left for the attempt that gives up to report before Temporal's own schedule-to-close timeout would. */
const scheduleToCloseMarginMs = 60_000;

interface TargetAccountDeps {
  connections: ConnectionClients;
  targetAccount?: TargetAccountSettings;
}

/** The Google refusal of the impersonated user inside whatever a data type activity threw, if that is what it is. */
function accountRefusal(err: unknown): GoogleFailure | null {
  if (err instanceof ApplicationFailure) {
    const details = err.details?.[0] as (Partial<GoogleFailure> & { service?: string }) | undefined;
    return details?.service === 'google-workspace' && details.kind === 'accountRefused' ? (details as GoogleFailure) : null;
  }
  const failure = classifyGoogleError(err);
  return failure.kind === 'accountRefused' ? failure : null;
}

interface AccountState {
  exists: boolean;
  suspended: boolean;
  creationTime?: string;
}

async function readAccount(deps: TargetAccountDeps, input: UserPairInput): Promise<AccountState> {
  const { clients } = await deps.connections.google(input.targetConnectionId);
  try {
    const { data } = await clients.directory.users.get({ userKey: input.targetEmail, projection: 'basic', fields: 'id,suspended,creationTime' });
    return { exists: true, suspended: data.suspended === true, ...(data.creationTime ? { creationTime: data.creationTime } : {}) };
  } catch (err) {
    if (classifyGoogleError(err).kind === 'notFound') return { exists: false, suspended: false };
    // The admin's own delegated call failed too: that is the connection's credentials (or a passing fault).
    throw googleFailure(err);
  }
}

/**
 * Back-off within the cycle for an account Google has not finished creating; failed only past the budget.
 * Messages name no address: they travel in Temporal's history (the user's row says who it is).
 */
function notReady(deps: TargetAccountDeps, refusal: GoogleFailure, account: AccountState): ApplicationFailure {
  const info = Context.current().info;
  const delay = Math.min(firstRetryDelayMs * 2 ** Math.max(0, info.attempt - 1), longestRetryDelayMs);
  const budget = Math.min((deps.targetAccount ?? defaultTargetAccountSettings).notReadyBudgetMs, info.scheduleToCloseTimeoutMs - scheduleToCloseMarginMs);
  const elapsed = Date.now() - info.scheduledTimestampMs;
  const details = [{ service: 'google-workspace', ...refusal, accountCreationTime: account.creationTime ?? null, attempt: info.attempt }];
  if (elapsed + delay < budget) {
    return ApplicationFailure.create({
      type: UserErrorCode.TargetAccountNotReady,
      message: `Google does not accept the new Google Workspace account yet (account creation takes a while to propagate); retrying in ${Math.round(delay / 1000)} s.`,
      nextRetryDelay: delay,
      details,
    });
  }
  return ApplicationFailure.create({
    type: UserErrorCode.TargetAccountNotReady,
    message: `Google still refused the new Google Workspace account after ${Math.round(elapsed / 1000)} s of retries; the next cycle tries again.`,
    nonRetryable: true,
    details,
  });
}

/** The failure a data type activity should end with, when Google refused its target user; null for anything else. */
export async function resolveTargetRefusal(deps: TargetAccountDeps, input: UserPairInput, err: unknown): Promise<ApplicationFailure | null> {
  const refusal = accountRefusal(err);
  if (!refusal) return null;
  const account = await readAccount(deps, input);
  const details = [{ service: 'google-workspace', ...refusal, accountExists: account.exists, suspended: account.suspended }];
  if (!account.exists) {
    return ApplicationFailure.create({
      type: UserErrorCode.MailboxAccessDenied,
      message: 'The Google Workspace account no longer exists, so Google refuses to act for it; the connection works for the other users.',
      nonRetryable: true,
      details,
    });
  }
  if (account.suspended) {
    return ApplicationFailure.create({
      type: UserErrorCode.MailboxAccessDenied,
      message: 'The Google Workspace account is suspended, so Google refuses to act for it; unsuspend it in the Admin console. The connection works for the other users.',
      nonRetryable: true,
      details,
    });
  }
  return notReady(deps, refusal, account);
}

/** Runs a data type activity; a refusal of its Google user ends it with that user's own code, never the connection's. */
export async function withTargetAccount<T>(deps: TargetAccountDeps, input: UserPairInput, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw (await resolveTargetRefusal(deps, input, err)) ?? err;
  }
}
