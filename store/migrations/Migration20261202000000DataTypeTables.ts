import { Migration } from '@mikro-orm/migrations';
import { dialectOf } from '../dialect.js';

/**
 * Tables for every data type: the id map becomes item_map (keyed by sync
 * user, data type and source item id), folder_states becomes
 * container_states, and data_type_states holds each type's stage. Every
 * existing row is copied as data type 'mail' with its id, so nothing is copied
 * twice after the upgrade; the old tables go. The CREATE statements were
 * derived from the entities with store/tools/schema-sql.ts, once per dialect.
 */
export class Migration20261202000000DataTypeTables extends Migration {
  override up(): void {
    for (const statement of dialectOf(this.driver) === 'sqlite' ? SQLITE : POSTGRESQL) this.addSql(statement);
    for (const statement of COPY_AND_DROP) this.addSql(statement);
  }

  override down(): void {
    // A downgrade would have to rebuild the mail-only tables from these; restore the backup taken before upgrading instead.
    throw new Error('Migration20261202000000DataTypeTables cannot be undone; restore the database backup taken before the upgrade.');
  }
}

const SQLITE: readonly string[] = [
  `create table "item_map" ("id" text not null, "sync_user_id" text not null, "data_type" text not null, "source_item_id" text not null, "lookup_key" text null, "source_container_id" text not null, "target_item_id" text null, "state" text not null, "target_state" json null, "content_hash" text null, "created_at" datetime not null, "updated_at" datetime not null, constraint "item_map_sync_user_id_foreign" foreign key("sync_user_id") references "sync_users"("id") on delete cascade on update cascade, primary key ("id"))`,
  'create index "item_map_lookup_key_idx" on "item_map" ("sync_user_id", "data_type", "lookup_key")',
  'create index "item_map_state_idx" on "item_map" ("sync_user_id", "data_type", "state")',
  'create index "item_map_target_item_idx" on "item_map" ("sync_user_id", "data_type", "target_item_id")',
  'create index "item_map_updated_idx" on "item_map" ("updated_at")',
  'create unique index "item_map_source_item_unique" on "item_map" ("sync_user_id", "data_type", "source_item_id")',
  `create table "data_type_states" ("sync_user_id" text not null, "data_type" text not null, "stage" text not null, "initial_sync_total" integer null, "updated_at" datetime not null, constraint "data_type_states_sync_user_id_foreign" foreign key("sync_user_id") references "sync_users"("id") on delete cascade on update cascade, primary key ("sync_user_id", "data_type"))`,
  `create table "container_states" ("id" text not null, "sync_user_id" text not null, "data_type" text not null, "source_container_id" text not null, "display_name" text not null, "path" text not null, "well_known_name" text null, "target_container_id" text null, "target_container_name" text null, "delta_link" text null, "initial_sync_complete" integer not null default false, "exported" integer not null default 0, "imported" integer not null default 0, "failed" integer not null default 0, "skipped" integer not null default 0, "updated_at" datetime not null, constraint "container_states_sync_user_id_foreign" foreign key("sync_user_id") references "sync_users"("id") on delete cascade on update cascade, primary key ("id"))`,
  'create unique index "container_states_source_unique" on "container_states" ("sync_user_id", "data_type", "source_container_id")',
];

const POSTGRESQL: readonly string[] = [
  'create table "item_map" ("id" uuid not null, "sync_user_id" uuid not null, "data_type" varchar(16) not null, "source_item_id" varchar(255) not null, "lookup_key" text null, "source_container_id" varchar(255) not null, "target_item_id" varchar(255) null, "state" varchar(16) not null, "target_state" jsonb null, "content_hash" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "item_map_pkey" primary key ("id"))',
  'create index "item_map_lookup_key_idx" on "item_map" ("sync_user_id", "data_type", "lookup_key")',
  'create index "item_map_state_idx" on "item_map" ("sync_user_id", "data_type", "state")',
  'create index "item_map_target_item_idx" on "item_map" ("sync_user_id", "data_type", "target_item_id")',
  'create index "item_map_updated_idx" on "item_map" ("updated_at")',
  'alter table "item_map" add constraint "item_map_source_item_unique" unique ("sync_user_id", "data_type", "source_item_id")',
  'create table "data_type_states" ("sync_user_id" uuid not null, "data_type" varchar(16) not null, "stage" varchar(16) not null, "initial_sync_total" int null, "updated_at" timestamptz not null, constraint "data_type_states_pkey" primary key ("sync_user_id", "data_type"))',
  'create table "container_states" ("id" uuid not null, "sync_user_id" uuid not null, "data_type" varchar(16) not null, "source_container_id" varchar(255) not null, "display_name" text not null, "path" text not null, "well_known_name" varchar(64) null, "target_container_id" varchar(255) null, "target_container_name" text null, "delta_link" text null, "initial_sync_complete" boolean not null default false, "exported" int not null default 0, "imported" int not null default 0, "failed" int not null default 0, "skipped" int not null default 0, "updated_at" timestamptz not null, constraint "container_states_pkey" primary key ("id"))',
  'alter table "container_states" add constraint "container_states_source_unique" unique ("sync_user_id", "data_type", "source_container_id")',
  'alter table "item_map" add constraint "item_map_sync_user_id_foreign" foreign key ("sync_user_id") references "sync_users" ("id") on update cascade on delete cascade',
  'alter table "data_type_states" add constraint "data_type_states_sync_user_id_foreign" foreign key ("sync_user_id") references "sync_users" ("id") on update cascade on delete cascade',
  'alter table "container_states" add constraint "container_states_sync_user_id_foreign" foreign key ("sync_user_id") references "sync_users" ("id") on update cascade on delete cascade',
];

/** The same statements in both dialects. */
const COPY_AND_DROP: readonly string[] = [
  `insert into "item_map" ("id", "sync_user_id", "data_type", "source_item_id", "lookup_key", "source_container_id", "target_item_id", "state", "target_state", "content_hash", "created_at", "updated_at")
     select "id", "sync_user_id", 'mail', "source_item_id", "internet_message_id", "source_folder_id", "google_message_id", "state", "label_ids", "content_hash", "created_at", "updated_at" from "message_map"`,
  `insert into "container_states" ("id", "sync_user_id", "data_type", "source_container_id", "display_name", "path", "well_known_name", "target_container_id", "target_container_name", "delta_link", "initial_sync_complete", "exported", "imported", "failed", "skipped", "updated_at")
     select "id", "sync_user_id", 'mail', "source_folder_id", "display_name", "path", "well_known_name", "google_label_id", "google_label_name", "delta_link", "initial_sync_complete", "exported", "imported", "failed", "skipped", "updated_at" from "folder_states"`,
  // Until now mail was the only type: a user past provisioning was at mail's stage.
  `insert into "data_type_states" ("sync_user_id", "data_type", "stage", "initial_sync_total", "updated_at")
     select "id", 'mail', "stage", "initial_sync_total", "updated_at" from "sync_users" where "stage" in ('InitialSync', 'Recurring')`,
  'drop table "message_map"',
  'drop table "folder_states"',
];
