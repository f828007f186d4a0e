import { randomBytes } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { UserErrorCode } from '../../shared/vocabulary.js';
import type { Store } from '../../store/index.js';
import type { GoogleTarget } from '../../shared/contracts/user-sync.js';
import type { ConnectionClients } from '../../connectors/connection-clients.js';
import { classifyGoogleError } from '../../connectors/google/google-errors.js';
import { googleFailure } from '../failures.js';
import { assertSourceMailbox, checkSourceMailbox } from './source-user.js';
import { targetEmailFor } from './username.js';

export interface ProvisioningDeps {
  store: Store;
  connections: ConnectionClients;
}

export interface ProvisionInput {
  syncUserId: string;
  policyId: string;
  sourceUserId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
}

/** A password Google accepts (8–100 characters); nobody signs in with it until an admin resets it or SSO takes over. */
function generatedPassword(): string {
  return `${randomBytes(18).toString('base64url')}-9a`;
}

export function createProvisioningActivities(deps: ProvisioningDeps) {
  return {
    /** Whether a user that failed as USER_NOT_FOUND or NO_MAILBOX should still be synced (else the workflow excludes them). */
    async checkSourceUser(input: { sourceConnectionId: string; sourceUserId: string }): Promise<{ present: boolean; reason?: string }> {
      return checkSourceMailbox(deps.connections, input);
    },

    /**
     * Finds the user's Google Workspace account, or creates it; 409 means it already exists and is reused.
     * Guests and users without a mailbox are refused first (NO_MAILBOX): nothing is created for them.
     */
    async provisionGoogleUser(input: ProvisionInput): Promise<GoogleTarget> {
      const policy = await deps.store.policies.get(input.policyId);
      if (!policy) throw ApplicationFailure.nonRetryable(`Policy ${input.policyId} no longer exists.`, 'POLICY_NOT_FOUND');
      const source = await assertSourceMailbox(deps.connections, input);
      const targetEmail = targetEmailFor(source, policy.usernameMapping, policy.targetDomain);
      const { clients } = await deps.connections.google(input.targetConnectionId);
      const audit = (severity: 'Info' | 'Error', code: string, message: string, details: Record<string, unknown>) =>
        deps.store.audit.write({
          severity,
          category: 'provisioning',
          code,
          message,
          actor: 'System',
          syncUserId: input.syncUserId,
          policyId: input.policyId,
          connectionId: input.targetConnectionId,
          details,
        });

      const existing = await clients.directory.users.get({ userKey: targetEmail, projection: 'basic' }).then(
        (res) => res.data,
        (err) => {
          if (classifyGoogleError(err).kind === 'notFound') return null;
          throw googleFailure(err);
        },
      );
      let googleUserId = existing?.id ?? null;
      let outcome: 'created' | 'reused' = 'reused';
      if (!googleUserId) {
        try {
          const { data } = await clients.directory.users.insert({
            requestBody: {
              primaryEmail: targetEmail,
              name: { givenName: source.givenName || source.displayName || targetEmail.split('@')[0], familyName: source.surname || '-' },
              password: generatedPassword(),
              changePasswordAtNextLogin: true,
            },
          });
          googleUserId = data.id!;
          outcome = 'created';
        } catch (err) {
          const failure = classifyGoogleError(err);
          if (failure.kind === 'conflict') {
            const { data } = await clients.directory.users.get({ userKey: targetEmail, projection: 'basic' }).catch((e) => {
              throw googleFailure(e);
            });
            googleUserId = data.id!;
          } else if (failure.kind === 'auth' || failure.kind === 'throttled' || failure.kind === 'unavailable') {
            throw googleFailure(err);
          } else {
            const message = `Google refused to create ${targetEmail}: ${failure.message}`;
            await audit('Error', UserErrorCode.GoogleUserCreationFailed, message, { service: 'google-workspace', ...failure, targetEmail });
            throw ApplicationFailure.create({ type: UserErrorCode.GoogleUserCreationFailed, message, nonRetryable: true, details: [{ service: 'google-workspace', ...failure }] });
          }
        }
      }
      await audit(
        'Info',
        outcome === 'created' ? 'GOOGLE_USER_CREATED' : 'GOOGLE_USER_REUSED',
        outcome === 'created' ? `Created the Google Workspace account ${targetEmail}.` : `Reusing the existing Google Workspace account ${targetEmail}.`,
        { targetEmail, googleUserId },
      );
      await deps.store.syncUsers.update(input.syncUserId, { targetEmail, googleUserId, sourceEmail: source.mail || source.userPrincipalName, displayName: source.displayName ?? undefined });
      return { email: targetEmail, googleUserId: googleUserId! };
    },
  };
}
