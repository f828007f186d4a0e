import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { expectedLabelNames, sourceMessages } from '../../helpers/source-mailbox.js';

describe('user sync: provisioning and initial sync', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;

  beforeAll(async () => {
    fixture = await createSyncFixture();
    user = fixture.m365.emulator.seed({ seed: 11, users: 1, messagesPerUser: 120, failingItemsPerUser: 4, groups: false }).users[0]!;
  });
  afterAll(async () => fixture?.close());

  it('creates the Google account and copies every message exactly once with its labels, read state and date', async () => {
    const { syncUserId, handle } = await fixture.startSync(user);
    const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced || s.status === SyncStatus.Failed);
    expect(snapshot.lastError).toBeNull();
    expect(snapshot.status).toBe(SyncStatus.Synced);
    expect(snapshot.stage).toBe('Recurring');

    const targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    expect(snapshot.target?.email).toBe(targetEmail);
    expect(fixture.google.emulator.getUser(targetEmail)).toBeDefined();

    const source = sourceMessages(fixture.m365.emulator, user).filter((m) => !['outbox', 'conversationhistory'].includes(m.wellKnownFolder ?? ''));
    const copyable = source.filter((m) => m.kind === 'normal');
    const failing = source.filter((m) => m.kind !== 'normal');
    expect(failing.length).toBe(4);

    const arrived = fixture.google.emulator.messagesOf(targetEmail);
    const byMessageId = new Map<string, typeof arrived>();
    for (const message of arrived) byMessageId.set(message.messageId!, [...(byMessageId.get(message.messageId!) ?? []), message]);
    const expectedIds = new Set(copyable.map((m) => m.internetMessageId));
    expect(arrived.filter((m) => !expectedIds.has(m.messageId!)).map((m) => `${m.messageId} ${m.labels.map((l) => l.name)}`)).toEqual([]);
    expect(arrived.length).toBe(copyable.length);
    for (const message of copyable) {
      const copies = byMessageId.get(message.internetMessageId) ?? [];
      expect(copies.length, `copies of ${message.internetMessageId}`).toBe(1);
      const copy = copies[0]!;
      expect(copy.labels.map((l) => l.name).sort(), `labels of ${message.folderPath.join('/')}`).toEqual(expectedLabelNames(message));
      expect(Math.abs(copy.internalDateMs - message.receivedAt.getTime())).toBeLessThan(60 * 60 * 1000 * 24);
    }

    // Item-level failures are listed one by one and leave the user's status alone.
    const items = await fixture.store.items.list({ syncUserId, limit: 100 });
    expect(items.items.map((i) => i.errorCode).sort()).toEqual(['ENCRYPTED_ITEM', 'ENCRYPTED_ITEM', 'ITEM_TOO_LARGE', 'UNSUPPORTED_FORMAT']);
    for (const item of items.items) expect(item.reason.length).toBeGreaterThan(20);

    // Counts reconcile: exported - imported = failed + skipped.
    const row = await fixture.store.syncUsers.get(syncUserId);
    expect(row!.counts).toEqual({ exported: copyable.length + 4, imported: copyable.length, failed: 4, skipped: 0 });
    expect(row!.status).toBe(SyncStatus.Synced);
    expect(row!.initialSyncTotal).toBe(source.length);
    expect(snapshot.counts).toEqual(row!.counts);

    // Temporal UI can list the user by status without any personal data in the attributes.
    const description = await handle.describe();
    expect(description.searchAttributes).toMatchObject({ SyncStatus: ['Synced'], SyncStage: ['Recurring'] });
    const ours = Object.entries(description.searchAttributes).filter(([key]) => key.startsWith('Sync'));
    expect(ours.length).toBe(5);
    expect(JSON.stringify(ours)).not.toMatch(/@|contoso|example\.com/);
    expect(description.workflowId).not.toMatch(/@/);

    // A new user's first status write is its Provisioning status (first-publication-is-provisioning):
    // one local activity before the provisioning activity, where runs before the patch had two.
    const events = (await handle.fetchHistory()).events!;
    const provisioning = events.findIndex((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'provisionGoogleUser');
    const beforeProvisioning = events.slice(0, provisioning);
    expect(beforeProvisioning.filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity').length).toBe(1);

    // Temporal UI shows what the workflow is doing, in words.
    const metadata = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
    expect(metadata.currentDetails).toBe('waiting for the next cycle');
    expect(snapshot.currentActivity).toBe('waiting for the next cycle');

    const audit = await fixture.store.audit.list({ syncUserId, limit: 50 });
    expect(audit.items.map((e) => e.code)).toContain('GOOGLE_USER_CREATED');
    // The item failures are summarised once for the cycle, and the cycle record says what it did.
    const summary = audit.items.filter((e) => e.code === 'ITEMS_NOT_COPIED');
    expect(summary).toHaveLength(1);
    expect(summary[0]!.details).toMatchObject({ newFailures: 4, failedByCode: { ENCRYPTED_ITEM: 2, ITEM_TOO_LARGE: 1, UNSUPPORTED_FORMAT: 1 } });
    const [cycle] = await fixture.store.cycles.listRecent(syncUserId, 5);
    expect(cycle).toMatchObject({ kind: 'initial', outcome: 'succeeded', counts: { imported: copyable.length, failed: 4 } });
  });
});
