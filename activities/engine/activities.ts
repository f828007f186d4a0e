import { dataTypeActivityNames, type SyncableDataType } from '../../shared/data-types.js';
import type { AnyDataTypeModule, ContainersSyncResult, DiscoverContainersInput, DiscoveredContainers, EngineDeps, SyncContainersInput, UserPairInput } from './data-type-module.js';
import { syncContainers } from './sync-containers.js';
import { withTargetAccount, type TargetAccountSettings } from './target-account.js';
import { withGraphPermission, type GraphPermissionSettings } from '../microsoft365/permission-refusal.js';

type Names = typeof dataTypeActivityNames;

/** Each data type's two activities, under the names the workflow calls (shared/data-types.ts). */
export type DataTypeActivities = {
  [K in SyncableDataType as Names[K]['discover']]: (input: DiscoverContainersInput) => Promise<DiscoveredContainers>;
} & {
  [K in SyncableDataType as Names[K]['sync']]: (input: SyncContainersInput) => Promise<ContainersSyncResult>;
};

/**
 * Lists, checks and records a type's containers; the type's first-copy size
 * goes to its own state, and the user's progress bar counts every type.
 */
async function discoverContainers(deps: EngineDeps, module: AnyDataTypeModule, input: DiscoverContainersInput): Promise<DiscoveredContainers> {
  const { initialSyncTotal, ...found } = await module.discoverContainers(input);
  await deps.store.dataTypeStates.update(input.syncUserId, module.dataType, { initialSyncTotal });
  const totals = (await deps.store.dataTypeStates.list(input.syncUserId)).map((state) => state.initialSyncTotal ?? 0);
  await deps.store.syncUsers.update(input.syncUserId, { initialSyncTotal: totals.reduce((sum, n) => sum + n, 0) });
  return found;
}

/** The sync activity, listing the containers first when the workflow does not know them yet. */
async function discoverThenSync(deps: EngineDeps, module: AnyDataTypeModule, input: SyncContainersInput): Promise<ContainersSyncResult> {
  if (!input.discover) return syncContainers(deps, module, input);
  const { discover, ...pair } = input;
  const discovered = await discoverContainers(deps, module, { ...pair, skippedContainerIds: discover.skippedContainerIds });
  return { ...(await syncContainers(deps, module, { ...pair, sourceContainerIds: discovered.sourceContainerIds })), discovered };
}

/**
 * Each type's activities end with its user's own code when a service refused that user or type:
 * Google's refusal of the target account (target-account.ts), Graph's refusal for want of the
 * type's application permission (permission-refusal.ts).
 */
export function createDataTypeActivities(deps: EngineDeps & { targetAccount: TargetAccountSettings; graphPermissions: GraphPermissionSettings }, modules: AnyDataTypeModule[]): DataTypeActivities {
  const targetAccount = { connections: deps.connections, targetAccount: deps.targetAccount };
  const activities: Record<string, (input: never) => Promise<unknown>> = {};
  for (const module of modules) {
    const names = dataTypeActivityNames[module.dataType];
    const guarded = <T>(input: UserPairInput, run: () => Promise<T>): Promise<T> => {
      const permission = { graph: () => deps.connections.graph(input.sourceConnectionId), settings: deps.graphPermissions };
      return withTargetAccount(targetAccount, input, () => withGraphPermission(permission, module.dataType, run));
    };
    activities[names.discover] = (input: DiscoverContainersInput) => guarded(input, () => discoverContainers(deps, module, input));
    activities[names.sync] = (input: SyncContainersInput) => guarded(input, () => discoverThenSync(deps, module, input));
  }
  const missing = Object.keys(dataTypeActivityNames).filter((type) => !modules.some((module) => module.dataType === type));
  if (missing.length) throw new Error(`No data type module for ${missing.join(', ')}: every type in shared/data-types.ts needs one.`);
  return activities as unknown as DataTypeActivities;
}
