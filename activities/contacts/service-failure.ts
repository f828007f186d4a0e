import { ApplicationFailure } from '@temporalio/activity';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { UserErrorCode } from '../../shared/vocabulary.js';
import { classifyGoogleError } from '../../connectors/google/google-errors.js';
import { contactsScopes } from '../../connectors/google/google-clients.js';
import { googleFailure, graphFailure } from '../failures.js';

/**
 * The token endpoint's answers when the client id is not authorized for a
 * scope it asked for ("Client is unauthorized to retrieve access tokens
 * using this method, or client not authorized for any of the scopes
 * requested": Google's service-account guide, domain-wide delegation).
 */
const scopeRefusals: ReadonlySet<string> = new Set(['unauthorized_client', 'access_denied', 'invalid_scope']);

/**
 * A failure that stops the page or the discovery, as the workflow decides on
 * it: Graph's errors arrive as GraphError, everything else here came from
 * the People API (or the network on the way to it). Mail ran first with the
 * same service account, so a scope refusal here is the contacts scope alone:
 * it must not put the connection in Error (AUTH_TOKEN_EXPIRED would stop
 * every user's mail).
 */
export function contactsServiceFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof GraphError) return graphFailure(err);
  const failure = classifyGoogleError(err);
  if (failure.kind === 'auth' && failure.reason !== undefined && scopeRefusals.has(failure.reason)) {
    return ApplicationFailure.create({
      type: UserErrorCode.ScopeNotAuthorized,
      message: `Google refused the scope contacts need (${contactsScopes.join(', ')}) for the sync's service account: add it to the client ID's domain-wide delegation, or take contacts out of the policy. Mail is not affected.`,
      nonRetryable: true,
      details: [{ service: 'google-workspace', ...failure }],
    });
  }
  return googleFailure(err);
}
