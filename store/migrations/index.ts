import type { MigrationObject } from '@mikro-orm/core';
import { Migration20251128000000Initial } from './Migration20251128000000Initial.js';
import { Migration20251201000000MessageMapUpdatedIndex } from './Migration20251201000000MessageMapUpdatedIndex.js';
import { Migration20251202000000FolderLabelName } from './Migration20251202000000FolderLabelName.js';
import { Migration20261201000000MessageMapGoogleIndex } from './Migration20261201000000MessageMapGoogleIndex.js';
import { Migration20261202000000DataTypeTables } from './Migration20261202000000DataTypeTables.js';
import { Migration20261203000000OneSyncPerPair } from './Migration20261203000000OneSyncPerPair.js';
import { Migration20261204000000PolicyCalendarWindow } from './Migration20261204000000PolicyCalendarWindow.js';

/**
 * Every migration, oldest first. Listed explicitly (no glob) so they load the
 * same under tsx, vitest and a bundler. Add new ones at the end.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20251128000000Initial', class: Migration20251128000000Initial },
  { name: 'Migration20251201000000MessageMapUpdatedIndex', class: Migration20251201000000MessageMapUpdatedIndex },
  { name: 'Migration20251202000000FolderLabelName', class: Migration20251202000000FolderLabelName },
  { name: 'Migration20261201000000MessageMapGoogleIndex', class: Migration20261201000000MessageMapGoogleIndex },
  { name: 'Migration20261202000000DataTypeTables', class: Migration20261202000000DataTypeTables },
  { name: 'Migration20261203000000OneSyncPerPair', class: Migration20261203000000OneSyncPerPair },
  { name: 'Migration20261204000000PolicyCalendarWindow', class: Migration20261204000000PolicyCalendarWindow },
];
