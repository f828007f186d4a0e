import { Migration } from '@mikro-orm/migrations';

/**
 * folder_states.google_label_name: the name a folder's Gmail label really
 * has when Gmail refused the one the folder's path gives ("Archive" and
 * other reserved names). The statement is the same in both dialects.
 */
export class Migration20251202000000FolderLabelName extends Migration {
  override up(): void {
    this.addSql('alter table "folder_states" add column "google_label_name" text null');
  }

  override down(): void {
    this.addSql('alter table "folder_states" drop column "google_label_name"');
  }
}
