import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryGroup, DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { SyncStatus } from '../../../shared/vocabulary.js';
import { membershipRunRequester } from '../../../api/services/membership.js';
import { apiClient, createApiApp } from '../../api/support.js';
import { passesEnded, passOutcomes, reconcileOnce, startMembership, until, type MembershipHandle } from '../../helpers/membership.js';
import { createSyncFixture, targetDomain, type SyncFixture } from '../../helpers/sync-fixture.js';

/**
 * The membership reconciler at scale (issue 13 item 6): a 10,000-member
 * group read through slow pages, its failures on the policy and in the audit
 * log, a group that no longer exists, a start that never happened, and one
 * pause or resume signal per user when the policy is switched.
 */
describe('the membership reconciler at scale', () => {
  let fixture: SyncFixture;
  let bigGroup: DirectoryGroup;
  let smallGroup: DirectoryGroup;
  let scalePolicyId: string;
  let enabledMembers: DirectoryUser[];
  let membership: MembershipHandle;

  const rows = () => fixture.store.syncUsers.listByPolicy(fixture.policyId);
  const policy = async (id = fixture.policyId) => (await fixture.store.policies.get(id))!;
  const auditCount = async (policyId: string, code: string) => (await fixture.store.audit.list({ policyId, code, limit: 50 })).items.length;
  const signalsIn = async (workflowId: string, name: string) =>
    ((await fixture.temporal.client.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes?.signalName === name).length;

  beforeAll(async () => {
    fixture = await createSyncFixture();
    const { tenant } = fixture.m365.emulator;
    // 10,000 members; all but three are disabled accounts, so the pass reads every page but starts three syncs.
    const members: DirectoryUser[] = [];
    for (let i = 0; i < 10_000; i++) {
      const upn = `member${String(i).padStart(5, '0')}@contoso.example`;
      members.push(tenant.addUser({ userPrincipalName: upn, displayName: `Member ${i}`, accountEnabled: i % 4000 === 0 }));
    }
    enabledMembers = members.filter((user) => user.accountEnabled);
    expect(enabledMembers).toHaveLength(3);
    bigGroup = tenant.addGroup({ displayName: 'Everyone at scale', memberIds: members.map((user) => user.id) });
    const scale = await fixture.store.policies.create({
      name: 'At scale',
      enabled: true,
      sourceConnectionId: fixture.sourceConnectionId,
      targetConnectionId: fixture.targetConnectionId,
      rules: { groupIds: [bigGroup.id] },
      dataTypes: ['mail'],
      cycleIntervalSeconds: 300,
      targetDomain,
      usernameMapping: 'same-local-part',
      storeSubjects: false,
    });
    scalePolicyId = scale.id;

    // The other cases run on the fixture's policy and a small group, each on its own.
    const team = [0, 1, 2].map((i) => tenant.addUser({ userPrincipalName: `staff${i}@contoso.example`, displayName: `Staff ${i}` }));
    smallGroup = tenant.addGroup({ displayName: 'Staff', memberIds: team.map((user) => user.id) });
    await fixture.store.policies.update(fixture.policyId, { rules: { groupIds: [smallGroup.id] } });
    membership = await startMembership(fixture, fixture.policyId);
    await until('the staff synced', async () => {
      const all = await rows();
      return all.length === 3 && all.every((row) => row.status === SyncStatus.Synced);
    });
  });
  afterAll(async () => fixture?.close());

  it('reads a 10,000-member group through slow pages within a 2-second heartbeat timeout', async () => {
    // Eleven pages of 999 (Graph's largest), each 600 ms late: far past the heartbeat timeout unless each page reports progress.
    fixture.m365.emulator.directoryLatency.pageMs = 600;
    const scale = await startMembership(fixture, scalePolicyId, { reconcileHeartbeatTimeoutSeconds: 2 });
    const synced = await until('the three enabled members synced', async () => {
      const all = await fixture.store.syncUsers.listByPolicy(scalePolicyId);
      return all.length === 3 && all.every((row) => row.status === SyncStatus.Synced) && all;
    });
    expect(synced.map((row) => row.sourceUserId).sort()).toEqual(enabledMembers.map((user) => user.id).sort());
    const pages = fixture.m365.emulator.stats.snapshot().byRoute['GET /v1.0/groups/:groupId/members']?.['200'] ?? 0;
    expect(pages).toBeGreaterThanOrEqual(11);
    // The first pass itself completed, at its first attempt: no heartbeat timeout, no retry
    // (an attempt Temporal gave up on may still run to its end in the worker, so the rows alone prove nothing).
    await until('the first pass ended', async () => (await passOutcomes(scale)).length > 0);
    expect((await passOutcomes(scale))[0]).toEqual({ outcome: 'completed', attempt: 1 });
    expect((await policy(scalePolicyId)).lastReconcileError).toBeNull();
    fixture.m365.emulator.directoryLatency.pageMs = 0;
    await scale.terminate();
  });

  it('reports a failed pass on the policy and in the audit log once, and clears it after the next pass that works', async () => {
    const { credentials } = fixture.m365.emulator.tenant;
    const restore = () => fixture.store.connections.replaceCredentials(fixture.sourceConnectionId, { clientSecret: credentials.rotateSecret() });
    credentials.revokeSecret();
    try {
      await reconcileOnce(membership);
      await reconcileOnce(membership);
      const failed = await policy();
      expect(failed.lastReconcileError).toMatchObject({ code: 'AUTH_TOKEN_EXPIRED' });
      expect(failed.lastReconcileError!.message).toMatch(/credentials/i);
      expect(await auditCount(fixture.policyId, 'RECONCILE_FAILED')).toBe(1);
      // Nobody was excluded for a directory that could not be read.
      expect((await rows()).every((row) => row.status !== SyncStatus.Excluded)).toBe(true);
    } finally {
      // The later cases need a working connection, whatever happened here.
      await restore();
    }

    await reconcileOnce(membership);
    expect((await policy()).lastReconcileError).toBeNull();
    expect(await auditCount(fixture.policyId, 'RECONCILE_RECOVERED')).toBe(1);
  });

  it('sends each user one pause signal when the policy is disabled and one resume signal when it is enabled', async () => {
    const api = apiClient(createApiApp(fixture.temporal, fixture.store, { onPolicyChanged: membershipRunRequester(fixture.temporal.client, fixture.temporal.taskQueue) }));
    const users = await rows();
    expect(users).toHaveLength(3);

    try {
      let before = await passesEnded(membership);
      expect((await api.post(`/api/policies/${fixture.policyId}/disable`)).status).toBe(200);
      await until('every user paused', async () => (await rows()).every((row) => row.status === SyncStatus.Paused));
      // The API asked the reconciler to run: its pass must send nothing more.
      await until('the pass the API asked for', async () => (await passesEnded(membership)) > before);
      for (const row of users) expect(await signalsIn(row.workflowId, 'pause')).toBe(1);

      before = await passesEnded(membership);
      expect((await api.post(`/api/policies/${fixture.policyId}/enable`)).status).toBe(200);
      await until('every user running again', async () => (await rows()).every((row) => row.status === SyncStatus.Synced));
      await until('the pass the API asked for', async () => (await passesEnded(membership)) > before);
      for (const row of users) {
        expect(await signalsIn(row.workflowId, 'resume')).toBe(1);
        expect(await signalsIn(row.workflowId, 'pause')).toBe(1);
      }
    } finally {
      // The later cases need the policy enabled, whatever happened here.
      await fixture.store.policies.setEnabled(fixture.policyId, true);
    }
  });

  it('a group that no longer exists is reported as GROUP_NOT_FOUND and excludes nobody', async () => {
    const { tenant } = fixture.m365.emulator;
    const members = [
      tenant.addUser({ userPrincipalName: 'team.one@contoso.example', displayName: 'Team One' }),
      tenant.addUser({ userPrincipalName: 'team.two@contoso.example', displayName: 'Team Two' }),
    ];
    const team = tenant.addGroup({ displayName: 'Team', memberIds: members.map((user) => user.id) });
    await fixture.store.policies.update(fixture.policyId, { rules: { groupIds: [smallGroup.id, team.id] } });
    await reconcileOnce(membership);
    await until('the team synced', async () => (await rows()).filter((row) => row.status === SyncStatus.Synced).length === 5);

    tenant.deleteGroup(team);
    await reconcileOnce(membership);
    await reconcileOnce(membership);
    const reported = await policy();
    expect(reported.lastReconcileError).toMatchObject({ code: 'GROUP_NOT_FOUND', details: { groupIds: [team.id] } });
    expect(reported.lastReconcileError!.message).toContain(team.id);
    const entries = (await fixture.store.audit.list({ policyId: fixture.policyId, code: 'RECONCILE_FAILED', limit: 50 })).items;
    expect(entries.filter((entry) => entry.details?.code === 'GROUP_NOT_FOUND')).toHaveLength(1);
    // The team's members stay as they are: a group that cannot be read proves nobody left it.
    const all = await rows();
    expect(all).toHaveLength(5);
    expect(all.filter((row) => row.status === SyncStatus.Excluded)).toEqual([]);
  });

  it('starts a user whose row was written by a pass that did not get to start their workflow', async () => {
    const { tenant } = fixture.m365.emulator;
    const newcomer = tenant.addUser({ userPrincipalName: 'newcomer@contoso.example', displayName: 'Newcomer' });
    tenant.directory.addGroupMember(smallGroup, newcomer);
    // (Last in the file: on code that never retries, this row stays Pending and would hold the other cases up.)
    // What a pass leaves when it dies (or Temporal refuses) between the row and the start.
    const { user: written } = await fixture.store.syncUsers.upsertSelected({
      policyId: fixture.policyId,
      sourceUserId: newcomer.id,
      workflowId: `user-sync-${fixture.policyId}-${newcomer.id}`,
      sourceEmail: newcomer.userPrincipalName,
      targetEmail: `newcomer@${targetDomain}`,
      displayName: newcomer.displayName,
    });
    expect(written).toMatchObject({ status: SyncStatus.Pending, runId: null });
    await reconcileOnce(membership);
    const started = await until('the newcomer synced', async () => {
      const row = await fixture.store.syncUsers.get(written.id);
      return row?.status === SyncStatus.Synced && row;
    });
    expect(started.runId).not.toBeNull();
  });
});
