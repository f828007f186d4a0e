import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { PacingSettings } from '../../activities/pacing.js';
import type { DirectoryUser } from '../../emulators/microsoft365/state/directory.js';
import type { DataType } from '../../shared/data-types.js';
import { startUserSync } from '../../shared/start-user-sync.js';
import { userSyncWorkflowId } from '../../shared/workflow-ids.js';
import { openStore, type Store } from '../../store/index.js';
import type { UserSyncTuning } from '../../shared/contracts/user-sync.js';
import type { userSyncWorkflow } from '../../workflows/user-sync/workflow.js';
import { benchDomain, type BenchEmulators } from './emulators.js';
import type { BenchTemporal } from './temporal.js';
import type { SyncPlacement } from './context.js';
import { startBenchWorker, type BenchWorker } from './worker-control.js';

/**
 * The sync as `npm start` wires it, pointed at the bench's emulators: a
 * store, the two connections, one policy, and a worker process built by the
 * real factory on a task queue of its own.
 */
export interface BenchSync {
  store: Store;
  dataDir: string;
  taskQueue: string;
  policyId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  worker: BenchWorker;
  /** Selects users under the policy (SyncUser rows) and starts their workflows. */
  startUsers(users: DirectoryUser[], options: StartOptions): Promise<StartedUser[]>;
  /** The SyncUser rows alone, as the membership reconciler writes them before starting anyone. */
  selectUsers(users: DirectoryUser[]): Promise<SelectedSyncUser[]>;
  startWorkflows(selected: SelectedSyncUser[], options: StartOptions): Promise<StartedUser[]>;
  close(): Promise<void>;
}

export interface SelectedSyncUser {
  syncUserId: string;
  workflowId: string;
  sourceUserId: string;
}

export interface StartedUser extends SelectedSyncUser {
  handle: WorkflowHandle<typeof userSyncWorkflow>;
}

export interface StartOptions {
  intervalSeconds: number;
  tuning?: UserSyncTuning;
  /** Spread the starts evenly at this rate, as a fleet in steady state has its cycles spread over the interval. */
  startsPerSecond?: number;
}

export interface BenchSyncOptions {
  bench: SyncPlacement;
  temporal: BenchTemporal;
  emulators: BenchEmulators;
  pacing: PacingSettings;
  /** Messages per Graph delta page; the product's default is 100. */
  deltaPageSize?: number;
  /** The worker's workflow cache (WORKER_MAX_CACHED_WORKFLOWS); the SDK's default when absent. */
  maxCachedWorkflows?: number;
  /** What the policy copies; mail when absent. */
  dataTypes?: DataType[];
  label: string;
}

let taskQueueCounter = 0;
const startLanes = 16;

