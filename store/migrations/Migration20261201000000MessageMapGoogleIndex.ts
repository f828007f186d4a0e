import { Migration } from '@mikro-orm/migrations';

/**
 * An index on message_map (sync_user_id, google_message_id): Gmail merges an
 * import whose Message-ID it already holds into the existing message, so
 * several source messages can map to one Gmail message, and the sync asks
 * which others still map to a copy before it relabels or trashes it.
 * Only an index: every existing row stays as it is. Same statement in both dialects.
 */
export class Migration20261201000000MessageMapGoogleIndex extends Migration {
  override up(): void {
    this.addSql('create index "message_map_google_message_id_idx" on "message_map" ("sync_user_id", "google_message_id")');
  }

  override down(): void {
    this.addSql('drop index if exists "message_map_google_message_id_idx"');
  }
}
