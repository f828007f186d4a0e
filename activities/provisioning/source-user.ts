import type { ConnectionClients } from '../connections/clients.js';
import { graphFailure, userNotFound } from '../failures.js';
import { classifyGraphError } from '../microsoft365/graph-errors.js';
import { getSourceUser, type SourceUser } from '../microsoft365/mail-export.js';

/** The source user, or USER_NOT_FOUND when deleted or disabled in Microsoft 365. */
export async function assertSourceUserPresent(connections: ConnectionClients, input: { sourceConnectionId: string; sourceUserId: string }): Promise<SourceUser> {
  const graph = await connections.graph(input.sourceConnectionId);
  let user: SourceUser;
  try {
    user = await getSourceUser(graph, input.sourceUserId);
  } catch (err) {
    const failure = classifyGraphError(err);
    if (failure.kind === 'notFound') {
      throw userNotFound('The user no longer exists in Microsoft 365 (deleted). If that was intended there is nothing to do: the user is excluded on the next cycle.', { service: 'microsoft365', ...failure });
    }
    throw graphFailure(err);
  }
  if (user.accountEnabled === false) {
    throw userNotFound('The user is disabled in Microsoft 365 (sign-in blocked). If that was intended there is nothing to do: the user is excluded on the next cycle.', { service: 'microsoft365', accountEnabled: false });
  }
  return user;
}
