import { Migration } from '@mikro-orm/migrations';

/**
 * An index on message_map.updated_at, so "changes in the last 24 hours" on
 * the dashboard is a range count instead of a scan of every copied message.
 * The statement is the same in both dialects.
 */
export class Migration20251201000000MessageMapUpdatedIndex extends Migration {
  override up(): void {
    this.addSql('create index "message_map_updated_idx" on "message_map" ("updated_at")');
  }

  override down(): void {
    this.addSql('drop index if exists "message_map_updated_idx"');
  }
}
