import { createApp, type ApiApp } from '../../api/app.js';
import { temporalUiWorkflowUrl } from '../../api/temporal-ui.js';
import type { TestTemporal } from './temporal.js';
import { inject } from 'vitest';

export const testApiToken = 'test-token-for-the-suite';

export function createTestApp(temporal: TestTemporal): ApiApp {
  return createApp({
    config: { temporalNamespace: temporal.namespace, temporalTaskQueue: temporal.taskQueue, temporalUiUrl: inject('temporalUiUrl') },
    temporal: temporal.client,
    temporalAddress: inject('temporalAddress'),
    apiToken: testApiToken,
  });
}

export const authHeaders = { authorization: `Bearer ${testApiToken}` };

export { temporalUiWorkflowUrl };
