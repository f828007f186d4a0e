import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import type { MessageRecord } from '../../../emulators/microsoft365/state/mailbox.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { expectedLabelNames, sourceMessages, type SourceMessage } from '../../helpers/source-mailbox.js';

/**
 * Gmail merges an import whose Message-ID it already holds into the existing
 * message (google/import-mailbox-to-gmail#56), and the Google emulator does
 * the same. Two Outlook messages with one Message-ID then share one Gmail
 * message; the id map must keep that right, and crash recovery must not take
 * another message's copy for its own.
 */
describe('user sync: Outlook messages that share a Message-ID, and intents left by a crash', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  let targetEmail: string;
  let syncUserId: string;
  let handle: Awaited<ReturnType<SyncFixture['startSync']>>['handle'];

  beforeAll(async () => {
    fixture = await createSyncFixture();
    user = fixture.m365.emulator.seed({ seed: 61, users: 1, messagesPerUser: 12, failingItemsPerUser: 0, groups: false }).users[0]!;
    targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    fixture.m365.emulator.tenant.addFolder(user, 'Projects');
  });
  afterAll(async () => fixture?.close());

  const tenant = () => fixture.m365.emulator.tenant;
  const mailbox = () => tenant().mailboxOf(user);
  const source = (record: MessageRecord): SourceMessage => sourceMessages(fixture.m365.emulator, user).find((m) => m.immutableId === mailbox().idOf(record, true))!;
  const copiesOf = (messageId: string) => fixture.google.emulator.messagesOf(targetEmail).filter((m) => m.messageId === messageId);
  const labelNames = (messageId: string) =>
    copiesOf(messageId)[0]!
      .labels.map((l) => l.name)
      .sort();
  const union = (...messages: SourceMessage[]) => [...new Set(messages.flatMap(expectedLabelNames))].sort();
  const inboxRecords = () => [...mailbox().allMessages()].filter((r) => mailbox().folder(r.folder)?.wellKnownName === 'inbox');

  async function nextCycle(): Promise<void> {
    const before = (await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced)).cyclesCompleted;
    await handle.signal(retrySignal);
    const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted > before);
    expect(snapshot.lastError).toBeNull();
  }

  /** Deleted in Outlook: moved to Deleted Items, then Deleted Items emptied. */
  function deleteInOutlook(record: MessageRecord): void {
    tenant().updateMessage(user, record, { folder: 'deleteditems' });
    tenant().deleteMessage(user, record);
  }

  it('copies two messages with one Message-ID as one Gmail message with the union of their labels; it goes to Trash only when both are deleted', async () => {
    const original = inboxRecords()[0]!;
    tenant().updateMessage(user, original, { isRead: false });
    const copy = tenant().copyMessage(user, original, 'Projects');
    tenant().updateMessage(user, copy, { flagStatus: 'flagged', isRead: true });
    const messageId = mailbox().plan(original).messageId;

    ({ handle, syncUserId } = await fixture.startSync(user));
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === 1);
    expect(copiesOf(messageId)).toHaveLength(1);
    expect(labelNames(messageId)).toEqual(union(source(original), source(copy)));
    const rows = await fixture.store.messageMap.findBySourceIds(syncUserId, [mailbox().idOf(original, true), mailbox().idOf(copy, true)]);
    expect(new Set([...rows.values()].map((row) => row.googleMessageId))).toEqual(new Set([copiesOf(messageId)[0]!.id]));

    const originalSource = source(original);
    deleteInOutlook(copy);
    await nextCycle();
    expect(copiesOf(messageId)).toHaveLength(1);
    expect(labelNames(messageId), 'the copy keeps the other message, with its labels only').toEqual(expectedLabelNames(originalSource));

    // A change to the remaining message moves the Gmail message as before.
    tenant().updateMessage(user, original, { isRead: true });
    await nextCycle();
    expect(labelNames(messageId)).toEqual(expectedLabelNames(source(original)));

    deleteInOutlook(original);
    await nextCycle();
    expect(copiesOf(messageId)).toHaveLength(1);
    expect(copiesOf(messageId)[0]!.labelIds).toContain('TRASH');
  });

  it('resolves an intent a crash left before the import without adopting the copy another message maps to', async () => {
    ({ handle, syncUserId } = await fixture.startSync(user));
    const [first] = tenant().addMessages(user, { count: 1 });
    const messageId = mailbox().plan(first!).messageId;
    await nextCycle();
    expect(copiesOf(messageId)).toHaveLength(1);
    // The second message with this Message-ID is new; an attempt recorded its intent and died before importing it.
    const copy = tenant().copyMessage(user, first!, 'Projects');
    const projects = (await fixture.store.folders.list(syncUserId)).find((f) => f.path === 'Projects')!;
    await fixture.store.messageMap.recordIntents(syncUserId, [{ sourceItemId: mailbox().idOf(copy, true), internetMessageId: messageId, sourceFolderId: projects.sourceFolderId }]);

    await nextCycle();
    expect(copiesOf(messageId)).toHaveLength(1);
    expect(labelNames(messageId), 'the Gmail message carries the second message’s labels too').toEqual(union(source(first!), source(copy)));
    const row = (await fixture.store.messageMap.findBySourceIds(syncUserId, [mailbox().idOf(copy, true)])).get(mailbox().idOf(copy, true));
    expect(row).toMatchObject({ state: 'imported', googleMessageId: copiesOf(messageId)[0]!.id });
  });

  it('does not import twice a message without a Message-ID whose import a crash left unrecorded', async () => {
    ({ handle, syncUserId } = await fixture.startSync(user));
    const [record] = tenant().addMessages(user, { count: 1, withoutMessageId: true });
    const immutableId = mailbox().idOf(record!, true);
    const subject = mailbox().plan(record!).subject;
    // The attempt dies right after Gmail accepted the import, before the id map records it.
    const messageMap = fixture.store.messageMap;
    const markImported = messageMap.markImported.bind(messageMap);
    let crashed = false;
    messageMap.markImported = async (id, messages) => {
      if (!crashed && messages.some((m) => m.sourceItemId === immutableId)) {
        crashed = true;
        throw new Error('simulated crash between the import and its record');
      }
      return markImported(id, messages);
    };
    try {
      await nextCycle();
    } finally {
      messageMap.markImported = markImported;
    }
    expect(crashed).toBe(true);

    const copies = fixture.google.emulator.messagesOf(targetEmail).filter((m) => m.messageId === null && m.subject === subject);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.labels.map((l) => l.name).sort()).toEqual(['INBOX', 'UNREAD']);
    expect((await fixture.store.messageMap.findBySourceIds(syncUserId, [immutableId])).get(immutableId)).toMatchObject({ state: 'imported', googleMessageId: copies[0]!.id });
  });
});
