import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import type { MessageRecord } from '../../../emulators/microsoft365/state/mailbox.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { expectedLabelNames, sourceMessages, type SourceMessage } from '../../helpers/source-mailbox.js';

const days = (n: number) => n * 24 * 60 * 60 * 1000;

/**
 * What leaves Outlook, and what Gmail throws away by itself: Gmail deletes
 * what has spent 30 days in Trash or Spam (the Google emulator too, on its
 * mailbox clock), while Outlook keeps Deleted Items and Junk Email; and a
 * message moved to the online archive mailbox vanishes from the primary
 * mailbox exactly as a deleted one does.
 */
describe('user sync: Deleted Items, Junk Email and messages that leave the mailbox', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  let targetEmail: string;
  let handle: Awaited<ReturnType<SyncFixture['startSync']>>['handle'];

  beforeAll(async () => {
    fixture = await createSyncFixture();
    user = fixture.m365.emulator.seed({ seed: 73, users: 1, messagesPerUser: 12, failingItemsPerUser: 0, groups: false }).users[0]!;
    targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    fixture.m365.emulator.tenant.addMessages(user, { count: 2, folder: 'deleteditems' });
    fixture.m365.emulator.tenant.addMessages(user, { count: 2, folder: 'junkemail' });
  });
  afterAll(async () => fixture?.close());

  const tenant = () => fixture.m365.emulator.tenant;
  const mailbox = () => tenant().mailboxOf(user);
  const mirrored = () => sourceMessages(fixture.m365.emulator, user).filter((m) => !['outbox', 'conversationhistory'].includes(m.wellKnownFolder ?? ''));
  const copyOf = (messageId: string) => fixture.google.emulator.messagesOf(targetEmail).find((m) => m.messageId === messageId);
  const labelNames = (messageId: string) =>
    copyOf(messageId)
      ?.labels.map((l) => l.name)
      .sort();
  const inFolder = (name: string) => [...mailbox().allMessages()].filter((r) => mailbox().folder(r.folder)?.wellKnownName === name);
  const source = (record: MessageRecord): SourceMessage => mirrored().find((m) => m.immutableId === mailbox().idOf(record, true))!;

  async function nextCycle(): Promise<void> {
    const before = (await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced)).cyclesCompleted;
    await handle.signal(retrySignal);
    const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted > before);
    expect(snapshot.lastError).toBeNull();
  }

  it('copies Deleted Items and Junk Email as labels, and Gmail still holds them after 30 days', async () => {
    ({ handle } = await fixture.startSync(user));
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === 1);
    const kept = mirrored().filter((m) => m.wellKnownFolder === 'deleteditems' || m.wellKnownFolder === 'junkemail');
    expect(kept.length).toBeGreaterThanOrEqual(4);
    for (const message of kept) {
      expect(labelNames(message.internetMessageId), message.internetMessageId).toEqual(expectedLabelNames(message));
      expect(copyOf(message.internetMessageId)!.labelIds).not.toContain('TRASH');
      expect(copyOf(message.internetMessageId)!.labelIds).not.toContain('SPAM');
    }

    fixture.google.emulator.advanceMailClock(days(31));
    for (const message of mirrored()) expect(copyOf(message.internetMessageId), `${message.folderPath.join('/')}: ${message.internetMessageId}`).toBeDefined();
    expect(fixture.google.emulator.messagesOf(targetEmail)).toHaveLength(mirrored().length);
  });

  it('keeps a message moved to the online archive mailbox: out of its folder, labelled "Removed from Outlook", never in Trash', async () => {
    const record = inFolder('inbox')[0]!;
    const before = source(record);
    tenant().moveToArchiveMailbox(user, record);
    await nextCycle();

    const expected = [...expectedLabelNames(before).filter((name) => name !== 'INBOX'), 'Removed from Outlook'].sort();
    expect(labelNames(before.internetMessageId)).toEqual(expected);
    fixture.google.emulator.advanceMailClock(days(31));
    expect(labelNames(before.internetMessageId)).toEqual(expected);

    // Moved back from the archive: a new item (new immutable id) with the same Message-ID; Gmail merges it into the kept copy.
    tenant().copyMessage(user, record, 'inbox');
    await nextCycle();
    expect(fixture.google.emulator.messagesOf(targetEmail).filter((m) => m.messageId === before.internetMessageId)).toHaveLength(1);
    expect(labelNames(before.internetMessageId)).toEqual(expectedLabelNames(before));
  });

  it('sends a message deleted in Outlook (Deleted Items emptied) to Trash, where Gmail purges it after 30 days', async () => {
    const [record] = tenant().addMessages(user, { count: 1 });
    const messageId = mailbox().plan(record!).messageId;
    await nextCycle();
    expect(labelNames(messageId)).toContain('INBOX');
    tenant().updateMessage(user, record!, { folder: 'deleteditems' });
    await nextCycle();
    expect(labelNames(messageId)).toContain('Deleted Items');
    expect(copyOf(messageId)!.labelIds).not.toContain('TRASH');

    tenant().deleteMessage(user, record!);
    await nextCycle();
    expect(copyOf(messageId)!.labelIds).toContain('TRASH');
    fixture.google.emulator.advanceMailClock(days(29));
    expect(copyOf(messageId)).toBeDefined();
    fixture.google.emulator.advanceMailClock(days(1));
    expect(copyOf(messageId)).toBeUndefined();
  });
});
