import { randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLogSchema, ConnectionSchema, ItemRecordSchema, PolicySchema, SyncCycleSchema, SyncUserSchema } from '../../store/entities/index.js';
import { createCredentialCipher } from '../../store/encryption.js';
import { migrationsList } from '../../store/migrations/index.js';
import { buildOrmOptions, resolveDatabaseTarget } from '../../store/orm-options.js';
import { openStoreForTest } from '../helpers/store.js';
import { testDatabaseUrl } from '../helpers/test-database.js';
import { StoreHarness } from './fixtures.js';
import { LegacyFolderStateSchema, LegacyMessageMapSchema, LegacyPolicySchema } from './previous-release-entities.js';

const harness = new StoreHarness();
afterAll(() => harness.dispose());

/**
 * The migrations the previous release shipped: main as it was before the
 * merges of 2026-12-01 (git log -- store/migrations: FolderLabelName came with
 * them). When a release ships, this becomes its list.
 */
const PREVIOUS_RELEASE = ['Migration20251128000000Initial', 'Migration20251201000000MessageMapUpdatedIndex'];

/** Its mail-only tables, gone from today's entities, and its policies table (no calendar window yet). */
const PREVIOUS_RELEASE_ENTITIES = [LegacyMessageMapSchema, LegacyFolderStateSchema, LegacyPolicySchema];

/** A database as the previous release left it: only its migrations applied. */
async function migrateToPreviousRelease(dataDir: string): Promise<MikroORM<AbstractSqlDriver>> {
  const options = buildOrmOptions(resolveDatabaseTarget({ dataDir, databaseUrl: await testDatabaseUrl(dataDir) }));
  const orm = await MikroORM.init<AbstractSqlDriver>({
    ...options,
    entities: [...(options.entities ?? []).filter((entity) => entity !== PolicySchema), ...PREVIOUS_RELEASE_ENTITIES],
    migrations: { ...options.migrations, migrationsList: migrationsList.filter((migration) => PREVIOUS_RELEASE.includes(migration.name)) },
  });
  await orm.getMigrator().up();
  return orm;
}

const at = new Date(Date.UTC(2025, 10, 30, 12, 0, 0));

/**
 * One row per table, written as the previous release wrote them: only the
 * columns its schema had (no folder_states.google_label_name).
 */
