import { randomUUID } from 'node:crypto';
import { ConnectionSchema, PolicySchema, type ConnectionEntity } from '../entities/index.js';
import { StoreConflictError, StoreNotFoundError } from '../errors.js';
import type { StoredError } from '../vocabulary.js';
import {
  validateConnectionName,
  validateCredentials,
  validateKind,
  validateSettings,
  type GoogleWorkspaceCredentials,
  type GoogleWorkspaceSettings,
  type Microsoft365Credentials,
  type Microsoft365Settings,
  type NewConnection,
} from './connection-input.js';
import { affectedRows, forkEm, fromStoredErrorJson, isForeignKeyViolation, isUuid, toStoredErrorJson, type StoreContext } from './support.js';

/** What every kind shares: the row without its kind, settings and credentials, its last error read back from JSON. */
interface ConnectionViewBase extends Pick<ConnectionEntity, 'id' | 'name' | 'status' | 'lastTestedAt' | 'createdAt' | 'updatedAt'> {
  lastError: StoredError | null;
}

/** A connection as the API and the workflows see it: never its credentials. */
export type ConnectionView = (ConnectionViewBase & { kind: 'microsoft365'; settings: Microsoft365Settings }) | (ConnectionViewBase & { kind: 'google-workspace'; settings: GoogleWorkspaceSettings });

/** Settings and decrypted credentials together: what an activity needs to build its client. For activities only. */
export type ConnectionSecrets =
  | { id: string; kind: 'microsoft365'; settings: Microsoft365Settings; credentials: Microsoft365Credentials }
  | { id: string; kind: 'google-workspace'; settings: GoogleWorkspaceSettings; credentials: GoogleWorkspaceCredentials };

export interface ConnectionPatch {
  name?: string;
  /** Replaces the settings as a whole (validated for the connection's kind). */
  settings?: Microsoft365Settings | GoogleWorkspaceSettings;
}

export type ConnectionTestResult = { ok: true } | { ok: false; error: Omit<StoredError, 'at'> & { at?: Date } };

export interface ConnectionsRepository {
  create(input: NewConnection): Promise<ConnectionView>;
  get(id: string): Promise<ConnectionView | null>;
  /** Several at once, in one query (a user's source and target); unknown ids are absent from the map. */
  getMany(ids: string[]): Promise<Map<string, ConnectionView>>;
  /** Every connection, by name (there are a handful). */
  list(): Promise<ConnectionView[]>;
  update(id: string, patch: ConnectionPatch): Promise<ConnectionView>;
  /** New credentials make the connection 'NotTested' again (lastError cleared). */
  replaceCredentials(id: string, credentials: Microsoft365Credentials | GoogleWorkspaceCredentials): Promise<ConnectionView>;
  /** Decrypted; for activities only, never for API responses or logs. */
  readCredentials(id: string): Promise<ConnectionSecrets>;
  /** Status Active or Error with lastError, and lastTestedAt = now. */
  recordTestResult(id: string, result: ConnectionTestResult): Promise<ConnectionView>;
  /**
   * Marks the connection in Error. True only for the one call that changed the
   * status, however many run concurrently: that caller writes the audit entry.
   * lastError always takes the newest error.
   */
  markError(id: string, error: Omit<StoredError, 'at'> & { at?: Date }): Promise<boolean>;
  /** Back to Active after an error (e.g. a cycle succeeded). True only for the call that changed the status. */
  markActive(id: string): Promise<boolean>;
  /**
   * markActive for those of these connections that are in Error, found in one
   * query (none, nearly always): the ids this call brought back to Active.
   */
  recoverFromError(ids: string[]): Promise<string[]>;
  /** False when it did not exist. Refused (CONNECTION_IN_USE) while a policy uses it. */
  delete(id: string): Promise<boolean>;
}

