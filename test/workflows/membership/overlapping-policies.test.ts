import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { SyncUserView } from '../../../store/index.js';
import { apiClient, createApiApp } from '../../api/support.js';
import { expectEveryMessageOnce } from '../../helpers/exactly-once.js';
import { gmailImports, reconcileOnce, startMembership, until, type MembershipHandle } from '../../helpers/membership.js';
import { createSyncFixture, targetDomain, type SyncFixture } from '../../helpers/sync-fixture.js';

/**
 * One sync per mailbox pair (issue 12 item 3): two all-users policies on the
 * same connections, both enabled, copy every mailbox once; the policy that
 * does not own a user shows them SyncedElsewhere with one audit entry; and
 * when the owner lets a user go the other policy takes the same sync over.
 */
describe('two policies that select the same people', () => {
  let fixture: SyncFixture;
  let users: DirectoryUser[];
  let secondPolicyId: string;
  let first: MembershipHandle;
  let second: MembershipHandle;

  const rowsOf = (policyId: string) => fixture.store.syncUsers.listByPolicy(policyId);
  const expectedMessages = () => users.reduce((sum, user) => sum + expectEveryMessageOnce(fixture, user), 0);

  beforeAll(async () => {
    fixture = await createSyncFixture();
    users = fixture.m365.emulator.seed({ seed: 73, users: 3, messagesPerUser: 8, failingItemsPerUser: 0, groups: false }).users;
    const second = await fixture.store.policies.create({
      name: 'Everyone, again',
      enabled: true,
      sourceConnectionId: fixture.sourceConnectionId,
      targetConnectionId: fixture.targetConnectionId,
      rules: { allUsers: true },
      dataTypes: ['mail'],
      cycleIntervalSeconds: 300,
      targetDomain,
      usernameMapping: 'same-local-part',
      storeSubjects: false,
    });
    secondPolicyId = second.id;
  });
  afterAll(async () => fixture?.close());

  it('both enabled at once: each mailbox has one sync, the other policy shows it SyncedElsewhere, and every message arrives once', async () => {
    // Both reconcilers run at the same moment: the unique pair key decides, user by user, which policy is first.
    [first, second] = await Promise.all([startMembership(fixture, fixture.policyId), startMembership(fixture, secondPolicyId)]);
    const settled = await until('one Synced sync and one SyncedElsewhere row per user', async () => {
      const all = [...(await rowsOf(fixture.policyId)), ...(await rowsOf(secondPolicyId))];
      const perUser = users.map((user) => all.filter((row) => row.sourceUserId === user.id));
      const ok = perUser.every((rows) => rows.length === 2 && rows.some((r) => r.status === SyncStatus.Synced) && rows.some((r) => r.status === SyncStatus.SyncedElsewhere));
      return ok && perUser;
    });
    for (const rows of settled) {
      const owner = rows.find((r) => r.status === SyncStatus.Synced)!;
      const elsewhere = rows.find((r) => r.status === SyncStatus.SyncedElsewhere)!;
      expect(owner.ownsPair).toBe(true);
      expect(elsewhere).toMatchObject({ ownsPair: false, syncedByUserId: owner.id, counts: { exported: 0, imported: 0, failed: 0, skipped: 0 } });
      // One audit entry for the row that is SyncedElsewhere.
      const audit = await fixture.store.audit.list({ syncUserId: elsewhere.id, code: 'USER_SYNCED_ELSEWHERE', limit: 10 });
      expect(audit.items).toHaveLength(1);
      expect(audit.items[0]!.details).toMatchObject({ syncedByUserId: owner.id, syncedByPolicyId: owner.policyId });
    }
    const imported = expectedMessages();
    expect(imported).toBe(24);
    // Gmail would merge a second import of a Message-ID, so the imports it answered are counted too: one per message.
    expect(gmailImports(fixture)).toBe(imported);
  });

  it('later passes change nothing: no second audit entry, no workflow for the SyncedElsewhere rows', async () => {
    await reconcileOnce(first);
    await reconcileOnce(second);
    const elsewhere = [...(await rowsOf(fixture.policyId)), ...(await rowsOf(secondPolicyId))].filter((r) => r.status === SyncStatus.SyncedElsewhere);
    expect(elsewhere).toHaveLength(users.length);
    for (const row of elsewhere) {
      expect((await fixture.store.audit.list({ syncUserId: row.id, code: 'USER_SYNCED_ELSEWHERE', limit: 10 })).items).toHaveLength(1);
      await expect(fixture.temporal.client.workflow.getHandle(row.workflowId).describe()).rejects.toThrow();
    }
    expect(gmailImports(fixture)).toBe(24);
  });

  it('the API lists SyncedElsewhere rows with the sync and the policy that carry them', async () => {
    const api = apiClient(createApiApp(fixture.temporal, fixture.store));
    const all = [...(await rowsOf(fixture.policyId)), ...(await rowsOf(secondPolicyId))];
    const elsewhere = all.filter((row) => row.status === SyncStatus.SyncedElsewhere);
    for (const policyId of [fixture.policyId, secondPolicyId]) {
      const res = await api.get<{ items: { userId: string; status: string; syncedBy: { userId: string; policyId: string } | null }[]; totalsByStatus: Record<string, number> }>(
        `/api/sync-status?policyId=${policyId}&status=SyncedElsewhere`,
      );
      expect(res.status).toBe(200);
      const expected = elsewhere.filter((row) => row.policyId === policyId);
      expect(res.body.items.map((item) => item.userId).sort()).toEqual(expected.map((row) => row.id).sort());
      for (const item of res.body.items) {
        const owner = all.find((row) => row.id === item.syncedBy?.userId)!;
        expect(item.syncedBy).toEqual({ userId: owner.id, policyId: owner.policyId });
        expect(owner.policyId).not.toBe(policyId);
      }
      expect(res.body.totalsByStatus.SyncedElsewhere).toBe(expected.length);
    }
  });

  it('when the owning policy lets a user go, the other policy takes over the same sync and copies only what is new', async () => {
    const user = users[0]!;
    const all = [...(await rowsOf(fixture.policyId)), ...(await rowsOf(secondPolicyId))].filter((r) => r.sourceUserId === user.id);
    const owner = all.find((r) => r.ownsPair)!;
    const heirPolicyId = owner.policyId === fixture.policyId ? secondPolicyId : fixture.policyId;
    const [ownerMembership, heirMembership] = owner.policyId === fixture.policyId ? [first, second] : [second, first];
    const importsBefore = gmailImports(fixture);

    // The owner's rules stop selecting the user: its sync is Excluded (the workflow ends), and the id map stays with the row.
    await fixture.store.policies.update(owner.policyId, { rules: { allUsers: true, exclude: [user.id] } });
    await reconcileOnce(ownerMembership);
    await until('the owner row Excluded', async () => (await fixture.store.syncUsers.get(owner.id))?.status === SyncStatus.Excluded);
    fixture.m365.emulator.tenant.addMessages(user, { count: 3 });

    await reconcileOnce(heirMembership);
    const taken = await until('the same row synced by the other policy', async () => {
      const row = await fixture.store.syncUsers.get(owner.id);
      return row?.policyId === heirPolicyId && row.status === SyncStatus.Synced && row;
    });
    expect(taken).toMatchObject<Partial<SyncUserView>>({ ownsPair: true, syncedByUserId: null });
    // The heir's SyncedElsewhere row made way for the sync it now owns.
    expect((await rowsOf(heirPolicyId)).filter((r) => r.sourceUserId === user.id).map((r) => r.id)).toEqual([owner.id]);
    expect((await fixture.store.audit.list({ syncUserId: owner.id, code: 'USER_TAKEN_OVER', limit: 10 })).items).toHaveLength(1);
    expect(expectEveryMessageOnce(fixture, user)).toBe(11);
    // Only the three new messages were imported: nothing copied twice.
    expect(gmailImports(fixture) - importsBefore).toBe(3);
  });
});
