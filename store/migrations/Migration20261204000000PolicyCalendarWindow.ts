import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/**
 * The calendar's delta window becomes a policy setting (issue 14):
 * policies.calendar_months_back and calendar_months_ahead. Existing policies
 * take the window every worker used before, 24 months back and 36 ahead, so
 * no user's calendar starts a new round because of the upgrade.
 * DDL from store/tools/schema-sql.ts, per dialect.
 */
const SQLITE = ['alter table `policies` add column `calendar_months_back` integer not null default 24', 'alter table `policies` add column `calendar_months_ahead` integer not null default 36'];

const POSTGRESQL = ['alter table "policies" add column "calendar_months_back" int not null default 24', 'alter table "policies" add column "calendar_months_ahead" int not null default 36'];

export class Migration20261204000000PolicyCalendarWindow extends Migration {
  override up(): void {
    for (const statement of dialectOf(this.driver) === 'sqlite' ? SQLITE : POSTGRESQL) this.addSql(statement);
  }

  override down(): void {
    for (const column of ['calendar_months_back', 'calendar_months_ahead']) this.addSql(`alter table "policies" drop column "${column}"`);
  }
}
