import type { Logger } from 'pino';
import { ConnectionClients } from '../../connectors/connection-clients.js';
import { createLogger } from '../../shared/logger.js';
import type { ApiDeps } from '../deps.js';
import { ConnectionService } from './connections.js';
import { OperatorActions } from './operator-actions.js';
import { PolicyPreview } from './policy-preview.js';
import { PolicyService } from './policies.js';
import { SyncStatusReader } from './sync-status.js';
import { UserWorkflows } from './user-workflows.js';

/** What the routes call: each service one concern, all built once per app. */
export interface ApiServices {
  deps: ApiDeps;
  log: Logger;
  workflows: UserWorkflows;
  syncStatus: SyncStatusReader;
  operatorActions: OperatorActions;
  connections: ConnectionService;
  policies: PolicyService;
  preview: PolicyPreview;
}

const DEFAULT_QUERY_TIMEOUT_MS = 2_000;
export const DEFAULT_STALLED_AFTER_MS = 30 * 60 * 1000;

export function createApiServices(deps: ApiDeps): ApiServices {
  const log = deps.log ?? createLogger('api');
  const workflows = new UserWorkflows(deps.temporal, deps.workflowQueryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS);
  return {
    deps,
    log,
    workflows,
    syncStatus: new SyncStatusReader(deps.store, workflows, {
      temporalNamespace: deps.config.temporalNamespace,
      temporalUiUrl: deps.config.temporalUiUrl,
      stalledAfterMs: deps.stalledAfterMs ?? DEFAULT_STALLED_AFTER_MS,
    }),
    operatorActions: new OperatorActions(deps.store, workflows),
    connections: new ConnectionService(deps.store, workflows),
    policies: new PolicyService(deps.store, workflows, log, deps.onPolicyChanged),
    preview: new PolicyPreview(deps.connectionClients ?? new ConnectionClients(deps.store)),
  };
}
