import { randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionSchema, PolicySchema, SyncUserSchema } from '../../store/entities/index.js';
import { createCredentialCipher } from '../../store/encryption.js';
import { migrationsList } from '../../store/migrations/index.js';
import { buildOrmOptions, resolveDatabaseTarget } from '../../store/orm-options.js';
import { openStoreForTest } from '../helpers/store.js';
import { testDatabaseUrl } from '../helpers/test-database.js';
import { StoreHarness } from './fixtures.js';

const harness = new StoreHarness();
afterAll(() => harness.dispose());

const PAIR_MIGRATION = 'Migration20261203000000OneSyncPerPair';

/**
 * Rows from before pairs had keys: two policies that both selected one person
 * each have a row (two syncs). The migration gives the pair's key to the
 * earliest row; the later one is left without, for its reconciler to stop.
 */
describe('migration: one sync per mailbox pair', () => {
  it('gives each pair key to its earliest row, and counts every policy as having told its users', async () => {
    const dataDir = harness.newDir();
    const encryptionKey = randomBytes(32).toString('base64');
    const options = buildOrmOptions(resolveDatabaseTarget({ dataDir, databaseUrl: await testDatabaseUrl(dataDir) }));
    const orm = await MikroORM.init<AbstractSqlDriver>({ ...options, migrations: { ...options.migrations, migrationsList: migrationsList.filter((m) => m.name !== PAIR_MIGRATION) } });
    await orm.getMigrator().up();
    const cipher = createCredentialCipher(Buffer.from(encryptionKey, 'base64'));
    const em = orm.em.fork();
    const at = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 12, minutes));
    const source = randomUUID();
    const target = randomUUID();
    await em.insert(ConnectionSchema, {
      id: source,
      kind: 'microsoft365',
      name: 'Contoso',
      settings: { tenantId: 't', clientId: 'c' },
      credentialsCiphertext: cipher.encrypt(JSON.stringify({ clientSecret: 's' }), `connection ${source}`),
      status: 'Active',
      lastError: null,
      lastTestedAt: null,
      createdAt: at(0),
      updatedAt: at(0),
    } as never);
    await em.insert(ConnectionSchema, {
      id: target,
      kind: 'google-workspace',
      name: 'Example',
      settings: { serviceAccountEmail: 'a@b.iam.gserviceaccount.com', adminSubject: 'admin@example.com', domain: 'example.com' },
      credentialsCiphertext: cipher.encrypt('{}', `connection ${target}`),
      status: 'Active',
      lastError: null,
      lastTestedAt: null,
      createdAt: at(0),
      updatedAt: at(0),
    } as never);
    const policy = (name: string, enabled: boolean) => ({
      id: randomUUID(),
      name,
      enabled,
      sourceConnectionId: source,
      targetConnectionId: target,
      rules: { allUsers: true },
      dataTypes: ['mail'],
      cycleIntervalSeconds: 900,
      targetDomain: 'example.com',
      usernameMapping: 'same-local-part',
      storeSubjects: false,
      createdAt: at(0),
      updatedAt: at(0),
    });
    const [a, b] = [policy('A', true), policy('B', false)];
    for (const p of [a, b]) await em.insert(PolicySchema, p as never);
    const row = (policyId: string, sourceUserId: string, minutes: number) => ({
      id: randomUUID(),
      policyId,
      sourceUserId,
      workflowId: `user-sync-${policyId}-${sourceUserId}`,
      runId: null,
      sourceEmail: `${sourceUserId}@contoso.com`,
      targetEmail: `${sourceUserId}@example.com`,
      displayName: sourceUserId,
      status: 'Synced',
      stage: 'Recurring',
      errorCode: null,
      errorMessage: null,
      errorAt: null,
      errorDetails: null,
      pausedReason: null,
      googleUserId: null,
      lastSyncAt: null,
      nextSyncAt: null,
      lastProgressAt: null,
      exported: 0,
      imported: 0,
      failed: 0,
      skipped: 0,
      countsByType: {},
      initialSyncTotal: null,
      createdAt: at(minutes),
      updatedAt: at(minutes),
    });
    const laterA = row(a.id, 'shared', 5);
    const earlierB = row(b.id, 'shared', 1);
    const alone = row(a.id, 'alone', 3);
    for (const r of [laterA, earlierB, alone]) await em.insert(SyncUserSchema, r as never);
    await orm.close();

    const store = harness.track(await openStoreForTest({ dataDir, encryptionKey }));
    const rows = new Map((await Promise.all([laterA, earlierB, alone].map((r) => store.syncUsers.get(r.id)))).map((r) => [r!.id, r!]));
    expect(rows.get(earlierB.id)!.ownsPair).toBe(true);
    expect(rows.get(laterA.id)!.ownsPair).toBe(false);
    expect(rows.get(alone.id)!.ownsPair).toBe(true);
    // The keys are the ones selectPair computes: a new selection of the shared person by A finds B's sync.
    const outcome = await store.syncUsers.selectPair({
      policyId: a.id,
      sourceUserId: 'shared',
      workflowId: laterA.workflowId,
      sourceEmail: 'shared@contoso.com',
      targetEmail: 'shared@example.com',
      displayName: 'shared',
      sourceConnectionId: source,
      targetConnectionId: target,
    });
    expect(outcome).toMatchObject({ kind: 'duplicate', owner: { id: earlierB.id } });
    // Each policy's users were told its current state: a disabled policy's users get no second pause.
    expect(await store.policies.claimUsersTold(b.id, false)).toBe(false);
    expect(await store.policies.claimUsersTold(a.id, true)).toBe(false);
  });
});