export function createConnectionsRepository(context: StoreContext): ConnectionsRepository {
  const credentialsContext = (id: string) => `connection ${id}`;

  async function findEntity(id: string): Promise<ConnectionEntity | null> {
    if (!isUuid(id)) return null;
    return forkEm(context).findOne(ConnectionSchema, { id });
  }

  async function getOrThrow(id: string): Promise<ConnectionView> {
    const entity = await findEntity(id);
    if (!entity) throw new StoreNotFoundError('Connection', id);
    return toView(entity);
  }

  async function markActive(id: string): Promise<boolean> {
    if (!isUuid(id)) throw new StoreNotFoundError('Connection', id);
    const em = forkEm(context);
    const changed = affectedRows(await em.nativeUpdate(ConnectionSchema, { id, status: 'Error' }, { status: 'Active', lastError: null, updatedAt: new Date() }));
    if (changed === 0 && (await em.count(ConnectionSchema, { id })) === 0) throw new StoreNotFoundError('Connection', id);
    return changed > 0;
  }

  return {
    async create(input) {
      const kind = validateKind(input.kind);
      const name = validateConnectionName(input.name);
      const settings = validateSettings(kind, input.settings);
      const credentials = validateCredentials(kind, input.credentials);
      const id = randomUUID();
      const now = new Date();
      await forkEm(context).insert(ConnectionSchema, {
        id,
        kind,
        name,
        settings: { ...settings },
        credentialsCiphertext: context.cipher.encrypt(JSON.stringify(credentials), credentialsContext(id)),
        status: 'NotTested',
        lastError: null,
        lastTestedAt: null,
        createdAt: now,
        updatedAt: now,
      });
      return getOrThrow(id);
    },

    async get(id) {
      const entity = await findEntity(id);
      return entity ? toView(entity) : null;
    },

    async getMany(ids) {
      const valid = [...new Set(ids.filter(isUuid))];
      if (valid.length === 0) return new Map();
      const rows = await forkEm(context).find(ConnectionSchema, { id: { $in: valid } });
      return new Map(rows.map((row) => [row.id, toView(row)]));
    },

    async list() {
      const rows = await forkEm(context).find(ConnectionSchema, {}, { orderBy: { name: 'asc', id: 'asc' } });
      return rows.map(toView);
    },

    async update(id, patch) {
      const entity = await findEntity(id);
      if (!entity) throw new StoreNotFoundError('Connection', id);
      const changes: Partial<ConnectionEntity> = { updatedAt: new Date() };
      if (patch.name !== undefined) changes.name = validateConnectionName(patch.name);
      if (patch.settings !== undefined) changes.settings = { ...validateSettings(entity.kind, patch.settings) };
      await forkEm(context).nativeUpdate(ConnectionSchema, { id }, changes);
      return getOrThrow(id);
    },

    async replaceCredentials(id, credentials) {
      const entity = await findEntity(id);
      if (!entity) throw new StoreNotFoundError('Connection', id);
      const clean = validateCredentials(entity.kind, credentials);
      await forkEm(context).nativeUpdate(
        ConnectionSchema,
        { id },
        {
          credentialsCiphertext: context.cipher.encrypt(JSON.stringify(clean), credentialsContext(id)),
          status: 'NotTested',
          lastError: null,
          updatedAt: new Date(),
        },
      );
      return getOrThrow(id);
    },

    async readCredentials(id) {
      if (!isUuid(id)) throw new StoreNotFoundError('Connection', id);
      const entity = await forkEm(context).findOne(ConnectionSchema, { id }, { populate: ['credentialsCiphertext'] });
      if (!entity) throw new StoreNotFoundError('Connection', id);
      const plaintext = context.cipher.decrypt(entity.credentialsCiphertext, credentialsContext(id));
      return entity.kind === 'microsoft365'
        ? { id, kind: entity.kind, settings: entity.settings as Microsoft365Settings, credentials: JSON.parse(plaintext) as Microsoft365Credentials }
        : { id, kind: entity.kind, settings: entity.settings as GoogleWorkspaceSettings, credentials: JSON.parse(plaintext) as GoogleWorkspaceCredentials };
    },

    async recordTestResult(id, result) {
      const now = new Date();
      const changes: Partial<ConnectionEntity> = result.ok
        ? { status: 'Active', lastError: null, lastTestedAt: now, updatedAt: now }
        : { status: 'Error', lastError: toStoredErrorJson({ ...result.error, at: result.error.at ?? now }), lastTestedAt: now, updatedAt: now };
      const updated = isUuid(id) ? affectedRows(await forkEm(context).nativeUpdate(ConnectionSchema, { id }, changes)) : 0;
      if (updated === 0) throw new StoreNotFoundError('Connection', id);
      return getOrThrow(id);
    },

    async markError(id, error) {
      if (!isUuid(id)) throw new StoreNotFoundError('Connection', id);
      const now = new Date();
      const lastError = toStoredErrorJson({ ...error, at: error.at ?? now });
      const em = forkEm(context);
      // The status condition makes the change atomic: exactly one concurrent caller sees it.
      const changed = affectedRows(await em.nativeUpdate(ConnectionSchema, { id, status: { $ne: 'Error' } }, { status: 'Error', lastError, updatedAt: now }));
      if (changed > 0) return true;
      const existing = affectedRows(await em.nativeUpdate(ConnectionSchema, { id }, { lastError, updatedAt: now }));
      if (existing === 0) throw new StoreNotFoundError('Connection', id);
      return false;
    },

    markActive,

    async recoverFromError(ids) {
      const valid = [...new Set(ids.filter(isUuid))];
      if (valid.length === 0) return [];
      const inError = await forkEm(context).find(ConnectionSchema, { id: { $in: valid }, status: 'Error' }, { fields: ['id'] });
      const recovered: string[] = [];
      for (const { id } of inError) if (await markActive(id)) recovered.push(id);
      return recovered;
    },

    async delete(id) {
      if (!isUuid(id)) return false;
      const em = forkEm(context);
      const policies = await em.count(PolicySchema, { $or: [{ sourceConnectionId: id }, { targetConnectionId: id }] });
      if (policies > 0) throw connectionInUse(policies);
      try {
        return affectedRows(await em.nativeDelete(ConnectionSchema, { id })) > 0;
      } catch (error) {
        // A policy created between the count and the delete.
        if (isForeignKeyViolation(error)) throw connectionInUse(1);
        throw error;
      }
    },
  };
}

function connectionInUse(policies: number): StoreConflictError {
  return new StoreConflictError('CONNECTION_IN_USE', `This connection is used by ${policies} ${policies === 1 ? 'policy' : 'policies'}; delete or change those policies first.`);
}

function toView(entity: ConnectionEntity): ConnectionView {
  const base: ConnectionViewBase = {
    id: entity.id,
    name: entity.name,
    status: entity.status,
    lastError: fromStoredErrorJson(entity.lastError),
    lastTestedAt: entity.lastTestedAt ?? null,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
  return entity.kind === 'microsoft365'
    ? { ...base, kind: entity.kind, settings: { ...(entity.settings as Microsoft365Settings) } }
    : { ...base, kind: entity.kind, settings: { ...(entity.settings as GoogleWorkspaceSettings) } };
}
