import { classifyGoogleError } from '../../connectors/google/google-errors.js';
import { createGoogleClients, type ServiceAccountKeyJson } from '../../connectors/google/google-clients.js';
import { classifyGraphError } from '../../connectors/microsoft365/graph-errors.js';
import { createGraphClient } from '../../connectors/microsoft365/graph-client.js';
import { dataTypePermissions, directoryPermissions, grantsAny, tokenGrants } from '../../connectors/microsoft365/graph-permissions.js';
import { SYNCABLE_DATA_TYPES } from '../../shared/data-types.js';
import type { GoogleWorkspaceCredentials, GoogleWorkspaceSettings, Microsoft365Credentials, Microsoft365Settings } from '../../store/index.js';
import type { ServiceErrorDetails } from '../problem.js';

/** An application permission the sync needs that the Microsoft 365 app registration was not granted, and what needs it. */
export interface MissingPermission {
  permission: string;
  /** 'directory' for the connection itself, else the data type (mail, contacts, calendar). */
  neededFor: string;
}

/** A Microsoft 365 test also lists the permissions its token lacks (empty for Google, and when none is missing). */
export type ProbeResult = { ok: true; missingPermissions?: MissingPermission[] } | { ok: false; failure: ServiceErrorDetails };

/** A connection's settings with the credentials to try, which may not be the stored ones yet. */
export type ProbeTarget =
  | { kind: 'microsoft365'; settings: Microsoft365Settings; credentials: Microsoft365Credentials }
  | { kind: 'google-workspace'; settings: GoogleWorkspaceSettings; credentials: GoogleWorkspaceCredentials };

/** A service that never answers must not hold an administrator's request forever. */
const PROBE_TIMEOUT_MS = 30_000;

/**
 * Proves credentials work: a real token request plus one cheap call, with
 * fresh clients (nothing cached from earlier credentials). Microsoft 365:
 * a client-credentials token, then GET /users?$top=1. Google Workspace: a
 * delegated token, the admin subject read from the Directory, and a
 * Gmail-scoped token (GoogleClients.testAccess).
 */
export async function probeConnection(target: ProbeTarget): Promise<ProbeResult> {
  const attempt = target.kind === 'microsoft365' ? probeMicrosoft365(target) : probeGoogleWorkspace(target);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          failure: { service: target.kind, kind: 'unavailable', message: `The service did not answer within ${PROBE_TIMEOUT_MS / 1000} seconds.` },
        }),
      PROBE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function probeMicrosoft365(target: Extract<ProbeTarget, { kind: 'microsoft365' }>): Promise<ProbeResult> {
  try {
    const graph = createGraphClient({ ...target.settings, clientSecret: target.credentials.clientSecret });
    const token = await graph.acquireToken({ forceRefresh: true });
    await graph.client.api('/users').top(1).select('id').get();
    return { ok: true, missingPermissions: permissionsLacking(tokenGrants(token).roles) };
  } catch (err) {
    const failure = classifyGraphError(err);
    return { ok: false, failure: withoutUndefined({ service: 'microsoft365', kind: failure.kind, status: failure.status, code: failure.code, message: failure.message }) };
  }
}

/**
 * What the token's roles claim lacks of what the sync can use: free, the
 * token is already in hand. A policy may not sync every type, so a missing
 * data type permission is reported, not failed on (the users of that type
 * then fail as PERMISSION_NOT_GRANTED).
 */
function permissionsLacking(roles: readonly string[]): MissingPermission[] {
  const directory = directoryPermissions.filter((permission) => !grantsAny(roles, permission.grantedBy)).map((permission) => ({ permission: permission.needs, neededFor: 'directory' }));
  const types = SYNCABLE_DATA_TYPES.filter((type) => !grantsAny(roles, dataTypePermissions[type].grantedBy)).map((type) => ({ permission: dataTypePermissions[type].needs, neededFor: type }));
  return [...directory, ...types];
}

async function probeGoogleWorkspace(target: Extract<ProbeTarget, { kind: 'google-workspace' }>): Promise<ProbeResult> {
  try {
    const clients = createGoogleClients({
      serviceAccountKey: target.credentials.serviceAccountKey as unknown as ServiceAccountKeyJson,
      adminSubject: target.settings.adminSubject,
      ...(target.settings.apiBaseUrl ? { apiBaseUrl: target.settings.apiBaseUrl } : {}),
    });
    await clients.testAccess();
    return { ok: true };
  } catch (err) {
    const failure = classifyGoogleError(err);
    return { ok: false, failure: withoutUndefined({ service: 'google-workspace', kind: failure.kind, status: failure.status, code: failure.reason, message: failure.message }) };
  }
}

function withoutUndefined(details: ServiceErrorDetails): ServiceErrorDetails {
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined)) as unknown as ServiceErrorDetails;
}
