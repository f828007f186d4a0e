import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/**
 * One sync per mailbox pair (issue 12 item 3), and the membership
 * reconciler's state on the policy (issue 13 item 6):
 * - sync_users.pair_key, unique: "sourceConnectionId:sourceUserId:targetConnectionId"
 *   on the row that syncs the pair, null on the rows of other policies that
 *   select the same person (status SyncedElsewhere, synced_by_user_id naming the row
 *   that syncs them). Two reconcilers cannot both create a sync for one pair.
 * - policies.last_reconcile_error, policies.users_told_enabled.
 *
 * Existing rows: the earliest row of each pair (created_at, then id) takes the
 * pair key; a later duplicate (two policies that already both synced one
 * person) keeps null and is stopped by its reconciler's next pass, which turns
 * it into SyncedElsewhere. Policies count their users as told of their current
 * enabled state (the API and the reconciler told them so far).
 * DDL from store/tools/schema-sql.ts, per dialect; the data statements are the same in both.
 */
const SQLITE = [
  'alter table `policies` add column `last_reconcile_error` json null',
  'alter table `policies` add column `users_told_enabled` integer null',
  'alter table `sync_users` add column `pair_key` text null',
  'alter table `sync_users` add column `synced_by_user_id` text null',
];

const POSTGRESQL = [
  'alter table "policies" add column "last_reconcile_error" jsonb null',
  'alter table "policies" add column "users_told_enabled" boolean null',
  'alter table "sync_users" add column "pair_key" varchar(255) null',
  'alter table "sync_users" add column "synced_by_user_id" uuid null',
];

const FILL = [
  'update "policies" set "users_told_enabled" = "enabled"',
  `update "sync_users" set "pair_key" = (
     select p."source_connection_id" || ':' || "sync_users"."source_user_id" || ':' || p."target_connection_id"
     from "policies" p where p."id" = "sync_users"."policy_id")
   where not exists (
     select 1 from "sync_users" o
       join "policies" op on op."id" = o."policy_id"
       join "policies" p on p."id" = "sync_users"."policy_id"
     where o."source_user_id" = "sync_users"."source_user_id"
       and op."source_connection_id" = p."source_connection_id"
       and op."target_connection_id" = p."target_connection_id"
       and (o."created_at" < "sync_users"."created_at" or (o."created_at" = "sync_users"."created_at" and o."id" < "sync_users"."id")))`,
];

export class Migration20261203000000OneSyncPerPair extends Migration {
  override up(): void {
    const sqlite = dialectOf(this.driver) === 'sqlite';
    for (const statement of sqlite ? SQLITE : POSTGRESQL) this.addSql(statement);
    for (const statement of FILL) this.addSql(statement);
    this.addSql(sqlite ? 'create unique index `sync_users_pair_key_unique` on `sync_users` (`pair_key`)' : 'alter table "sync_users" add constraint "sync_users_pair_key_unique" unique ("pair_key")');
  }

  override down(): void {
    const sqlite = dialectOf(this.driver) === 'sqlite';
    this.addSql(sqlite ? 'drop index if exists `sync_users_pair_key_unique`' : 'alter table "sync_users" drop constraint if exists "sync_users_pair_key_unique"');
    for (const column of ['pair_key', 'synced_by_user_id']) this.addSql(`alter table "sync_users" drop column "${column}"`);
    for (const column of ['last_reconcile_error', 'users_told_enabled']) this.addSql(`alter table "policies" drop column "${column}"`);
  }
}
