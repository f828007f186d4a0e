import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { expectedLabelNames, sourceMessages } from '../../helpers/source-mailbox.js';

describe('user sync: recurring delta cycles', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  let targetEmail: string;

  beforeAll(async () => {
    fixture = await createSyncFixture();
    user = fixture.m365.emulator.seed({ seed: 23, users: 1, messagesPerUser: 40, failingItemsPerUser: 0, groups: false }).users[0]!;
    targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
  });
  afterAll(async () => fixture?.close());

  /** Every live source message is in Gmail exactly once with the right labels; deleted ones sit in Trash. */
  function expectMirrored(deletedMessageIds: string[] = []) {
    const source = sourceMessages(fixture.m365.emulator, user).filter((m) => !['outbox', 'conversationhistory'].includes(m.wellKnownFolder ?? ''));
    const arrived = fixture.google.emulator.messagesOf(targetEmail);
    const counts = new Map<string, number>();
    for (const message of arrived) counts.set(message.messageId!, (counts.get(message.messageId!) ?? 0) + 1);
    expect(
      [...counts.values()].every((n) => n === 1),
      'no message twice',
    ).toBe(true);
    expect(arrived.length).toBe(source.length + deletedMessageIds.length);
    for (const message of source) {
      const copy = arrived.find((m) => m.messageId === message.internetMessageId);
      expect(copy?.labels.map((l) => l.name).sort(), `labels of ${message.internetMessageId}`).toEqual(expectedLabelNames(message));
    }
    for (const id of deletedMessageIds) {
      expect(arrived.find((m) => m.messageId === id)?.labelIds).toContain('TRASH');
    }
  }

  it('carries new mail, read/flag/category changes, moves and deletions over in the next cycle, exactly once', async () => {
    const { handle } = await fixture.startSync(user, { tuning: { folderDiscoveryEveryCycles: 1 } });
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === 1);
    expectMirrored();

    const tenant = fixture.m365.emulator.tenant;
    const mailbox = tenant.mailboxOf(user);
    const records = [...mailbox.allMessages()].filter((r) => !['archive', 'outbox', 'conversationhistory'].includes(mailbox.folder(r.folder)?.wellKnownName ?? ''));
    const [toRead, toFlag, toCategorise, toMove, toDelete] = records;
    expect(records.length).toBeGreaterThan(5);
    tenant.updateMessage(user, toRead!, { isRead: !toRead!.isRead });
    tenant.updateMessage(user, toFlag!, { flagStatus: 'flagged' });
    tenant.updateMessage(user, toCategorise!, { categories: ['Travel'] });
    tenant.updateMessage(user, toMove!, { folder: 'archive' });
    // A deletion in Outlook: into Deleted Items, then Deleted Items emptied. Only then does the copy go to Gmail's Trash.
    const deletedMessageId = mailbox.plan(toDelete!).messageId;
    tenant.updateMessage(user, toDelete!, { folder: 'deleteditems' });
    tenant.deleteMessage(user, toDelete!);
    tenant.addFolder(user, 'Inbox/Clients');
    tenant.addMessages(user, { count: 3 });
    tenant.addMessages(user, { count: 2, folder: 'Inbox/Clients' });

    await handle.signal(retrySignal);
    const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === 2);
    expect(snapshot.lastError).toBeNull();
    expectMirrored([deletedMessageId]);
  });

  it('restarts a folder whose delta token expired without copying anything twice', async () => {
    const { handle } = await fixture.startSync(user); // already running: the same workflow comes back
    const before = (await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced)).cyclesCompleted;
    fixture.m365.emulator.tenant.mailboxOf(user).expireDeltaTokens();
    fixture.m365.emulator.tenant.addMessages(user, { count: 2 });
    await handle.signal(retrySignal);
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === before + 1);
    const deleted = fixture.google.emulator
      .messagesOf(targetEmail)
      .filter((m) => m.labelIds.includes('TRASH'))
      .map((m) => m.messageId!);
    expectMirrored(deleted);
    const audit = await fixture.store.audit.list({ code: 'DELTA_TOKEN_EXPIRED', limit: 50 });
    expect(audit.items.length).toBeGreaterThan(0);
  });

  it('sends nothing to Google, one delta request per folder, and rereads only the folder tree when nothing changed', async () => {
    const { handle } = await fixture.startSync(user);
    const before = (await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced)).cyclesCompleted;
    const googleBefore = fixture.google.emulator.stats().totalRequests;
    const graphBefore = fixture.m365.emulator.stats.snapshot().byRoute;
    await handle.signal(retrySignal);
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === before + 1);
    expect(fixture.google.emulator.stats().totalRequests).toBe(googleBefore);

    const made = new Map<string, number>();
    for (const [route, statuses] of Object.entries(fixture.m365.emulator.stats.snapshot().byRoute)) {
      const total = (counts: Record<string, number> | undefined) => Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
      const n = total(statuses) - total(graphBefore[route]);
      if (n > 0) made.set(route, n);
    }
    const folders = await fixture.store.folders.list((await fixture.store.syncUsers.getByWorkflowId(handle.workflowId))!.id);
    const sum = (keep: (route: string) => boolean) => [...made].filter(([route]) => keep(route)).reduce((total, [, n]) => total + n, 0);
    expect(
      sum((route) => route.endsWith('/messages/delta')),
      'one delta request per folder',
    ).toBe(folders.length);
    // folderDiscoveryEveryCycles is 1 in this file, so the tree is read again: the root's folders once and
    // the children of folders that have some, and nothing else (which folders are well-known is known).
    const listings = [...made.keys()].filter((route) => !route.endsWith('/messages/delta'));
    expect(listings.sort(), JSON.stringify([...made])).toEqual(['GET /v1.0/users/:userId/mailFolders', 'GET /v1.0/users/:userId/mailFolders/:folderId/childFolders']);
    expect(made.get('GET /v1.0/users/:userId/mailFolders')).toBe(1);
    expect([...made.keys()].some((route) => route.includes('$batch'))).toBe(false);
  });
});
