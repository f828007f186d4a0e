import { MikroORM } from '@mikro-orm/core';
import { buildOrmOptions, type DatabaseTarget } from '../orm-options.js';

/**
 * Developer tool: prints the SQL MikroORM derives from the entities, for
 * writing a migration by hand (there is no schema sync at start).
 *
 *   npx tsx store/tools/schema-sql.ts sqlite|postgresql [create|update]
 *
 * 'create' prints the whole schema; 'update' (SQLite only) prints what the
 * entities add to a scratch database migrated with the current migrations.
 */
const dialect = process.argv[2] === 'postgresql' ? 'postgresql' : 'sqlite';
const mode = process.argv[3] === 'update' ? 'update' : 'create';
const target: DatabaseTarget = dialect === 'sqlite' ? { dialect, location: ':memory:' } : { dialect, location: 'postgres://localhost:1/unused' };

if (mode === 'create') {
  const orm = await MikroORM.init({ ...buildOrmOptions(target), connect: false });
  console.log(await orm.schema.getCreateSchemaSQL({ wrap: false }));
  await orm.close();
} else {
  if (dialect !== 'sqlite') throw new Error('update mode needs a database: it only runs against a scratch SQLite database.');
  const orm = await MikroORM.init(buildOrmOptions(target));
  await orm.migrator.up();
  console.log(await orm.schema.getUpdateSchemaSQL({ wrap: false }));
  await orm.close();
}
