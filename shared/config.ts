import { mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Every setting the processes read from the environment, in one place, so the
 * README's configuration table and the code cannot drift apart.
 */
export interface AppConfig {
  dataDir: string;
  port: number;
  /** host:port of a running Temporal frontend; undefined means "start the embedded dev server". */
  temporalAddress: string | undefined;
  temporalNamespace: string;
  temporalTaskQueue: string;
  temporalUiUrl: string;
  temporalTls: boolean;
  temporalApiKey: string | undefined;
  devServerPort: number;
  devServerUiPort: number;
  logLevel: string;
  m365EmulatorPort: number;
  googleEmulatorPort: number;
  /** Use already running emulators instead of starting them (URLs given explicitly). */
  m365EmulatorUrl: string | undefined;
  googleEmulatorUrl: string | undefined;
  startEmulators: boolean;
  /** Workflows a worker keeps in memory; unset, the Temporal SDK sizes it from the heap limit. */
  workerMaxCachedWorkflows: number | undefined;
  /** Bytes of downloaded messages a worker may hold at once before more downloads wait; unset, 256 MiB. */
  workerDownloadBudgetBytes: number | undefined;
  /** A prebuilt workflow bundle (npm run build:workflows); unset, the worker bundles the sources at start. */
  workflowBundlePath: string | undefined;
  /** Worker Versioning for rolling deploys (README, "Rolling deploys with Worker Versioning"); unset, the worker runs unversioned. */
  workerDeployment: WorkerDeploymentSetting | undefined;
}

/** The worker deployment version a worker polls as (Temporal's deployment name and build id). */
export interface WorkerDeploymentSetting {
  deploymentName: string;
  buildId: string;
}

/** Both TEMPORAL_WORKER_DEPLOYMENT_NAME and TEMPORAL_WORKER_BUILD_ID, or neither: one alone is a mistake worth stopping for. */
function workerDeploymentFromEnv(env: NodeJS.ProcessEnv): WorkerDeploymentSetting | undefined {
  const deploymentName = env.TEMPORAL_WORKER_DEPLOYMENT_NAME?.trim() || undefined;
  const buildId = env.TEMPORAL_WORKER_BUILD_ID?.trim() || undefined;
  if (!deploymentName && !buildId) return undefined;
  if (!deploymentName || !buildId) {
    const missing = deploymentName ? 'TEMPORAL_WORKER_BUILD_ID' : 'TEMPORAL_WORKER_DEPLOYMENT_NAME';
    throw new Error(
      `Worker Versioning needs both TEMPORAL_WORKER_DEPLOYMENT_NAME and TEMPORAL_WORKER_BUILD_ID; ${missing} is not set. Set both (README, "Rolling deploys with Worker Versioning"), or neither to run unversioned.`,
    );
  }
  // Temporal names a version `deploymentName.buildId` and refuses a deployment name with a dot in it.
  if (deploymentName.includes('.')) throw new Error(`TEMPORAL_WORKER_DEPLOYMENT_NAME must not contain a dot, got "${deploymentName}".`);
  return { deploymentName, buildId };
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a whole number between 0 and 65535, got "${raw}"`);
  }
  return value;
}

function megabytesFromEnv(env: NodeJS.ProcessEnv, name: string): number {
  const raw = env[name]!;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 1_048_576) throw new Error(`${name} must be a whole number of megabytes from 1 to 1048576, got "${raw}"`);
  return value * 1024 * 1024;
}

function boolFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const devServerUiPort = intFromEnv(env, 'TEMPORAL_UI_PORT', 8233);
  return {
    dataDir,
    port: intFromEnv(env, 'PORT', 3000),
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    temporalTaskQueue: env.TEMPORAL_TASK_QUEUE || 'm365-google-sync',
    temporalUiUrl: (env.TEMPORAL_UI_URL || `http://localhost:${devServerUiPort}`).replace(/\/$/, ''),
    temporalTls: boolFromEnv(env, 'TEMPORAL_TLS', Boolean(env.TEMPORAL_API_KEY)),
    temporalApiKey: env.TEMPORAL_API_KEY || undefined,
    devServerPort: intFromEnv(env, 'TEMPORAL_DEV_SERVER_PORT', 7233),
    devServerUiPort,
    logLevel: env.LOG_LEVEL || 'info',
    m365EmulatorPort: intFromEnv(env, 'M365_EMULATOR_PORT', 3001),
    googleEmulatorPort: intFromEnv(env, 'GOOGLE_EMULATOR_PORT', 3002),
    m365EmulatorUrl: env.M365_EMULATOR_URL || undefined,
    googleEmulatorUrl: env.GOOGLE_EMULATOR_URL || undefined,
    startEmulators: boolFromEnv(env, 'START_EMULATORS', true),
    workerMaxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS ? intFromEnv(env, 'WORKER_MAX_CACHED_WORKFLOWS', 0) : undefined,
    workerDownloadBudgetBytes: env.WORKER_DOWNLOAD_BUDGET_MB ? megabytesFromEnv(env, 'WORKER_DOWNLOAD_BUDGET_MB') : undefined,
    workflowBundlePath: env.WORKFLOW_BUNDLE_PATH || undefined,
    workerDeployment: workerDeploymentFromEnv(env),
  };
}

export function ensureDataDir(config: AppConfig): string {
  mkdirSync(config.dataDir, { recursive: true });
  return config.dataDir;
}
