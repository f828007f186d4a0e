import { createDiagnosticsActivities, type DiagnosticsDeps } from './diagnostics/worker-health.js';

/**
 * The one place activities are built. The worker and the tests both call this
 * factory with their clients and stores, so they are wired the same way.
 */
export type ActivityDeps = DiagnosticsDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createDiagnosticsActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