async function writePreviousReleaseRows(orm: MikroORM<AbstractSqlDriver>, encryptionKey: string) {
  const cipher = createCredentialCipher(Buffer.from(encryptionKey, 'base64'));
  const ids = { source: randomUUID(), target: randomUUID(), policy: randomUUID(), user: randomUUID(), cycle: randomUUID() };
  const em = orm.em.fork();
  await em.insert(ConnectionSchema, {
    id: ids.source,
    kind: 'microsoft365',
    name: 'Contoso',
    settings: { tenantId: 'tenant-id', clientId: 'client-id' },
    credentialsCiphertext: cipher.encrypt(JSON.stringify({ clientSecret: 'kept-secret' }), `connection ${ids.source}`),
    status: 'Active',
    lastError: null,
    lastTestedAt: at,
    createdAt: at,
    updatedAt: at,
  });
  await em.insert(ConnectionSchema, {
    id: ids.target,
    kind: 'google-workspace',
    name: 'Example',
    settings: { serviceAccountEmail: 'sync@test-project.iam.gserviceaccount.com', adminSubject: 'admin@example.com', domain: 'example.com' },
    credentialsCiphertext: cipher.encrypt(JSON.stringify({ serviceAccountKey: { client_email: 'sync@test-project.iam.gserviceaccount.com' } }), `connection ${ids.target}`),
    status: 'Error',
    lastError: { code: 'CONNECTION_UNAVAILABLE', message: 'Google did not answer.', at: at.toISOString() },
    lastTestedAt: null,
    createdAt: at,
    updatedAt: at,
  });
  await em.insert(LegacyPolicySchema, {
    id: ids.policy,
    name: 'Everyone',
    enabled: true,
    sourceConnectionId: ids.source,
    targetConnectionId: ids.target,
    rules: { allUsers: true },
    dataTypes: ['mail'],
    cycleIntervalSeconds: 300,
    targetDomain: 'example.com',
    usernameMapping: 'same-local-part',
    storeSubjects: true,
    createdAt: at,
    updatedAt: at,
  });
  await em.insert(SyncUserSchema, {
    id: ids.user,
    policyId: ids.policy,
    sourceUserId: 'graph-user-1',
    workflowId: `user-sync-${ids.policy}-graph-user-1`,
    runId: 'run-1',
    sourceEmail: 'adele@contoso.com',
    targetEmail: 'adele@example.com',
    displayName: 'Adele Vance',
    status: 'Synced',
    stage: 'Recurring',
    errorCode: null,
    errorMessage: null,
    errorAt: null,
    errorDetails: null,
    pausedReason: null,
    googleUserId: 'google-user-1',
    lastSyncAt: at,
    nextSyncAt: new Date(at.getTime() + 300_000),
    lastProgressAt: at,
    exported: 3,
    imported: 2,
    failed: 1,
    skipped: 0,
    countsByType: { mail: { exported: 3, imported: 2, failed: 1, skipped: 0 } },
    initialSyncTotal: 3,
    createdAt: at,
    updatedAt: at,
  });
  await em.insert(LegacyMessageMapSchema, {
    id: randomUUID(),
    syncUserId: ids.user,
    sourceItemId: 'item-1',
    internetMessageId: '<one@contoso.com>',
    sourceFolderId: 'inbox',
    googleMessageId: 'gmail-1',
    state: 'imported',
    labelIds: ['INBOX', 'Label_1'],
    contentHash: 'hash-1',
    createdAt: at,
    updatedAt: at,
  });
  await em.insert(ItemRecordSchema, {
    id: randomUUID(),
    syncUserId: ids.user,
    sourceItemId: 'item-2',
    type: 'mail',
    folderName: 'Inbox',
    subject: 'Quarterly report',
    sizeBytes: 40 * 1024 * 1024,
    status: 'failed',
    errorCode: 'ITEM_TOO_LARGE',
    reason: 'Larger than Gmail accepts.',
    serviceError: null,
    at,
    cycleId: ids.cycle,
  });
  await em.insert(LegacyFolderStateSchema, {
    id: randomUUID(),
    syncUserId: ids.user,
    sourceFolderId: 'inbox',
    displayName: 'Inbox',
    path: 'Inbox',
    wellKnownName: 'inbox',
    googleLabelId: 'INBOX',
    deltaLink: 'https://graph.microsoft.com/v1.0/delta?token=1',
    initialSyncComplete: true,
    exported: 3,
    imported: 2,
    failed: 1,
    skipped: 0,
    updatedAt: at,
  } as never);
  await em.insert(SyncCycleSchema, {
    id: ids.cycle,
    syncUserId: ids.user,
    kind: 'initial',
    trigger: 'schedule',
    startedAt: at,
    finishedAt: at,
    outcome: 'succeeded',
    errorCode: null,
    counts: { exported: 3, imported: 2, failed: 1, skipped: 0, updated: 0, deleted: 0 },
  });
  await em.insert(AuditLogSchema, {
    at,
    severity: 'Info',
    category: 'sync',
    code: 'KEPT_ACROSS_UPGRADE',
    message: 'Written by the previous release.',
    actor: 'system',
    syncUserId: ids.user,
    policyId: ids.policy,
    connectionId: null,
    details: { round: 1 },
  });
  return ids;
}

