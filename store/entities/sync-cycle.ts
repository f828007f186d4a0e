import { EntitySchema } from '@mikro-orm/core';
import type { CycleKind, CycleOutcome, CycleTrigger, ItemCounts } from '../vocabulary.js';

/** A cycle's item counters, and the changes and deletions it carried over. */
export interface CycleCounts extends ItemCounts {
  updated: number;
  deleted: number;
}

/** One run over a user's folders (initial copy or delta), for the detail panel. */
export interface SyncCycleEntity {
  id: string;
  syncUserId: string;
  kind: CycleKind;
  trigger: CycleTrigger;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: CycleOutcome;
  errorCode: string | null;
  counts: CycleCounts;
}

export const SyncCycleSchema = new EntitySchema<SyncCycleEntity>({
  name: 'SyncCycle',
  tableName: 'sync_cycles',
  properties: {
    id: { type: 'uuid', primary: true },
    syncUserId: { kind: 'm:1', entity: 'SyncUser', mapToPk: true, fieldName: 'sync_user_id', deleteRule: 'cascade', updateRule: 'cascade', index: false },
    kind: { type: 'string', length: 16 },
    trigger: { type: 'string', length: 32 },
    startedAt: { type: 'datetime' },
    finishedAt: { type: 'datetime', nullable: true },
    outcome: { type: 'string', length: 16 },
    errorCode: { type: 'string', length: 64, nullable: true },
    counts: { type: 'json' },
  },
  indexes: [{ name: 'sync_cycles_recent_idx', properties: ['syncUserId', 'startedAt', 'id'] }],
});
