import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryGroup, DirectoryUser } from '../../emulators/microsoft365/state/directory.js';
import { membershipRunRequester } from '../../api/services/membership.js';
import { policyMembershipWorkflowId } from '../../shared/workflow-ids.js';
import { createSyncFixture, type SyncFixture } from '../helpers/sync-fixture.js';
import { apiClient, createApiApp, readAllPages, unknownId, type ApiClient, type ProblemBody } from './support.js';

interface PolicyBody {
  id: string;
  name: string;
  enabled: boolean;
  rules: Record<string, unknown>;
  cycleIntervalSeconds: number;
  usernameMapping: string;
  storeSubjects: boolean;
  calendarMonthsBack: number;
  calendarMonthsAhead: number;
  dataTypes: string[];
  usersByStatus?: Record<string, number>;
}

describe('policies: create, read, change, switch, delete, preview', () => {
  let fixture: SyncFixture;
  let api: ApiClient;
  let changed: string[];
  let users: DirectoryUser[];
  let groups: DirectoryGroup[];
  let newPolicy: (name: string, extra?: Record<string, unknown>) => Record<string, unknown>;

  beforeAll(async () => {
    fixture = await createSyncFixture({ startWorker: false });
    ({ users, groups } = fixture.m365.emulator.seed({ seed: 7, users: 12, messagesPerUser: 0, failingItemsPerUser: 0, groups: true }));
    changed = [];
    api = apiClient(createApiApp(fixture.temporal, fixture.store, { onPolicyChanged: async (policyId) => void changed.push(policyId) }));
    newPolicy = (name, extra = {}) => ({
      name,
      sourceConnectionId: fixture.sourceConnectionId,
      targetConnectionId: fixture.targetConnectionId,
      rules: { allUsers: true },
      targetDomain: 'example.com',
      ...extra,
    });
  });
  afterAll(async () => fixture?.close());

  it('creates a policy with defaults, audits it and tells the membership reconciler', async () => {
    const res = await api.post<PolicyBody>('/api/policies', newPolicy('Sales', { rules: { domains: ['Contoso.Example'] } }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Sales',
      enabled: true,
      rules: { domains: ['contoso.example'] },
      cycleIntervalSeconds: 900,
      usernameMapping: 'same-local-part',
      storeSubjects: false,
      dataTypes: ['mail'],
      calendarMonthsBack: 24,
      calendarMonthsAhead: 36,
    });
    expect(changed).toEqual([res.body.id]);
    const audit = await fixture.store.audit.list({ policyId: res.body.id, code: 'POLICY_CREATED' });
    expect(audit.items[0]).toMatchObject({ category: 'policy', actor: 'Administrator (API token)' });
    const duplicate = await api.post<ProblemBody>('/api/policies', newPolicy('Sales'));
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors?.[0]?.path).toBe('body.name');
  });

  it('reads a policy with its users per status, and pages through the list by name', async () => {
    for (const name of ['Alpha', 'Bravo', 'Charlie', 'Delta']) await api.post('/api/policies', newPolicy(name, { enabled: false }));
    const { items } = await readAllPages<PolicyBody>(api, '/api/policies', 2);
    expect(items.map((policy) => policy.name)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Everyone', 'Sales']);
    const disabled = await api.get<{ items: PolicyBody[] }>('/api/policies?enabled=false');
    expect(disabled.body.items.map((policy) => policy.name)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta']);
    const byConnection = await api.get<{ items: PolicyBody[] }>(`/api/policies?connectionId=${fixture.targetConnectionId}&limit=500`);
    expect(byConnection.body.items).toHaveLength(6);

    await fixture.startSync(users[0]!);
    const everyone = await api.get<PolicyBody>(`/api/policies/${fixture.policyId}`);
    expect(everyone.status).toBe(200);
    expect(everyone.body.usersByStatus).toMatchObject({ Pending: 1, Synced: 0 });
  });

  it('changes a policy, refuses to move its connections while users are selected, and deletes only an empty one', async () => {
    const patched = await api.patch<PolicyBody>(`/api/policies/${fixture.policyId}`, { cycleIntervalSeconds: 600, storeSubjects: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ cycleIntervalSeconds: 600, storeSubjects: false, name: 'Everyone' });
    expect(changed).toContain(fixture.policyId);
    expect((await fixture.store.audit.list({ policyId: fixture.policyId, code: 'POLICY_UPDATED' })).items[0]?.details).toEqual({ fields: ['cycleIntervalSeconds', 'storeSubjects'] });

    const window = await api.patch<PolicyBody>(`/api/policies/${fixture.policyId}`, { calendarMonthsBack: 6, calendarMonthsAhead: 0 });
    expect(window.body).toMatchObject({ calendarMonthsBack: 6, calendarMonthsAhead: 0 });
    for (const [field, value] of [
      ['calendarMonthsAhead', 121],
      ['calendarMonthsBack', -1],
      ['calendarMonthsBack', 1.5],
    ] as const) {
      const refused = await api.patch<ProblemBody>(`/api/policies/${fixture.policyId}`, { [field]: value });
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.[0]?.path).toBe(`body.${field}`);
    }
    expect((await api.get<PolicyBody>(`/api/policies/${fixture.policyId}`)).body).toMatchObject({ calendarMonthsBack: 6, calendarMonthsAhead: 0 });

    const other = await fixture.store.connections.create({
      kind: 'microsoft365',
      name: 'Another tenant',
      settings: { tenantId: 't', clientId: 'c' },
      credentials: { clientSecret: 'generated-for-this-test' },
    });
    const move = await api.patch<ProblemBody>(`/api/policies/${fixture.policyId}`, { sourceConnectionId: other.id });
    expect(move.status).toBe(409);
    expect(move.body.code).toBe('POLICY_IN_USE');

    const inUse = await api.delete<ProblemBody>(`/api/policies/${fixture.policyId}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe('POLICY_IN_USE');

    const alpha = (await api.get<{ items: PolicyBody[] }>('/api/policies?limit=1')).body.items[0]!;
    const deleted = await app().request(`/api/policies/${alpha.id}`, { method: 'DELETE', headers: { authorization: 'Bearer api-suite-token' } });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await api.get(`/api/policies/${alpha.id}`)).status).toBe(404);
    expect((await api.delete(`/api/policies/${alpha.id}`)).status).toBe(404);
    expect((await fixture.store.audit.list({ code: 'POLICY_DELETED' })).items[0]?.details).toEqual({ policyId: alpha.id });
  });

  it('disables and enables a policy, auditing only real changes', async () => {
    const bravo = (await api.get<{ items: PolicyBody[] }>('/api/policies?limit=1')).body.items[0]!;
    const first = await api.post<{ policy: PolicyBody; changed: boolean; signalledUsers: number }>(`/api/policies/${bravo.id}/enable`);
    expect(first.body).toMatchObject({ changed: true, signalledUsers: 0, policy: { enabled: true } });
    const again = await api.post<{ changed: boolean }>(`/api/policies/${bravo.id}/enable`);
    expect(again.body.changed).toBe(false);
    const off = await api.post<{ policy: PolicyBody; changed: boolean }>(`/api/policies/${bravo.id}/disable`);
    expect(off.body).toMatchObject({ changed: true, policy: { enabled: false } });
    const codes = (await fixture.store.audit.list({ policyId: bravo.id, category: 'policy' })).items.map((entry) => entry.code);
    expect(codes).toEqual(['POLICY_DISABLED', 'POLICY_ENABLED', 'POLICY_CREATED']);
  });

  it('keeps the change when the membership reconciler fails, and says so in the audit log', async () => {
    const failing = apiClient(createApiApp(fixture.temporal, fixture.store, { onPolicyChanged: async () => Promise.reject(new Error('reconciler is down')) }));
    const res = await failing.post<PolicyBody>('/api/policies', newPolicy('Resilient'));
    expect(res.status).toBe(201);
    const audit = await fixture.store.audit.list({ policyId: res.body.id, code: 'MEMBERSHIP_UPDATE_FAILED' });
    expect(audit.items[0]).toMatchObject({ severity: 'Warning', category: 'membership' });
    expect(audit.items[0]?.message).toContain('reconciler is down');
  });

  it('previews the users the rules select now, page by page, from Microsoft 365', async () => {
    const pilot = groups.find((group) => group.displayName === 'Migration Pilot')!;
    const created = await api.post<PolicyBody>('/api/policies', newPolicy('Pilot', { rules: { groupIds: [pilot.id], include: [users[11]!.userPrincipalName], exclude: [pilot.memberIds[0]!] } }));
    const { items } = await readAllPages<{ id: string; userPrincipalName: string; accountEnabled: boolean }>(api, `/api/policies/${created.body.id}/preview`, 2);
    const expected = new Set([...pilot.memberIds.slice(1), users[11]!.id]);
    expect(pilot.memberIds).not.toContain(users[11]!.id);
    expect(new Set(items.map((user) => user.id))).toEqual(expected);
    expect(items.map((user) => user.userPrincipalName)).toEqual([...items.map((user) => user.userPrincipalName)].sort());
    const first = await api.get<{ total: number }>(`/api/policies/${created.body.id}/preview?limit=1`);
    expect(first.body.total).toBe(expected.size);
    expect((await api.get(`/api/policies/${unknownId}/preview`)).status).toBe(404);
  });

  it('answers a preview naming a missing group with 422, and one Microsoft refuses with 502 and its error', async () => {
    const ghost = await api.post<PolicyBody>('/api/policies', newPolicy('Ghost group', { rules: { groupIds: ['a1b2c3d4-0000-4000-8000-00000000dead'] } }));
    const missing = await api.get<ProblemBody>(`/api/policies/${ghost.body.id}/preview`);
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('GROUP_NOT_FOUND');

    const res = await fetch(`${fixture.m365.url}/_control/credentials/revoke`, { method: 'POST' });
    expect(res.ok).toBe(true);
    const refused = await api.get<ProblemBody>(`/api/policies/${fixture.policyId}/preview`);
    expect(refused.status).toBe(502);
    expect(refused.body.code).toBe('AUTH_TOKEN_EXPIRED');
    expect(refused.body.serviceError).toMatchObject({ service: 'microsoft365', kind: 'auth' });
  });

  it("wires the hook main.ts uses: the policy's membership workflow is started, or told to run now", async () => {
    const requestRun = membershipRunRequester(fixture.temporal.client, fixture.temporal.taskQueue);
    await requestRun(fixture.policyId);
    const handle = fixture.temporal.client.workflow.getHandle(policyMembershipWorkflowId(fixture.policyId));
    const first = await handle.describe();
    expect(first.type).toBe('policyMembershipWorkflow');
    expect(first.status.name).toBe('RUNNING');
    await requestRun(fixture.policyId);
    expect((await handle.describe()).runId).toBe(first.runId);
    await handle.terminate('test done');
  });

  function app() {
    return createApiApp(fixture.temporal, fixture.store);
  }
});