describe('migrations: upgrade from the previous release', () => {
  it('the previous release’s migrations are the first of today’s, unchanged in order', () => {
    expect(migrationsList.slice(0, PREVIOUS_RELEASE.length).map((migration) => migration.name)).toEqual(PREVIOUS_RELEASE);
  });

  it('migrate a database the previous release created up to today’s schema, and every row survives', async () => {
    const dataDir = harness.newDir();
    const encryptionKey = randomBytes(32).toString('base64');
    const previous = await migrateToPreviousRelease(dataDir);
    let ids: Awaited<ReturnType<typeof writePreviousReleaseRows>>;
    try {
      expect((await previous.getMigrator().getExecutedMigrations()).map((migration) => migration.name)).toEqual(PREVIOUS_RELEASE);
      ids = await writePreviousReleaseRows(previous, encryptionKey);
    } finally {
      await previous.close(true);
    }

    // Today's release opens it: the pending migrations run at open.
    const store = harness.track(await openStoreForTest({ dataDir, encryptionKey }));
    expect((await store.orm.getMigrator().getExecutedMigrations()).map((migration) => migration.name)).toEqual(migrationsList.map((migration) => migration.name));
    expect((await store.orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');

    expect(await store.connections.readCredentials(ids.source)).toMatchObject({ kind: 'microsoft365', credentials: { clientSecret: 'kept-secret' } });
    expect(await store.connections.get(ids.target)).toMatchObject({ status: 'Error', lastError: { code: 'CONNECTION_UNAVAILABLE', at } });
    expect(await store.policies.get(ids.policy)).toMatchObject({
      name: 'Everyone',
      enabled: true,
      storeSubjects: true,
      rules: { allUsers: true },
      dataTypes: ['mail'],
      calendarMonthsBack: 24,
      calendarMonthsAhead: 36,
    });
    expect(await store.syncUsers.get(ids.user)).toMatchObject({
      sourceEmail: 'adele@contoso.com',
      status: 'Synced',
      lastSyncAt: at,
      counts: { exported: 3, imported: 2, failed: 1, skipped: 0 },
      countsByType: { mail: { exported: 3, imported: 2, failed: 1, skipped: 0 } },
    });
    const mapped = await store.messageMap.findBySourceIds(ids.user, ['item-1']);
    expect(mapped.get('item-1')).toMatchObject({ googleMessageId: 'gmail-1', state: 'imported', labelIds: ['INBOX', 'Label_1'] });
    expect((await store.items.list({ syncUserId: ids.user })).items).toMatchObject([{ sourceItemId: 'item-2', sizeBytes: 40 * 1024 * 1024, errorCode: 'ITEM_TOO_LARGE' }]);
    expect(await store.folders.list(ids.user)).toMatchObject([{ sourceFolderId: 'inbox', googleLabelId: 'INBOX', googleLabelName: null, initialSyncComplete: true }]);
    // Every data type's tables: mail's rows keep their ids, and mail's stage is the user's.
    expect(await store.dataTypeStates.list(ids.user)).toMatchObject([{ dataType: 'mail', stage: 'Recurring', initialSyncTotal: 3 }]);
    expect((await store.itemMap.forType('mail').findBySourceIds(ids.user, ['item-1'])).get('item-1')).toMatchObject({
      dataType: 'mail',
      targetItemId: 'gmail-1',
      lookupKey: '<one@contoso.com>',
      targetState: ['INBOX', 'Label_1'],
    });
    expect(await store.itemMap.forType('calendar').findBySourceIds(ids.user, ['item-1'])).toEqual(new Map());
    expect(await store.cycles.listRecent(ids.user)).toMatchObject([{ id: ids.cycle, outcome: 'succeeded' }]);
    expect((await store.audit.list({ code: 'KEPT_ACROSS_UPGRADE' })).items).toMatchObject([{ message: 'Written by the previous release.', details: { round: 1 } }]);

    // And today's code writes what the new migrations added.
    await store.folders.upsert(ids.user, [{ sourceFolderId: 'inbox', displayName: 'Inbox', path: 'Inbox', googleLabelName: 'Inbox (Outlook)' }]);
    expect(await store.folders.list(ids.user)).toMatchObject([{ googleLabelName: 'Inbox (Outlook)', deltaLink: 'https://graph.microsoft.com/v1.0/delta?token=1' }]);
  });
});
