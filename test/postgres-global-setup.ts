import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from '../scripts/postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://USER@127.0.0.1:PORT/ of the run's throwaway cluster; a database name completes it. */
    postgresBaseUrl: string;
  }
}

/**
 * The postgres project's one throwaway PostgreSQL cluster (see
 * scripts/postgres-cluster.ts). It starts only when a file of that project is
 * in the run; each test store gets a database of its own in it.
 */
export default async function setup(project: TestProject) {
  const cluster = await startPostgresCluster({ log: (line) => console.error(line) });
  project.provide('postgresBaseUrl', cluster.urlFor(''));
  return () => cluster.stop();
}
