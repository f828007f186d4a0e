import type { z } from '@hono/zod-openapi';
import { CredentialsDecryptionError, type ConnectionView, type GoogleWorkspaceCredentials, type Microsoft365Credentials, type Store, type StoredError } from '../../store/index.js';
import { API_ACTOR } from '../actor.js';
import { ApiProblem, type ServiceErrorDetails } from '../problem.js';
import type { CredentialsBody } from '../schemas/connections.js';
import { probeConnection, type MissingPermission, type ProbeResult, type ProbeTarget } from './connection-probe.js';
import type { UserWorkflows } from './user-workflows.js';

export interface ConnectionTestOutcome {
  ok: boolean;
  /** Why the test failed, in the product's words, with the service's own error in details. */
  error: StoredError | null;
  connection: ConnectionView;
  signalledUsers: number;
  /** Microsoft 365: application permissions the sync can use that the token lacks (the test still passes). */
  missingPermissions: MissingPermission[];
}

/** Faults that pass: they say nothing about the credentials or the settings. */
const transientKinds: ReadonlySet<string> = new Set(['throttled', 'unavailable']);

const serviceNames = { microsoft365: 'Microsoft 365', 'google-workspace': 'Google Workspace' } as const;

/** The product's code for a failed test (spec: connection-scope errors), and a sentence saying what to do. */
export function describeFailure(failure: ServiceErrorDetails): { code: string; message: string } {
  const service = serviceNames[failure.service];
  switch (failure.kind) {
    // The test impersonates the connection's own admin: a refusal of that user is the connection's.
    case 'accountRefused':
    case 'auth':
      return { code: 'AUTH_TOKEN_EXPIRED', message: `${service} refused the credentials (${failure.message}). Update the credentials and test again.` };
    case 'throttled':
      return { code: 'RATE_LIMITED', message: `${service} is throttling requests right now (${failure.message}); test again in a few minutes.` };
    case 'unavailable':
      return { code: 'CONNECTION_UNAVAILABLE', message: `${service} could not be reached (${failure.message}). Check the service's status and the connection's URLs.` };
    default:
      return { code: 'CONNECTION_TEST_FAILED', message: `${service} refused the test (${failure.message}). Check the connection's settings.` };
  }
}

/**
 * Test connection and credential rotation. New credentials are tried with
 * the connection's current settings before they replace anything; once
 * stored, every user workflow of every policy using the connection hears of
 * it, so users held up by expired credentials resume at once.
 */
export class ConnectionService {
  constructor(
    private readonly store: Store,
    private readonly workflows: UserWorkflows,
    private readonly probe: (target: ProbeTarget) => Promise<ProbeResult> = probeConnection,
  ) {}

  async test(id: string): Promise<ConnectionTestOutcome> {
    const before = await this.requireConnection(id);
    const result = await this.probeStored(before);
    if (!result.ok) {
      const { code, message } = describeFailure(result.failure);
      const error: StoredError = { code, message, at: new Date(), details: { serviceError: result.failure } };
      const transient = transientKinds.has(result.failure.kind);
      // A connection in Error holds every user's cycle back, so a throttled or unreachable service leaves the status as it was.
      const connection = transient ? before : await this.store.connections.recordTestResult(id, { ok: false, error });
      await this.audit(connection, transient ? 'Warning' : 'Error', 'CONNECTION_TEST_FAILED', `Test connection failed for "${connection.name}": ${message}`, { serviceError: result.failure });
      return { ok: false, error, connection, signalledUsers: 0, missingPermissions: [] };
    }
    const connection = await this.store.connections.recordTestResult(id, { ok: true });
    const missingPermissions = result.missingPermissions ?? [];
    const lacking = missingPermissions.map((missing) => `${missing.permission} (${missing.neededFor})`).join(', ');
    await this.audit(
      connection,
      missingPermissions.length > 0 ? 'Warning' : 'Info',
      'CONNECTION_TESTED',
      missingPermissions.length > 0
        ? `Test connection succeeded for "${connection.name}", but the app registration lacks the Microsoft Graph application permissions ${lacking}: grant them with admin consent, or keep those data types out of its policies.`
        : `Test connection succeeded for "${connection.name}".`,
      missingPermissions.length > 0 ? { missingPermissions } : {},
    );
    // Fixed outside this product (a permission granted again, say): the waiting users need not wait for their next cycle.
    const signalledUsers = before.status === 'Error' ? await this.tellUsers(id) : 0;
    return { ok: true, error: null, connection, signalledUsers, missingPermissions };
  }

