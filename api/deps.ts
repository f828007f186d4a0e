import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Logger } from 'pino';
import type { ConnectionClients } from '../connectors/connection-clients.js';
import type { AppConfig } from '../shared/config.js';
import type { Store } from '../store/index.js';

/** Everything the API is built from; main.ts wires the real ones, tests their own. */
export interface ApiDeps {
  config: Pick<AppConfig, 'temporalNamespace' | 'temporalTaskQueue' | 'temporalUiUrl'>;
  temporal: Client;
  /** host:port of the Temporal frontend, for the health report. */
  temporalAddress: string;
  apiToken: string;
  store: Store;
  /**
   * Called after a policy is created, changed, enabled or disabled, so the
   * membership reconciler evaluates it at once (main.ts: membershipRunRequester).
   * Keep it quick: hand the work off. A failure is logged and audited; the
   * policy change itself stands.
   */
  onPolicyChanged?: (policyId: string) => Promise<void>;
  /** Clients built from stored connections, shared with nothing else (default: one set for this API). */
  connectionClients?: ConnectionClients;
  log?: Logger;
  /** How long the detail panel and the operator actions wait for a workflow's status query. Default 2000 ms. */
  workflowQueryTimeoutMs?: number;
  /** How often the console's pages reload their data (seconds, default 10). */
  consoleRefreshSeconds?: number;
  /** An Initial Sync without progress for this long is flagged as stalled in the detail panel. Default 30 minutes. */
  stalledAfterMs?: number;
  /** When set, GET /metrics wants it as a bearer token (METRICS_TOKEN); unset, the metrics are open. */
  metricsToken?: string;
  /** The payload codec the workers use: /api/codec decodes payloads for Temporal UI. Unset, the codec routes answer 404. */
  payloadCodec?: PayloadCodec;
}
