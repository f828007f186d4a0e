import { BaseSqlitePlatform, type AbstractSqlDriver } from '@mikro-orm/knex';

export type DatabaseDialect = 'sqlite' | 'postgresql';

export function dialectOf(driver: AbstractSqlDriver): DatabaseDialect {
  return driver.getPlatform() instanceof BaseSqlitePlatform ? 'sqlite' : 'postgresql';
}