  async replaceCredentials(id: string, body: z.infer<typeof CredentialsBody>): Promise<{ connection: ConnectionView; signalledUsers: number }> {
    const current = await this.requireConnection(id);
    const target = credentialsFor(current, body);
    const result = await this.probe(target);
    if (!result.ok) {
      const { message } = describeFailure(result.failure);
      await this.audit(current, 'Warning', 'CREDENTIALS_REJECTED', `New credentials for "${current.name}" were not saved because the test failed: ${message} The stored credentials are unchanged.`, {
        serviceError: result.failure,
      });
      throw new ApiProblem(422, 'CREDENTIALS_TEST_FAILED', `The new credentials were not saved: ${message}`, { serviceError: result.failure });
    }
    await this.store.connections.replaceCredentials(id, target.credentials);
    const connection = await this.store.connections.recordTestResult(id, { ok: true });
    await this.audit(connection, 'Info', 'CREDENTIALS_UPDATED', `The credentials of "${connection.name}" were replaced after a successful test.`);
    return { connection, signalledUsers: await this.tellUsers(id) };
  }

  private async requireConnection(id: string): Promise<ConnectionView> {
    const connection = await this.store.connections.get(id);
    if (!connection) throw new ApiProblem(404, 'NOT_FOUND', `No connection has the id ${id}.`);
    return connection;
  }

  private async probeStored(connection: ConnectionView): Promise<ProbeResult> {
    try {
      return await this.probe(await this.store.connections.readCredentials(connection.id));
    } catch (err) {
      if (!(err instanceof CredentialsDecryptionError)) throw err;
      return {
        ok: false,
        failure: { service: connection.kind, kind: 'auth', code: err.code, message: `the stored credentials cannot be decrypted with this server's encryption key: ${err.message}` },
      };
    }
  }

  /** Every user of every policy using the connection; Excluded users' workflows have ended. */
  private async tellUsers(connectionId: string): Promise<number> {
    const users = await this.store.syncUsers.listByConnection(connectionId);
    const workflowIds = users.filter((user) => user.status !== 'Excluded').map((user) => user.workflowId);
    return this.workflows.sendToEach(workflowIds, { name: 'credentialsUpdated', connectionId });
  }

  private async audit(connection: ConnectionView, severity: 'Info' | 'Warning' | 'Error', code: string, message: string, details: Record<string, unknown> = {}): Promise<void> {
    await this.store.audit.write({ severity, category: 'connection', code, message, actor: API_ACTOR, connectionId: connection.id, details });
  }
}

/** The body's credentials for the connection's kind, checked against its settings. */
function credentialsFor(connection: ConnectionView, body: z.infer<typeof CredentialsBody>): ProbeTarget {
  const service = serviceNames[connection.kind];
  if (connection.kind === 'microsoft365') {
    if (body.clientSecret === undefined) {
      throw new ApiProblem(400, 'CREDENTIALS_KIND_MISMATCH', `This is a ${service} connection: send {"clientSecret": "..."}.`, {
        errors: [{ path: 'body.clientSecret', message: 'is required for a Microsoft 365 connection' }],
      });
    }
    const credentials: Microsoft365Credentials = { clientSecret: body.clientSecret };
    return { kind: 'microsoft365', settings: connection.settings, credentials };
  }
  if (body.serviceAccountKey === undefined) {
    throw new ApiProblem(400, 'CREDENTIALS_KIND_MISMATCH', `This is a ${service} connection: send {"serviceAccountKey": <the JSON key file>}.`, {
      errors: [{ path: 'body.serviceAccountKey', message: 'is required for a Google Workspace connection' }],
    });
  }
  const key = body.serviceAccountKey;
  if (key.client_email.toLowerCase() !== connection.settings.serviceAccountEmail.toLowerCase()) {
    throw new ApiProblem(
      400,
      'CREDENTIALS_MISMATCH',
      `The key belongs to ${key.client_email}, but this connection uses ${connection.settings.serviceAccountEmail}; create the key for that service account.`,
      {
        errors: [{ path: 'body.serviceAccountKey.client_email', message: `must be ${connection.settings.serviceAccountEmail}` }],
      },
    );
  }
  const credentials: GoogleWorkspaceCredentials = { serviceAccountKey: { ...key } };
  return { kind: 'google-workspace', settings: connection.settings, credentials };
}
