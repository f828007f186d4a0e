import { ApplicationFailure } from '@temporalio/activity';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { UserErrorCode } from '../../shared/vocabulary.js';
import type { SyncableDataType } from '../../shared/data-types.js';
import type { GraphConnection } from '../../connectors/microsoft365/graph-client.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { dataTypePermissions, grantsAny, tokenGrants } from '../../connectors/microsoft365/graph-permissions.js';

/**
 * Graph answers 403 ErrorAccessDenied both to a mailbox an application
 * access policy leaves out ("Access to OData is disabled.") and to an app
 * registration without the application permission a resource needs
 * ("Access is denied. Check credentials and try again."). Decisions are not
 * made on the wording: the sync's own token says which it is. When the token
 * lacks every permission that grants the data type, the refusal is
 * PERMISSION_NOT_GRANTED, naming the permission; when it carries one, it
 * stays MAILBOX_ACCESS_DENIED.
 */
export interface GraphPermissionSettings {
  /**
   * Admin consent given since a token was issued shows only in a newer token. A refusal judged on a
   * token older than this asks for a new one first, so consent takes effect at the next cycle, and
   * a tenant that keeps refusing costs at most one extra token request per this interval.
   */
  tokenRecheckAfterMs: number;
}

export const defaultGraphPermissionSettings: GraphPermissionSettings = { tokenRecheckAfterMs: 60_000 };

/** Graph's 403 ErrorAccessDenied inside what an activity threw (classified already, or raw), as its details. */
function accessDeniedIn(err: unknown): Record<string, unknown> | null {
  if (err instanceof ApplicationFailure) {
    const details = err.details?.[0] as Record<string, unknown> | undefined;
    return err.type === UserErrorCode.MailboxAccessDenied && details?.service === 'microsoft365' && details.kind === 'mailboxAccessDenied' ? details : null;
  }
  if (!(err instanceof GraphError)) return null;
  const failure = classifyGraphError(err);
  return failure.kind === 'mailboxAccessDenied' ? { service: 'microsoft365', ...failure } : null;
}

const typeWords: Record<SyncableDataType, string> = { mail: 'mail', contacts: 'contacts', calendar: 'calendar' };

/**
 * The failure a data type's activity should end with when Graph refused it for want of an
 * application permission; null for any other error, or when the token does carry the permission.
 */
export async function graphPermissionRefusal(graph: GraphConnection, err: unknown, dataType: SyncableDataType, settings: GraphPermissionSettings): Promise<ApplicationFailure | null> {
  const denied = accessDeniedIn(err);
  if (!denied) return null;
  const permission = dataTypePermissions[dataType];
  let grants = tokenGrants(await graph.acquireToken());
  if (grantsAny(grants.roles, permission.grantedBy)) return null;
  const age = grants.issuedAtMs === null ? Infinity : Date.now() - grants.issuedAtMs;
  if (age > settings.tokenRecheckAfterMs) {
    grants = tokenGrants(await graph.acquireToken({ forceRefresh: true }));
    if (grantsAny(grants.roles, permission.grantedBy)) {
      // Consent was given after the refused token was issued: the retry goes out with the new one.
      return ApplicationFailure.create({
        type: UserErrorCode.MailboxAccessDenied,
        message: `Microsoft 365 refused ${typeWords[dataType]} with a token issued before ${permission.needs} was granted; retrying with a new token.`,
        details: [denied],
      });
    }
  }
  const words = typeWords[dataType];
  return ApplicationFailure.create({
    type: UserErrorCode.PermissionNotGranted,
    message: `The Microsoft 365 app registration lacks the Microsoft Graph application permission ${permission.needs} that ${words} needs: add it under API permissions in the Entra admin center and grant admin consent, or take ${words} out of the policy. The connection is not affected.`,
    nonRetryable: true,
    details: [{ ...denied, dataType, missingPermission: permission.needs, tokenRoles: grants.roles }],
  });
}

/** Runs a data type's activity; Graph's refusal for a missing application permission ends it as PERMISSION_NOT_GRANTED. */
export async function withGraphPermission<T>(deps: { graph: () => Promise<GraphConnection>; settings: GraphPermissionSettings }, dataType: SyncableDataType, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!accessDeniedIn(err)) throw err;
    // Reading the token must not hide the refusal: if it fails, the original error stands.
    const refusal = await deps
      .graph()
      .then((graph) => graphPermissionRefusal(graph, err, dataType, deps.settings))
      .catch(() => null);
    throw refusal ?? err;
  }
}
