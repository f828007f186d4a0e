import { ApplicationFailure } from '@temporalio/activity';
import { UserErrorCode } from '../../shared/vocabulary.js';
import type { ConnectionClients } from '../../connectors/connection-clients.js';
import { graphFailure, userNotFound } from '../failures.js';
import type { GraphConnection } from '../../connectors/microsoft365/graph-client.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { getSourceUser, probeMailbox, type SourceUser } from '../microsoft365/mail-export.js';
import { defaultGraphPermissionSettings, graphPermissionRefusal } from '../microsoft365/permission-refusal.js';

/** The source user, or USER_NOT_FOUND when deleted or disabled in Microsoft 365. */
export async function assertSourceUserPresent(connections: ConnectionClients, input: { sourceConnectionId: string; sourceUserId: string }): Promise<SourceUser> {
  const graph = await connections.graph(input.sourceConnectionId);
  return readPresentUser(graph, input.sourceUserId);
}

async function readPresentUser(graph: GraphConnection, sourceUserId: string): Promise<SourceUser> {
  let user: SourceUser;
  try {
    user = await getSourceUser(graph, sourceUserId);
  } catch (err) {
    const failure = classifyGraphError(err);
    if (failure.kind === 'notFound') {
      throw userNotFound('The user no longer exists in Microsoft 365 (deleted). If that was intended there is nothing to do: the user is excluded on the next cycle.', {
        service: 'microsoft365',
        ...failure,
      });
    }
    throw graphFailure(err);
  }
  if (user.accountEnabled === false) {
    throw userNotFound('The user is disabled in Microsoft 365 (sign-in blocked). If that was intended there is nothing to do: the user is excluded on the next cycle.', {
      service: 'microsoft365',
      accountEnabled: false,
    });
  }
  return user;
}

/** A B2B guest: userType Guest, or the #EXT# mark Entra ID puts in a guest's userPrincipalName. */
export function isGuest(user: Pick<SourceUser, 'userType' | 'userPrincipalName'>): boolean {
  return user.userType?.toLowerCase() === 'guest' || user.userPrincipalName.toUpperCase().includes('#EXT#');
}

function noMailbox(message: string, details: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type: UserErrorCode.NoMailbox, message, nonRetryable: true, details: [details] });
}

/**
 * The source user, checked to have a mailbox of this tenant worth copying.
 * A guest's mail address is their own, external one (john@gmail.com): it is
 * never turned into an account of ours (john@<our domain> may be a colleague),
 * so guests and users Exchange Online has no mailbox for end as NO_MAILBOX
 * before anything is created in Google. A mailbox the app may not open
 * (application access policy) ends as MAILBOX_ACCESS_DENIED, an app without
 * Mail.Read as PERMISSION_NOT_GRANTED.
 */
export async function assertSourceMailbox(connections: ConnectionClients, input: { sourceConnectionId: string; sourceUserId: string }): Promise<SourceUser> {
  const graph = await connections.graph(input.sourceConnectionId);
  const user = await readPresentUser(graph, input.sourceUserId);
  if (isGuest(user)) {
    throw noMailbox('This user is a guest of the Microsoft 365 tenant (B2B): their mailbox lives elsewhere, so no Google account is created for them and nothing is copied.', {
      service: 'microsoft365',
      userType: user.userType ?? null,
    });
  }
  try {
    await probeMailbox(graph, input.sourceUserId);
  } catch (err) {
    const failure = classifyGraphError(err);
    if (failure.kind === 'noMailbox') {
      throw noMailbox('Exchange Online has no mailbox for this user (no Exchange licence, or hosted on-premises), so no Google account is created for them and nothing is copied.', {
        service: 'microsoft365',
        ...failure,
      });
    }
    // The inbox refused because the app lacks Mail.Read is no access policy's doing: PERMISSION_NOT_GRANTED.
    const refusal = await graphPermissionRefusal(graph, err, 'mail', defaultGraphPermissionSettings).catch(() => null);
    throw refusal ?? graphFailure(err);
  }
  return user;
}

/** Whether the user should still be synced: present, enabled, not a guest and with a mailbox. */
export async function checkSourceMailbox(connections: ConnectionClients, input: { sourceConnectionId: string; sourceUserId: string }): Promise<{ present: boolean; reason?: string }> {
  try {
    await assertSourceMailbox(connections, input);
    return { present: true };
  } catch (err) {
    if (err instanceof ApplicationFailure && (err.type === UserErrorCode.UserNotFound || err.type === UserErrorCode.NoMailbox)) return { present: false, reason: err.message };
    // Anything else (a refused mailbox, throttling) is for the cycle itself to meet and report with its code.
    if (err instanceof ApplicationFailure) return { present: true };
    throw err;
  }
}
