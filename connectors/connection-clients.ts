import type { Store } from '../store/index.js';
import { createGoogleClients, type GoogleClients, type ServiceAccountKeyJson } from './google/google-clients.js';
import { createGraphClient, type GraphConnection } from './microsoft365/graph-client.js';

export interface GoogleConnection {
  clients: GoogleClients;
  domain: string;
}

interface Cached<T> {
  version: string;
  value: T;
}

/**
 * Builds the Graph and Google clients of a connection from its stored
 * settings and decrypted credentials, once per credentials version: tokens
 * are cached inside the clients, and rotated credentials build new ones.
 */
export class ConnectionClients {
  private readonly graphCache = new Map<string, Cached<GraphConnection>>();
  private readonly googleCache = new Map<string, Cached<GoogleConnection>>();

  constructor(private readonly store: Store) {}

  private async version(connectionId: string): Promise<string> {
    const view = await this.store.connections.get(connectionId);
    if (!view) throw missing(connectionId);
    return view.updatedAt.toISOString();
  }

  async graph(connectionId: string, knownVersion?: string): Promise<GraphConnection> {
    const version = knownVersion ?? (await this.version(connectionId));
    const cached = this.graphCache.get(connectionId);
    if (cached?.version === version) return cached.value;
    const secrets = await this.store.connections.readCredentials(connectionId);
    if (secrets.kind !== 'microsoft365') throw new Error(`Connection ${connectionId} is not a Microsoft 365 connection.`);
    const value = createGraphClient({ ...secrets.settings, clientSecret: secrets.credentials.clientSecret });
    this.graphCache.set(connectionId, { version, value });
    return value;
  }

  async google(connectionId: string, knownVersion?: string): Promise<GoogleConnection> {
    const version = knownVersion ?? (await this.version(connectionId));
    const cached = this.googleCache.get(connectionId);
    if (cached?.version === version) return cached.value;
    const secrets = await this.store.connections.readCredentials(connectionId);
    if (secrets.kind !== 'google-workspace') throw new Error(`Connection ${connectionId} is not a Google Workspace connection.`);
    const clients = createGoogleClients({
      serviceAccountKey: secrets.credentials.serviceAccountKey as unknown as ServiceAccountKeyJson,
      adminSubject: secrets.settings.adminSubject,
      apiBaseUrl: secrets.settings.apiBaseUrl,
    });
    const value = { clients, domain: secrets.settings.domain };
    this.googleCache.set(connectionId, { version, value });
    return value;
  }

  /** A user's two connections, checked for new credentials in one query (every mail activity does this). */
  async pair(sourceConnectionId: string, targetConnectionId: string): Promise<{ graph: GraphConnection; google: GoogleConnection }> {
    const views = await this.store.connections.getMany([sourceConnectionId, targetConnectionId]);
    const versionOf = (id: string) => {
      const view = views.get(id);
      if (!view) throw missing(id);
      return view.updatedAt.toISOString();
    };
    return { graph: await this.graph(sourceConnectionId, versionOf(sourceConnectionId)), google: await this.google(targetConnectionId, versionOf(targetConnectionId)) };
  }
}

const missing = (connectionId: string) => new Error(`Connection ${connectionId} does not exist; the policy refers to a deleted connection.`);
