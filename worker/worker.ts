import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { DataConverter, WorkerDeploymentVersion } from '@temporalio/common';
import { Worker, type BundleOptions, type NativeConnection, type WorkerDeploymentOptions, type WorkflowBundleOption } from '@temporalio/worker';

type WebpackConfiguration = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];
import { createActivities, type ActivityDeps } from '../activities/index.js';

/** ESM sources import siblings as `./x.js` while the files on disk are `.ts`. */
export function resolveTsFromJsImports(config: WebpackConfiguration): WebpackConfiguration {
  config.resolve = { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } };
  return config;
}

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface SyncWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activityDeps: Omit<ActivityDeps, 'workerIdentity'>;
  /** A prebuilt bundle (tests build one for the whole run); otherwise bundled from source at start. */
  workflowBundle?: WorkflowBundleOption;
  identity?: string;
  /**
   * Workflows kept in memory between their tasks. A user whose workflow was
   * evicted replays its history at its next cycle, so a worker that carries
   * many users wants one per user (WORKER_MAX_CACHED_WORKFLOWS); unset, the
   * SDK sizes the cache from the heap limit.
   */
  maxCachedWorkflows?: number;
  /** The payload codec (shared/payload-codec.ts): the same one every client of these workflows uses. */
  dataConverter?: DataConverter;
  /** Poll as this worker deployment version (Worker Versioning); unset, the worker is unversioned. */
  deployment?: WorkerDeploymentVersion;
}

/**
 * Worker Versioning on, as `version`. Every workflow here defaults to
 * AUTO_UPGRADE: a user's sync runs for months, so PINNED would keep it on the
 * build it started on until that build's workers are gone, and it would then
 * stall. Auto-upgraded workflows move to the current version at their next
 * task, which is why workflow changes still go behind patched() (README,
 * "Changing workflow code safely"): the new build replays the old history.
 */
export function versionedDeployment(version: WorkerDeploymentVersion): WorkerDeploymentOptions {
  return { version, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}

export function defaultWorkerIdentity(): string {
  return `${process.pid}@${os.hostname()}`;
}

export async function createSyncWorker(options: SyncWorkerOptions): Promise<Worker> {
  const identity = options.identity ?? defaultWorkerIdentity();
  const activities = createActivities({ ...options.activityDeps, workerIdentity: identity });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    identity,
    activities,
    ...(options.maxCachedWorkflows ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...(options.deployment ? { workerDeploymentOptions: versionedDeployment(options.deployment) } : {}),
    // A pause reaches a running copy activity as a cancellation, which the server hands over only in
    // its answer to a heartbeat; by default the SDK sends one per 80 % of the heartbeat timeout (48 s).
    // One a second lets a pause land within seconds, and costs a heartbeat per second per busy activity.
    maxHeartbeatThrottleInterval: '1 second',
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    bundlerOptions: { webpackConfigHook: resolveTsFromJsImports },
  });
}
