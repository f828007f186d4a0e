import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectionView, GoogleServiceAccountKey, OpenStoreOptions, PolicyView, Store } from '../../store/index.js';
import { openStoreForTest } from '../helpers/store.js';

/** A fresh directory under the run's DATA_DIR (or the OS temp dir). */
export function makeTempDir(prefix = 'store-'): string {
  return mkdtempSync(path.join(process.env.DATA_DIR ?? os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function randomEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

/** Opens stores in temp dirs (on the test's dialect) and closes / removes them all at the end of a file. */
export class StoreHarness {
  private readonly stores: Store[] = [];
  private readonly dirs: string[] = [];

  async open(options: Partial<OpenStoreOptions> = {}): Promise<Store> {
    let dataDir = options.dataDir;
    if (dataDir === undefined) {
      dataDir = makeTempDir();
      this.dirs.push(dataDir);
    }
    const store = await openStoreForTest({ ...options, dataDir });
    this.stores.push(store);
    return store;
  }

  track(store: Store): Store {
    this.stores.push(store);
    return store;
  }

  newDir(): string {
    const dir = makeTempDir();
    this.dirs.push(dir);
    return dir;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.stores.splice(0).map((store) => store.close()));
    for (const dir of this.dirs.splice(0)) removeDir(dir);
  }
}

/** A service-account key shaped like Google's, with a key pair generated now (nothing real is committed). */
export function testServiceAccountKey(clientEmail = 'sync@test-project.iam.gserviceaccount.com'): GoogleServiceAccountKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return {
    type: 'service_account',
    project_id: 'test-project',
    private_key_id: randomBytes(8).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: '1234567890',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
}

export interface SeededPolicy {
  source: ConnectionView;
  target: ConnectionView;
  policy: PolicyView;
}

let sequence = 0;

/** A Microsoft 365 source, a Google Workspace target and a policy between them. */
export async function seedPolicy(store: Store, overrides: { name?: string; storeSubjects?: boolean } = {}): Promise<SeededPolicy> {
  sequence += 1;
  const source = await store.connections.create({
    kind: 'microsoft365',
    name: `Contoso ${sequence}`,
    settings: { tenantId: 'tenant-id', clientId: 'client-id' },
    credentials: { clientSecret: `m365-secret-${randomBytes(6).toString('hex')}` },
  });
  const target = await store.connections.create({
    kind: 'google-workspace',
    name: `Example ${sequence}`,
    settings: { serviceAccountEmail: 'sync@test-project.iam.gserviceaccount.com', adminSubject: 'admin@example.com', domain: 'example.com' },
    credentials: { serviceAccountKey: testServiceAccountKey() },
  });
  const policy = await store.policies.create({
    name: overrides.name ?? `Policy ${sequence}`,
    sourceConnectionId: source.id,
    targetConnectionId: target.id,
    rules: { allUsers: true },
    targetDomain: 'example.com',
    storeSubjects: overrides.storeSubjects ?? false,
  });
  return { source, target, policy };
}

/** Selects a user under the policy; `n` makes the ids, emails and workflow id unique. */
export async function seedUser(store: Store, policyId: string, n: number | string, overrides: { email?: string; displayName?: string } = {}) {
  const email = overrides.email ?? `user${n}@contoso.com`;
  const { user } = await store.syncUsers.upsertSelected({
    policyId,
    sourceUserId: `source-${n}`,
    workflowId: `sync-user-${policyId}-${n}`,
    sourceEmail: email,
    targetEmail: email.replace('@contoso.com', '@example.com'),
    displayName: overrides.displayName ?? `User ${n}`,
  });
  return user;
}
