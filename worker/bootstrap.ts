import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Logger } from '../shared/logger.js';
import type { GoogleServiceAccountKey, Store } from '../store/index.js';
import type { policyMembershipWorkflow } from '../workflows/membership/workflow.js';
import { demoConnectionsPath, readDemoConnections } from '../shared/demo-connections.js';
import { policyMembershipWorkflowId } from '../shared/workflow-ids.js';

export function demoConnectionsFile(dataDir: string): string {
  return demoConnectionsPath(path.join(dataDir, 'emulators'));
}

const actor = 'System (first start)';

/**
 * First start: with no connection in the database, create the two
 * connections and a policy, from real settings in the environment when they
 * are there (README, "Connecting real tenants"), else from the demo tenant
 * the emulators wrote. A real tenant's policy starts disabled, so nothing
 * syncs before an administrator has looked at its rules.
 */
export async function bootstrapConfiguration(store: Store, env: NodeJS.ProcessEnv, dataDir: string, log: Logger): Promise<void> {
  if ((await store.connections.list()).length > 0) return;

  const realMicrosoft = env.M365_TENANT_ID && env.M365_CLIENT_ID && env.M365_CLIENT_SECRET;
  const realGoogle = env.GOOGLE_SERVICE_ACCOUNT_KEY_FILE && env.GOOGLE_ADMIN_SUBJECT && env.GOOGLE_DOMAIN;
  const demo = readDemoConnections(path.join(dataDir, 'emulators')) ?? null;
  if (!(realMicrosoft || demo) || !(realGoogle || demo)) {
    log.info('no connections yet and no settings to create them from; add them through the API');
    return;
  }

  const source = await store.connections.create(
    realMicrosoft
      ? { kind: 'microsoft365', name: 'Microsoft 365', settings: { tenantId: env.M365_TENANT_ID!, clientId: env.M365_CLIENT_ID! }, credentials: { clientSecret: env.M365_CLIENT_SECRET! } }
      : {
          kind: 'microsoft365',
          name: 'Contoso (demo Microsoft 365)',
          settings: { tenantId: demo!.microsoft365.tenantId, clientId: demo!.microsoft365.clientId, authorityHost: demo!.microsoft365.authorityHost, graphBaseUrl: demo!.microsoft365.graphBaseUrl },
          credentials: { clientSecret: demo!.microsoft365.clientSecret },
        },
  );
  const googleKey = realGoogle
    ? (JSON.parse(readFileSync(env.GOOGLE_SERVICE_ACCOUNT_KEY_FILE!, 'utf8')) as GoogleServiceAccountKey)
    : (demo!.googleWorkspace.serviceAccountKey as unknown as GoogleServiceAccountKey);
  const domain = realGoogle ? env.GOOGLE_DOMAIN! : demo!.googleWorkspace.domain;
  const target = await store.connections.create({
    kind: 'google-workspace',
    name: realGoogle ? 'Google Workspace' : 'Example (demo Google Workspace)',
    settings: {
      serviceAccountEmail: googleKey.client_email,
      adminSubject: realGoogle ? env.GOOGLE_ADMIN_SUBJECT! : demo!.googleWorkspace.adminSubject,
      domain,
      ...(realGoogle ? {} : { apiBaseUrl: demo!.googleWorkspace.apiBaseUrl }),
    },
    credentials: { serviceAccountKey: googleKey },
  });
  const isDemo = !realMicrosoft && !realGoogle;
  const policy = await store.policies.create({
    name: isDemo ? 'Demo: all users' : 'All users',
    enabled: isDemo,
    sourceConnectionId: source.id,
    targetConnectionId: target.id,
    rules: { allUsers: true },
    // A real tenant must first authorize the contacts and calendar scopes for the client id (README, Contacts, Calendar); the demo tenant has them.
    dataTypes: isDemo ? ['mail', 'contacts', 'calendar'] : ['mail'],
    cycleIntervalSeconds: Number(env.DEMO_CYCLE_INTERVAL_SECONDS || (isDemo ? 120 : 900)),
    targetDomain: env.SYNC_TARGET_DOMAIN || domain,
    usernameMapping: 'same-local-part',
    storeSubjects: isDemo,
  });
  await store.audit.writeMany([
    { severity: 'Info', category: 'connection', code: 'CONNECTION_CREATED', message: `Created the connection "${source.name}".`, actor, connectionId: source.id, details: {} },
    { severity: 'Info', category: 'connection', code: 'CONNECTION_CREATED', message: `Created the connection "${target.name}".`, actor, connectionId: target.id, details: {} },
    {
      severity: 'Info',
      category: 'policy',
      code: 'POLICY_CREATED',
      message: isDemo ? `Created the policy "${policy.name}" for the demo tenant.` : `Created the policy "${policy.name}", disabled: review its rules, then enable it in Policies.`,
      actor,
      policyId: policy.id,
      details: {},
    },
  ]);
  log.info({ policyId: policy.id, demo: isDemo }, 'created the first connections and policy');
}

/** Every policy has its membership workflow running; starting it again is harmless. */
export async function ensureMembershipWorkflows(client: Client, taskQueue: string, store: Store): Promise<void> {
  for (const policy of await store.policies.listAll()) {
    await client.workflow.start<typeof policyMembershipWorkflow>('policyMembershipWorkflow', {
      taskQueue,
      workflowId: policyMembershipWorkflowId(policy.id),
      args: [{ policyId: policy.id }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
  }
}
