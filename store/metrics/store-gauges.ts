import { raw } from '@mikro-orm/core';
import { Gauge, Registry } from 'prom-client';
import { ConnectionSchema, ItemRecordSchema, PolicySchema, SyncUserSchema } from '../entities/index.js';
import { CONNECTION_STATUSES, SYNC_STATUSES, type Store } from '../index.js';

/**
 * What the database says about the sync, as gauges computed at each scrape
 * (the API's GET /metrics). Labels are ids and words of the vocabulary only
 * (policy and connection ids, statuses, codes, data types), never an
 * address, a name or a subject, and their number is bounded by the number
 * of policies and connections.
 */
export interface StoreGaugeOptions {
  /** An Initial Sync without progress for this long counts as stalled (the detail panel's rule). */
  stalledAfterMs: number;
}

type Row = Record<string, string | number | null>;

const count = (value: string | number | null | undefined): number => Number(value ?? 0);

export function createStoreMetricsRegistry(store: Store, options: StoreGaugeOptions): Registry {
  const registry = new Registry();
  const em = () => store.orm.em.fork();
  const policyIds = async (): Promise<string[]> => (await em().find(PolicySchema, {}, { fields: ['id'], orderBy: { id: 'asc' } })).map((policy) => policy.id);

  /** Every policy gets a 0 for the labels it has no rows for, so a series does not vanish when its count falls to zero. */
  const perPolicy = async (gauge: Gauge<'policy_id'>, rows: Row[]): Promise<void> => {
    gauge.reset();
    for (const id of await policyIds()) gauge.set({ policy_id: id }, 0);
    for (const row of rows) gauge.set({ policy_id: String(row.policy_id) }, count(row.total));
  };

  new Gauge({
    name: 'continuity_users',
    help: 'Users selected by each policy, by sync status (Excluded users included).',
    labelNames: ['policy_id', 'status'] as const,
    registers: [registry],
    async collect() {
      const rows = await em()
        .createQueryBuilder(SyncUserSchema, 'u')
        .select(['u.policyId', 'u.status', raw('count(*) as total')])
        .groupBy(['u.policyId', 'u.status'])
        .execute<Row[]>('all', false);
      this.reset();
      for (const id of await policyIds()) for (const status of SYNC_STATUSES) this.set({ policy_id: id, status }, 0);
      for (const row of rows) this.set({ policy_id: String(row.policy_id), status: String(row.status) }, count(row.total));
    },
  });

  new Gauge({
    name: 'continuity_failed_users',
    help: 'Users whose status is Failed, by policy and user error code (AUTH_TOKEN_EXPIRED, RATE_LIMITED, ...).',
    labelNames: ['policy_id', 'code'] as const,
    registers: [registry],
    async collect() {
      const rows = await em()
        .createQueryBuilder(SyncUserSchema, 'u')
        .select(['u.policyId', 'u.errorCode', raw('count(*) as total')])
        .where({ status: 'Failed' })
        .groupBy(['u.policyId', 'u.errorCode'])
        .execute<Row[]>('all', false);
      this.reset();
      for (const row of rows) this.set({ policy_id: String(row.policy_id), code: String(row.error_code ?? 'NONE') }, count(row.total));
    },
  });

  const backlog = new Gauge({
    name: 'continuity_initial_sync_backlog_users',
    help: 'Users selected by each policy who have not finished their first sync yet (stage Provisioning or InitialSync, not Excluded).',
    labelNames: ['policy_id'] as const,
    registers: [registry],
    async collect() {
      const rows = await em()
        .createQueryBuilder(SyncUserSchema, 'u')
        .select(['u.policyId', raw('count(*) as total')])
        .where({ stage: { $in: ['Provisioning', 'InitialSync'] }, status: { $ne: 'Excluded' } })
        .groupBy('u.policyId')
        .execute<Row[]>('all', false);
      await perPolicy(backlog, rows);
    },
  });

  const stalled = new Gauge({
    name: 'continuity_initial_sync_stalled_users',
    help: 'Users in Initial Sync whose item counts have not moved for the stalled threshold (the detail panel\'s "stalled"; 30 minutes by default).',
    labelNames: ['policy_id'] as const,
    registers: [registry],
    async collect() {
      const cutoff = new Date(Date.now() - options.stalledAfterMs);
      const rows = await em()
        .createQueryBuilder(SyncUserSchema, 'u')
        .select(['u.policyId', raw('count(*) as total')])
        .where({ status: 'InitialSync', $or: [{ lastProgressAt: { $lt: cutoff } }, { lastProgressAt: null, updatedAt: { $lt: cutoff } }] })
        .groupBy('u.policyId')
        .execute<Row[]>('all', false);
      await perPolicy(stalled, rows);
    },
  });

  new Gauge({
    name: 'continuity_connection_status',
    help: "Each connection's status: 1 for the status it is in (NotTested, Active, Error), 0 for the others.",
    labelNames: ['connection_id', 'kind', 'status'] as const,
    registers: [registry],
    async collect() {
      const connections = await em().find(ConnectionSchema, {}, { fields: ['id', 'kind', 'status'], orderBy: { id: 'asc' } });
      this.reset();
      for (const connection of connections) {
        for (const status of CONNECTION_STATUSES) this.set({ connection_id: connection.id, kind: connection.kind, status }, connection.status === status ? 1 : 0);
      }
    },
  });

  new Gauge({
    name: 'continuity_item_records',
    help: "Items listed in the users' items views, by data type, status (failed or skipped) and item error code.",
    labelNames: ['data_type', 'status', 'code'] as const,
    registers: [registry],
    async collect() {
      const rows = await em()
        .createQueryBuilder(ItemRecordSchema, 'i')
        .select(['i.type', 'i.status', 'i.errorCode', raw('count(*) as total')])
        .groupBy(['i.type', 'i.status', 'i.errorCode'])
        .execute<Row[]>('all', false);
      this.reset();
      for (const row of rows) this.set({ data_type: String(row.type), status: String(row.status), code: String(row.error_code) }, count(row.total));
    },
  });

  return registry;
}