export async function startBenchSync(options: BenchSyncOptions): Promise<BenchSync> {
  const { emulators, temporal } = options;
  const dataDir = mkdtempSync(path.join(options.bench.dataDir, `${options.label}-`));
  const store = await openStore({ dataDir, databaseUrl: options.bench.databaseUrl });
  const m365 = emulators.m365.graphSettings;
  const source = await store.connections.create({
    kind: 'microsoft365',
    name: 'Bench Microsoft 365',
    settings: { tenantId: m365.tenantId, clientId: m365.clientId, authorityHost: m365.authorityHost!, graphBaseUrl: m365.graphBaseUrl! },
    credentials: { clientSecret: m365.clientSecret },
  });
  const google = emulators.google.googleSettings;
  const target = await store.connections.create({
    kind: 'google-workspace',
    name: 'Bench Google Workspace',
    settings: { serviceAccountEmail: google.serviceAccountKey.client_email, adminSubject: google.adminSubject, domain: benchDomain, apiBaseUrl: google.apiBaseUrl },
    credentials: { serviceAccountKey: google.serviceAccountKey as never },
  });
  const policy = await store.policies.create({
    name: 'Bench',
    enabled: true,
    sourceConnectionId: source.id,
    targetConnectionId: target.id,
    rules: { allUsers: true },
    dataTypes: options.dataTypes ?? ['mail'],
    cycleIntervalSeconds: 900,
    targetDomain: benchDomain,
    usernameMapping: 'same-local-part',
    storeSubjects: false,
  });

  taskQueueCounter += 1;
  const taskQueue = `bench-${options.label}-${process.pid}-${taskQueueCounter}`;
  const worker = await startBenchWorker(
    {
      temporalAddress: temporal.server.address,
      namespace: 'default',
      taskQueue,
      dataDir,
      databaseUrl: options.bench.databaseUrl,
      pacing: options.pacing,
      deltaPageSize: options.deltaPageSize ?? 100,
      maxCachedWorkflows: options.maxCachedWorkflows,
    },
    { profileDir: options.bench.profileDir, logFile: path.join(dataDir, 'worker.log') },
  );

  const selectOne = async (user: DirectoryUser): Promise<SelectedSyncUser> => {
    const workflowId = userSyncWorkflowId(policy.id, user.id);
    const address = user.mail ?? user.userPrincipalName;
    const { user: row } = await store.syncUsers.upsertSelected({
      policyId: policy.id,
      sourceUserId: user.id,
      workflowId,
      sourceEmail: address,
      targetEmail: `${address.split('@')[0]}@${benchDomain}`,
      displayName: user.displayName,
    });
    return { syncUserId: row.id, workflowId, sourceUserId: user.id };
  };

  // Each cycle reads its policy's interval, so the scenario's interval is the policy's.
  let policyIntervalSeconds = policy.cycleIntervalSeconds;
  const usePolicyInterval = async (intervalSeconds: number) => {
    if (intervalSeconds === policyIntervalSeconds) return;
    await store.policies.update(policy.id, { cycleIntervalSeconds: intervalSeconds });
    policyIntervalSeconds = intervalSeconds;
  };

  const startOne = async (selected: SelectedSyncUser, intervalSeconds: number, tuning: UserSyncTuning | undefined): Promise<StartedUser> => {
    await usePolicyInterval(intervalSeconds);
    const handle = await startUserSync(temporal.client, taskQueue, {
      syncUserId: selected.syncUserId,
      policyId: policy.id,
      sourceUserId: selected.sourceUserId,
      sourceConnectionId: source.id,
      targetConnectionId: target.id,
      cycleIntervalSeconds: intervalSeconds,
      ...(tuning ? { tuning } : {}),
    });
    return { ...selected, handle };
  };

  const selectUsers = async (users: DirectoryUser[]): Promise<SelectedSyncUser[]> => {
    const selected: SelectedSyncUser[] = [];
    for (const user of users) selected.push(await selectOne(user));
    return selected;
  };

  const startWorkflows = async (selected: SelectedSyncUser[], { intervalSeconds, tuning, startsPerSecond }: StartOptions): Promise<StartedUser[]> => {
    const started: StartedUser[] = new Array(selected.length);
    const beganAt = Date.now();
    let next = 0;
    // A few starts in flight: a busy server answers a start in hundreds of milliseconds, which would
    // otherwise stretch the spread far beyond the interval.
    const lane = async (): Promise<void> => {
      while (next < selected.length) {
        const index = next++;
        if (startsPerSecond) {
          const wait = beganAt + (index / startsPerSecond) * 1000 - Date.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        started[index] = await startOne(selected[index]!, intervalSeconds, tuning);
      }
    };
    await Promise.all(Array.from({ length: Math.min(startLanes, selected.length) }, lane));
    return started;
  };

  return {
    store,
    dataDir,
    taskQueue,
    policyId: policy.id,
    sourceConnectionId: source.id,
    targetConnectionId: target.id,
    worker,
    selectUsers,
    startWorkflows,
    async startUsers(users, startOptions) {
      return startWorkflows(await selectUsers(users), startOptions);
    },
    async close() {
      await worker.stop();
      await store.close();
    },
  };
}
