import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { EndToEndFirstSequencer } from './test/setup/sequencer.js';

const shared: NonNullable<TestProjectInlineConfiguration['test']> = {
  // Fails a test when an emulator sent a response its service's published description does not allow.
  setupFiles: ['test/setup/contract-violations.ts'],
  // Integration tests run real workflows against a real Temporal server.
  testTimeout: 120_000,
  hookTimeout: 120_000,
  pool: 'forks',
};

/** Tests of what only SQLite has (WAL, one file shared by two processes). */
const sqliteOnly = ['test/store/sqlite-*.test.ts'];
/** Tests of what only PostgreSQL has (`npm start` with DATABASE_URL=postgres://…). */
const postgresOnly = ['test/**/*.postgres.test.ts'];

export default defineConfig({
  test: {
    // One Temporal dev server for both projects (the root's global setup runs once).
    globalSetup: ['test/global-setup.ts'],
    // Two cores: more parallel files only make each one slower.
    maxWorkers: 2,
    sequence: { sequencer: EndToEndFirstSequencer },
    reporters: ['default'],
    // One dialect: `npm test -- --project sqlite` or `--project postgres`.
    projects: [
      {
        test: { ...shared, name: 'sqlite', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...postgresOnly] },
      },
      {
        // The store, the API and the exactly-once sync tests again, on PostgreSQL.
        test: {
          ...shared,
          name: 'postgres',
          include: [
            'test/store/**/*.test.ts',
            'test/api/**/*.test.ts',
            'test/workflows/user-sync/initial-sync.test.ts',
            'test/workflows/user-sync/worker-crash.test.ts',
            'test/workflows/user-sync/contacts-crash.test.ts',
            ...postgresOnly,
          ],
          exclude: [...configDefaults.exclude, ...sqliteOnly],
          env: { TEST_DATABASE: 'postgres' },
          globalSetup: ['test/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
