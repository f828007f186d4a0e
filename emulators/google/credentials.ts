import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import type { ServiceAccountSeed } from './options.js';
import { createServiceAccountKey, newNumericClientId, type ServiceAccountKeyJson } from './service-account-key.js';

export interface ServiceAccountKeyRecord {
  keyId: string;
  publicKeyPem: string;
  /** revoked: the control API disabled it; deleted: replaced by a rotation. */
  state: 'active' | 'revoked' | 'deleted';
}

export interface ServiceAccountRecord {
  clientEmail: string;
  clientId: string;
  projectId: string;
  /** Scopes the tenant authorized for this client id (domain-wide delegation). */
  dwdScopes: string[];
  keys: ServiceAccountKeyRecord[];
  /** The latest key the emulator generated, private half included, to hand to the sync in demos and tests. */
  generatedKey?: ServiceAccountKeyJson;
}

export interface AccessGrant {
  clientEmail: string;
  projectId: string;
  /** The impersonated user (`sub`), or null for the service account acting as itself. */
  subject: string | null;
  scopes: ReadonlySet<string>;
  expiresAt: number;
  revoked: boolean;
}

export interface ServiceAccountInfo {
  clientEmail: string;
  clientId: string;
  projectId: string;
  dwdScopes: string[];
  activeKeyIds: string[];
}

const tokenSweepThreshold = 20_000;

export class CredentialStore {
  private readonly accounts = new Map<string, ServiceAccountRecord>();
  private readonly tokens = new Map<string, AccessGrant>();
  private readonly publicKeys = new Map<string, KeyObject>();

  constructor(private readonly onChange: () => void) {}

  list(): ServiceAccountRecord[] {
    return [...this.accounts.values()];
  }

  info(record: ServiceAccountRecord): ServiceAccountInfo {
    return {
      clientEmail: record.clientEmail,
      clientId: record.clientId,
      projectId: record.projectId,
      dwdScopes: [...record.dwdScopes],
      activeKeyIds: record.keys.filter((key) => key.state === 'active').map((key) => key.keyId),
    };
  }

  find(clientEmail: string): ServiceAccountRecord | undefined {
    return this.accounts.get(clientEmail.toLowerCase());
  }

  /** The named service account, or the first one when no name is given (control API default). */
  resolve(clientEmail: string | undefined): ServiceAccountRecord | undefined {
    return clientEmail === undefined ? this.accounts.values().next().value : this.find(clientEmail);
  }

  add(seed: ServiceAccountSeed): ServiceAccountRecord {
    const clientId = seed.clientId ?? newNumericClientId();
    const record: ServiceAccountRecord = {
      clientEmail: seed.clientEmail.toLowerCase(),
      clientId,
      projectId: seed.projectId,
      dwdScopes: [...(seed.dwdScopes ?? [])],
      keys: [],
    };
    if (seed.publicKeyPem) {
      record.keys.push({ keyId: seed.keyId ?? randomBytes(20).toString('hex'), publicKeyPem: seed.publicKeyPem, state: 'active' });
    } else {
      this.addGeneratedKey(record);
    }
    this.accounts.set(record.clientEmail, record);
    this.onChange();
    return record;
  }

  activeKeys(record: ServiceAccountRecord): Array<{ keyId: string; key: KeyObject }> {
    return record.keys
      .filter((key) => key.state === 'active')
      .map((key) => {
        let publicKey = this.publicKeys.get(key.keyId);
        if (!publicKey) {
          publicKey = createPublicKey(key.publicKeyPem);
          this.publicKeys.set(key.keyId, publicKey);
        }
        return { keyId: key.keyId, key: publicKey };
      });
  }

  issueToken(record: ServiceAccountRecord, subject: string | null, scopes: string[], lifetimeSeconds: number, now: number): string {
    if (this.tokens.size >= tokenSweepThreshold) this.sweep(now);
    const token = `ya29.${randomBytes(36).toString('base64url')}`;
    this.tokens.set(token, {
      clientEmail: record.clientEmail,
      projectId: record.projectId,
      subject,
      scopes: new Set(scopes),
      expiresAt: now + lifetimeSeconds * 1000,
      revoked: false,
    });
    return token;
  }

  /** The grant behind a bearer token, if it is still good. */
  grantFor(token: string, now: number): AccessGrant | undefined {
    const grant = this.tokens.get(token);
    if (!grant || grant.revoked || grant.expiresAt <= now) return undefined;
    return grant;
  }

  /** The key stops working for new tokens, and the tokens it issued stop working. */
  revoke(record: ServiceAccountRecord): void {
    for (const key of record.keys) if (key.state === 'active') key.state = 'revoked';
    for (const grant of this.tokens.values()) if (grant.clientEmail === record.clientEmail) grant.revoked = true;
    this.onChange();
  }

  /**
   * A new key replaces the old ones. Access tokens already issued keep working
   * until they expire, as with a deleted key on Google's side.
   */
  rotate(record: ServiceAccountRecord): ServiceAccountKeyJson {
    for (const key of record.keys) if (key.state !== 'deleted') key.state = 'deleted';
    const key = this.addGeneratedKey(record);
    this.onChange();
    return key;
  }

  expireTokens(): void {
    for (const grant of this.tokens.values()) grant.expiresAt = 0;
  }

  /** Takes over a service account known from a snapshot (keys included). */
  adopt(record: ServiceAccountRecord): void {
    this.accounts.set(record.clientEmail, { ...record, dwdScopes: [...record.dwdScopes], keys: record.keys.map((key) => ({ ...key })) });
    this.onChange();
  }

  /** Replaces every service account; issued tokens are forgotten. */
  restore(records: ServiceAccountRecord[]): void {
    this.accounts.clear();
    this.tokens.clear();
    for (const record of records) this.adopt(record);
  }

  private addGeneratedKey(record: ServiceAccountRecord): ServiceAccountKeyJson {
    const generated = createServiceAccountKey({ clientEmail: record.clientEmail, projectId: record.projectId, clientId: record.clientId });
    record.keys.push({ keyId: generated.key.private_key_id, publicKeyPem: generated.publicKeyPem, state: 'active' });
    record.generatedKey = generated.key;
    return generated.key;
  }

  private sweep(now: number): void {
    for (const [token, grant] of this.tokens) if (grant.revoked || grant.expiresAt <= now) this.tokens.delete(token);
  }
}
