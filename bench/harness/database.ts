import { createDatabase, startPostgresCluster, type PostgresCluster } from '../../scripts/postgres-cluster.js';

/** Where the sync's database lives in a bench run: `--database=sqlite` (the default, a file per store) or `postgres`. */
export type BenchDatabase = 'sqlite' | 'postgres';

/**
 * The DATABASE_URL of each store a bench run opens. On PostgreSQL the run
 * starts one throwaway cluster of its own (as the tests do, scripts/postgres-cluster.ts),
 * on first use, and gives every store a database of its own in it.
 */
export class BenchDatabases {
  private cluster: Promise<PostgresCluster> | null = null;
  private created = 0;

  constructor(
    readonly kind: BenchDatabase,
    private readonly log: (line: string) => void,
  ) {}

  /** Nothing on SQLite (the store's file lives in its data directory); on PostgreSQL a new, empty database. */
  async urlFor(label: string): Promise<string | undefined> {
    if (this.kind === 'sqlite') return undefined;
    this.cluster ??= startPostgresCluster({ log: this.log });
    const cluster = await this.cluster;
    this.created += 1;
    return createDatabase(cluster.urlFor(''), `bench_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_${this.created}`);
  }

  async close(): Promise<void> {
    if (this.cluster) await (await this.cluster).stop();
  }
}
