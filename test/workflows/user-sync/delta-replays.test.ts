import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { expectedLabelNames, sourceMessages } from '../../helpers/source-mailbox.js';

// Graph repeats a message in a delta response when it changed more than once (delta-query-overview);
// the Microsoft 365 emulator does so by default, once per change. Through the real clients and a real
// Temporal server: every message still arrives in Gmail exactly once, in its latest state.
describe('user sync: a message Graph reports more than once', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  let targetEmail: string;

  beforeAll(async () => {
    fixture = await createSyncFixture();
    user = fixture.m365.emulator.seed({ seed: 37, users: 1, messagesPerUser: 30, failingItemsPerUser: 0, groups: false }).users[0]!;
    targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
  });
  afterAll(async () => fixture?.close());

  it('imports it once, within a page and across pages, and ends in its latest state', async () => {
    const { syncUserId, handle } = await fixture.startSync(user);
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === 1);

    const tenant = fixture.m365.emulator.tenant;
    const mailbox = tenant.mailboxOf(user);
    const inboxMessages = [...mailbox.allMessages()].filter((r) => mailbox.folder(r.folder)?.wellKnownName === 'inbox');
    // Within one page: a new message, then two changes to it (three entries for one id).
    const [fresh] = tenant.addMessages(user, { count: 1 });
    tenant.updateMessage(user, fresh!, { isRead: true });
    tenant.updateMessage(user, fresh!, { flagStatus: 'flagged' });
    // Across pages: a new message, more changes to another one than a page holds (25 here), then a change to the first.
    const [spread] = tenant.addMessages(user, { count: 1 });
    const busy = inboxMessages[0]!;
    for (let i = 0; i < 30; i++) tenant.updateMessage(user, busy, { isRead: i % 2 === 0 });
    tenant.updateMessage(user, spread!, { categories: ['Travel'] });

    const deltaRequests = () =>
      Object.entries(fixture.m365.emulator.stats.snapshot().byRoute)
        .filter(([route]) => route.endsWith('/messages/delta'))
        .reduce((n, [, s]) => n + Object.values(s).reduce((a, b) => a + b, 0), 0);
    const requestsBefore = deltaRequests();
    await handle.signal(retrySignal);
    const snapshot = await waitForSnapshot(handle, (s) => s.cyclesCompleted === 2 && (s.status === SyncStatus.Synced || s.status === SyncStatus.Failed));
    expect(snapshot.lastError).toBeNull();
    const folders = await fixture.store.folders.list(syncUserId);
    expect(deltaRequests() - requestsBefore, 'the inbox took more than one page').toBeGreaterThan(folders.length);

    const source = sourceMessages(fixture.m365.emulator, user).filter((m) => !['outbox', 'conversationhistory'].includes(m.wellKnownFolder ?? ''));
    const arrived = fixture.google.emulator.messagesOf(targetEmail);
    for (const message of source) {
      const copies = arrived.filter((m) => m.messageId === message.internetMessageId);
      expect(copies.length, `copies of ${message.internetMessageId}`).toBe(1);
      expect(copies[0]!.labels.map((l) => l.name).sort(), `labels of ${message.internetMessageId}`).toEqual(expectedLabelNames(message));
    }
    expect(arrived.length).toBe(source.length);
    const labelsOf = (record: typeof busy) =>
      arrived
        .find((m) => m.messageId === mailbox.plan(record).messageId)!
        .labels.map((l) => l.name)
        .sort();
    expect(labelsOf(fresh!)).toEqual(['INBOX', 'STARRED']);
    expect(labelsOf(spread!)).toEqual(['Categories/Travel', 'INBOX', 'UNREAD']);
    expect(labelsOf(busy)).toContain('UNREAD');

    const row = await fixture.store.syncUsers.get(syncUserId);
    expect(row!.counts).toMatchObject({ imported: source.length, failed: 0 });
    expect(await fixture.store.messageMap.countImported(syncUserId)).toBe(source.length);
  });
});
