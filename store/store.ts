import { mkdirSync } from 'node:fs';
import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import { createLogger } from '../shared/logger.js';
import type { DatabaseDialect } from './dialect.js';
import { loadEncryptionKey } from '../shared/encryption-key.js';
import { createCredentialCipher } from './encryption.js';
import { migrateToLatest } from './migrate.js';
import { buildOrmOptions, resolveDatabaseTarget } from './orm-options.js';
import { createAuditRepository, type AuditRepository } from './repositories/audit.js';
import { createConnectionsRepository, type ConnectionsRepository } from './repositories/connections.js';
import { createCyclesRepository, type CyclesRepository } from './repositories/cycles.js';
import { createContainersRepository, type ContainersRepository } from './repositories/containers.js';
import { createDataTypeStatesRepository, type DataTypeStatesRepository } from './repositories/data-type-states.js';
import { createFoldersRepository, type FoldersRepository } from './repositories/folders.js';
import { createItemMapRepository, type ItemMapRepository } from './repositories/item-map.js';
import { createItemsRepository, type ItemsRepository } from './repositories/items.js';
import { createMessageMapRepository, type MessageMapRepository } from './repositories/message-map.js';
import { createPoliciesRepository, type PoliciesRepository } from './repositories/policies.js';
import type { StoreContext } from './repositories/support.js';
import { createSyncUsersRepository, type SyncUsersRepository } from './repositories/sync-users.js';

export interface OpenStoreOptions {
  /** SQLite lives at `${dataDir}/sync.db`; the generated encryption key at `${dataDir}/encryption.key`. */
  dataDir: string;
  /** postgres://... (DATABASE_URL) to use PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** Base64 of 32 bytes (ENCRYPTION_KEY); else the key file in dataDir, created when absent. */
  encryptionKey?: string;
  /** Log every SQL statement at debug level. */
  debug?: boolean;
}

/**
 * The database and its repositories, grouped by concern
 * (`store.connections.create(...)`, `store.syncUsers.list(...)`). Every
 * repository call forks its own EntityManager, so one Store serves many
 * concurrent activities. Views returned are plain objects, never entities.
 */
export interface Store {
  readonly orm: MikroORM<AbstractSqlDriver>;
  readonly dialect: DatabaseDialect;
  readonly connections: ConnectionsRepository;
  readonly policies: PoliciesRepository;
  readonly audit: AuditRepository;
  readonly syncUsers: SyncUsersRepository;
  /** The exactly-once ledger of every data type. */
  readonly itemMap: ItemMapRepository;
  /** Mail's view of the item map. */
  readonly messageMap: MessageMapRepository;
  readonly items: ItemsRepository;
  /** Every data type's containers (mail folders, calendars, contact folders) and their delta positions. */
  readonly containers: ContainersRepository;
  /** Mail's view of the containers. */
  readonly folders: FoldersRepository;
  /** Each data type's stage per user. */
  readonly dataTypeStates: DataTypeStatesRepository;
  readonly cycles: CyclesRepository;
  close(): Promise<void>;
}

/** Opens the database, applies pending migrations, and returns the repositories. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  mkdirSync(options.dataDir, { recursive: true });
  // The key first: a bad ENCRYPTION_KEY stops the process before it touches the database.
  const cipher = createCredentialCipher(loadEncryptionKey(options));
  const target = resolveDatabaseTarget(options);
  const orm = await MikroORM.init<AbstractSqlDriver>(buildOrmOptions(target, { debug: options.debug ?? false, logger: createLogger('store') }));
  try {
    await migrateToLatest(orm);
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  const context: StoreContext = { orm, cipher };
  const itemMap = createItemMapRepository(context);
  const containers = createContainersRepository(context);
  return {
    orm,
    dialect: target.dialect,
    connections: createConnectionsRepository(context),
    policies: createPoliciesRepository(context),
    audit: createAuditRepository(context),
    syncUsers: createSyncUsersRepository(context),
    itemMap,
    messageMap: createMessageMapRepository(itemMap),
    items: createItemsRepository(context),
    containers,
    folders: createFoldersRepository(containers),
    dataTypeStates: createDataTypeStatesRepository(context),
    cycles: createCyclesRepository(context),
    close: () => orm.close(true),
  };
}
