import type { MigrationObject } from '@mikro-orm/core';
import { Migration20251128000000Initial } from './Migration20251128000000Initial.js';

/**
 * Every migration, oldest first. Listed explicitly (no glob) so they load the
 * same under tsx, vitest and a bundler. Add new ones at the end.
 */
export const migrationsList: MigrationObject[] = [{ name: 'Migration20251128000000Initial', class: Migration20251128000000Initial }];
