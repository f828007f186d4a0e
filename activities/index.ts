import type { Client } from '@temporalio/client';
import type { Store } from '../store/index.js';
import { ConnectionClients } from '../connectors/connection-clients.js';
import { createDiagnosticsActivities } from './diagnostics/worker-health.js';
import { defaultMaxImportBytes } from './mail/classify-item.js';
import type { MailDeps } from './mail/mailbox.js';
import { createMailModule } from './mail/module.js';
import { createContactsModule } from './contacts/module.js';
import { createCalendarModule } from './calendar/module.js';
import { createDataTypeActivities } from './engine/activities.js';
import { defaultTargetAccountSettings, type TargetAccountSettings } from './engine/target-account.js';
import { defaultGraphPermissionSettings, type GraphPermissionSettings } from './microsoft365/permission-refusal.js';
import { defaultPacing, MailboxPacers, type PacingSettings } from './pacing.js';
import { defaultDownloadBudgetBytes, DownloadBudget } from './download-budget.js';
import { createProvisioningActivities } from './provisioning/provision-google-user.js';
import { createCycleActivities } from './sync-state/cycle.js';
import { createSyncStateActivities } from './sync-state/publish.js';
import { reconcilePolicyMembership, type ReconcileInput } from './policies/reconcile-membership.js';
import { recordReconcileFailure, type UnreportedFailure } from './policies/reconcile-failures.js';

/**
 * The one place activities are built. The worker and the tests both call this
 * factory with their clients and stores, so they are wired the same way.
 */
export interface ActivityDeps {
  workerIdentity: string;
  store: Store;
  pacing?: PacingSettings;
  maxImportBytes?: number;
  /** Bytes of downloaded messages and photos the worker may hold before further downloads wait (WORKER_DOWNLOAD_BUDGET_MB). */
  downloadBudgetBytes?: number;
  deltaPageSize?: number;
  /** How long a just-created Google account may be refused before the cycle gives up. */
  targetAccount?: TargetAccountSettings;
  /** How old a token may be before a Graph refusal is checked against a new one (consent given since). */
  graphPermissions?: GraphPermissionSettings;
  /** The clock the calendar window is due by; tests move it to roll the window forward. */
  now?: () => Date;
  /** For the membership reconciler, which starts and signals user workflows. */
  temporal?: { client: Client; taskQueue: string };
}

export function createActivities(deps: ActivityDeps) {
  const connections = new ConnectionClients(deps.store);
  // One set of pacers for every type: Graph's per-mailbox budget is shared by mail, contacts and calendar.
  const pacers = new MailboxPacers(deps.pacing ?? defaultPacing);
  // One budget for every type's downloads: message bytes and contact photos alike.
  const downloads = new DownloadBudget(deps.downloadBudgetBytes ?? defaultDownloadBudgetBytes);
  const mail: MailDeps = {
    store: deps.store,
    connections,
    pacers,
    downloads,
    maxImportBytes: deps.maxImportBytes ?? defaultMaxImportBytes,
    deltaPageSize: deps.deltaPageSize ?? 100,
  };
  return {
    ...createDiagnosticsActivities(deps),
    ...createProvisioningActivities({ store: deps.store, connections }),
    ...createSyncStateActivities({ store: deps.store }),
    ...createCycleActivities({ store: deps.store }),
    // One module per data type behind the engine; each contributes its discover and sync activities.
    ...createDataTypeActivities(
      {
        store: deps.store,
        connections,
        targetAccount: deps.targetAccount ?? defaultTargetAccountSettings,
        graphPermissions: deps.graphPermissions ?? defaultGraphPermissionSettings,
      },
      [
        createMailModule(mail),
        createContactsModule({ store: deps.store, connections, pacers, downloads, deltaPageSize: deps.deltaPageSize ?? 100 }),
        createCalendarModule({ store: deps.store, connections, pacers, deltaPageSize: deps.deltaPageSize ?? 100, now: deps.now }),
      ],
    ),
    reconcilePolicyMembership: (input: ReconcileInput) => {
      if (!deps.temporal) throw new Error('This worker was built without a Temporal client, so it cannot run the membership reconciler.');
      return reconcilePolicyMembership({ store: deps.store, connections, temporal: deps.temporal }, input);
    },
    recordReconcileFailure: (input: UnreportedFailure) => recordReconcileFailure(deps.store, input),
  };
}

export type Activities = ReturnType<typeof createActivities>;
