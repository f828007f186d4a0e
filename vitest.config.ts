import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Fails a test when an emulator sent a response its service's published description does not allow.
    setupFiles: ['test/setup/contract-violations.ts'],
    // Integration tests run real workflows against a real Temporal server.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: more parallel files only make each one slower.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
