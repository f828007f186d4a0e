import { inject } from 'vitest';
import { createApp, type ApiApp } from '../../api/app.js';
import type { ApiDeps } from '../../api/deps.js';
import { temporalUiWorkflowUrl } from '../../api/temporal-ui.js';
import type { Store } from '../../store/index.js';
import type { TestTemporal } from './temporal.js';

export const testApiToken = 'test-token-for-the-suite';

/** The API app as api/main.ts builds it, on the run's Temporal server and the given store. */
export function createTestApp(temporal: TestTemporal, store: Store, overrides: Partial<ApiDeps> = {}): ApiApp {
  return createApp({
    config: { temporalNamespace: temporal.namespace, temporalTaskQueue: temporal.taskQueue, temporalUiUrl: inject('temporalUiUrl') },
    temporal: temporal.client,
    temporalAddress: inject('temporalAddress'),
    apiToken: testApiToken,
    store,
    ...overrides,
  });
}

export const authHeaders = { authorization: `Bearer ${testApiToken}` };

export { temporalUiWorkflowUrl };
