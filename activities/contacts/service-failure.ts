import { ApplicationFailure } from '@temporalio/activity';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { googleFailure, graphFailure } from '../failures.js';

/**
 * A failure that stops the page or the discovery, as the workflow decides on
 * it: Graph's errors arrive as GraphError, everything else here came from
 * the People API (or the network on the way to it).
 */
export function contactsServiceFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  return err instanceof GraphError ? graphFailure(err) : googleFailure(err);
}
