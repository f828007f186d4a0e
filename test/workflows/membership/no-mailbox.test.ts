import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus, UserErrorCode } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { reconcileNowSignal, type policyMembershipWorkflow } from '../../../workflows/membership/workflow.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { policyMembershipWorkflowId } from '../../../shared/workflow-ids.js';
import { createSyncFixture, targetDomain, type SyncFixture } from '../../helpers/sync-fixture.js';

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('policy membership: guests and users without a mailbox', () => {
  let fixture: SyncFixture;
  let member: DirectoryUser;
  let unlicensed: DirectoryUser;
  let guest: DirectoryUser;
  let membership: WorkflowHandle<typeof policyMembershipWorkflow>;

  const rowOf = async (user: DirectoryUser) => (await fixture.store.syncUsers.listByPolicy(fixture.policyId)).find((r) => r.sourceUserId === user.id);
  const reconcile = () => membership.signal(reconcileNowSignal);
  const statusOf = async (user: DirectoryUser) => (await rowOf(user))?.status;

  beforeAll(async () => {
    fixture = await createSyncFixture();
    [member, unlicensed] = fixture.m365.emulator.seed({ seed: 67, users: 2, messagesPerUser: 6, failingItemsPerUser: 0, groups: false }).users as [DirectoryUser, DirectoryUser];
    fixture.m365.emulator.tenant.setMailboxState(unlicensed, { hasMailbox: false });
    guest = fixture.m365.emulator.tenant.addUser({ userPrincipalName: 'ana_gmail.com#EXT#@contoso.example', mail: 'ana@gmail.com', displayName: 'Ana (Guest)', userType: 'Guest' });
    membership = await fixture.temporal.client.workflow.start<typeof policyMembershipWorkflow>('policyMembershipWorkflow', {
      taskQueue: fixture.temporal.taskQueue,
      workflowId: policyMembershipWorkflowId(fixture.policyId),
      args: [{ policyId: fixture.policyId, intervalSeconds: 3600, userCycleIntervalSeconds: 3600, userSyncTuning: { heartbeatTimeoutSeconds: 5 }, stalledAfterSeconds: 600 }],
    });
  });
  afterAll(async () => fixture?.close());

  it('excludes them after NO_MAILBOX without an account in Google, and starts one again only once Exchange Online has a mailbox for them', async () => {
    await until('the member synced', async () => (await statusOf(member)) === SyncStatus.Synced);
    for (const user of [unlicensed, guest]) {
      const row = await until('NO_MAILBOX', async () => {
        const r = await rowOf(user);
        return r?.errorCode === UserErrorCode.NoMailbox && r.status === SyncStatus.Failed && r;
      });
      // The next cycle checks once more and excludes the user.
      await fixture.temporal.client.workflow.getHandle(row.workflowId).signal(retrySignal);
      await until('Excluded', async () => (await statusOf(user)) === SyncStatus.Excluded);
    }
    expect(fixture.google.emulator.getUser(`ana@${targetDomain}`)).toBeUndefined();
    // Not even the address shown for the guest is taken from their external mail.
    expect((await rowOf(guest))?.targetEmail).toBe(`ana_gmail.com@${targetDomain}`);
    expect(fixture.google.emulator.getUser(`${unlicensed.mail!.split('@')[0]}@${targetDomain}`)).toBeUndefined();

    // An Exchange licence later: the next evaluation starts that user again and they are synced. The guest,
    // still selected by the rules in the same evaluation, is not started again.
    fixture.m365.emulator.tenant.setMailboxState(unlicensed, { hasMailbox: true });
    await reconcile();
    await until('the licensed user synced', async () => (await statusOf(unlicensed)) === SyncStatus.Synced);
    expect(fixture.google.emulator.messagesOf(`${unlicensed.mail!.split('@')[0]}@${targetDomain}`).length).toBe(6);
    const reselected = (await fixture.store.audit.list({ policyId: fixture.policyId, code: 'USER_RESELECTED', limit: 50 })).items.map((entry) => entry.syncUserId);
    expect(reselected).toEqual([(await rowOf(unlicensed))!.id]);
    expect(await statusOf(guest)).toBe(SyncStatus.Excluded);
  });
});
