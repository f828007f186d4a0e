import { ApplicationFailure } from '@temporalio/activity';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { contactsScopes } from '../../connectors/google/google-clients.js';
import { googleFailure, googleScopeFailure, graphFailure } from '../failures.js';

/**
 * A failure that stops the page or the discovery, as the workflow decides on
 * it: Graph's errors arrive as GraphError, everything else here came from
 * the People API (or the network on the way to it), where a refused scope is
 * the contacts scope (googleScopeFailure).
 */
export function contactsServiceFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof GraphError) return graphFailure(err);
  return googleScopeFailure(err, 'contacts', contactsScopes) ?? googleFailure(err);
}
