import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemErrorCode, SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import type { MessageRecord } from '../../../emulators/microsoft365/state/mailbox.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { expectedLabelNames, sourceMessages } from '../../helpers/source-mailbox.js';

/**
 * Three ways real services differ from the happy path, each through the real
 * clients, both emulators and a Temporal dev server:
 *  - Graph sends an updated message with only what changed (delta query overview; microsoft-graph-docs#7776);
 *  - Gmail never lets SENT or DRAFT be added or removed (labels guide; google-api-php-client#1254);
 *  - Gmail may refuse one message for reasons nobody documented.
 */
describe('user sync: partial delta entries, Gmail-owned labels, poison items', () => {
  let fixture: SyncFixture;
  let users: DirectoryUser[];
  const targetOf = (user: DirectoryUser) => `${user.mail!.split('@')[0]}@${targetDomain}`;
  // A cycle that fails must show at once rather than after many retries.
  const tuning = { maxActivityAttempts: 2, folderDiscoveryEveryCycles: 1 };

  beforeAll(async () => {
    fixture = await createSyncFixture();
    users = fixture.m365.emulator.seed({ seed: 47, users: 3, messagesPerUser: 30, failingItemsPerUser: 0, groups: false }).users;
  });
  afterAll(async () => fixture?.close());

  const recordsIn = (user: DirectoryUser, wellKnownName: string): MessageRecord[] => {
    const mailbox = fixture.m365.emulator.tenant.mailboxOf(user);
    return [...mailbox.allMessages()].filter((record) => mailbox.folder(record.folder)?.wellKnownName === wellKnownName);
  };
  const messageIdOf = (user: DirectoryUser, record: MessageRecord) => fixture.m365.emulator.tenant.mailboxOf(user).plan(record).messageId;
  const copyOf = (user: DirectoryUser, record: MessageRecord) => {
    const copies = fixture.google.emulator.messagesOf(targetOf(user)).filter((m) => m.messageId === messageIdOf(user, record));
    expect(copies.length, `copies of ${messageIdOf(user, record)}`).toBeLessThanOrEqual(1);
    return copies[0];
  };
  const labelNamesOf = (user: DirectoryUser, record: MessageRecord) =>
    copyOf(user, record)
      ?.labels.map((l) => l.name)
      .sort();
  const expectedFor = (user: DirectoryUser, record: MessageRecord) => {
    const source = sourceMessages(fixture.m365.emulator, user).find((m) => m.internetMessageId === messageIdOf(user, record))!;
    return expectedLabelNames(source);
  };
  const armGmail = async (body: Record<string, unknown>) => {
    const response = await fetch(`${fixture.google.url}/_control/message-failures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status, await response.clone().text()).toBe(201);
  };
  const cycle = async (handle: Awaited<ReturnType<SyncFixture['startSync']>>['handle'], completed: number) => {
    await handle.signal(retrySignal);
    const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Failed || (s.status === SyncStatus.Synced && s.cyclesCompleted >= completed));
    expect(snapshot.lastError).toBeNull();
    expect(snapshot.status).toBe(SyncStatus.Synced);
    return snapshot;
  };

  it('applies a partial update to what it changes only: marking a flagged, categorised message read keeps its star and category', async () => {
    const user = users[0]!;
    const tenant = fixture.m365.emulator.tenant;
    const [flagged, uncopied] = recordsIn(user, 'inbox').filter((r) => !r.isRead);
    expect(uncopied).toBeDefined();
    tenant.updateMessage(user, flagged!, { flagStatus: 'flagged', categories: ['Travel'] });
    tenant.updateMessage(user, uncopied!, { flagStatus: 'flagged', categories: ['Finance'] });
    // The first copy of `uncopied` is refused once, so it is new to the sync when its next change arrives partial.
    await armGmail({ email: targetOf(user), rfc822MessageId: messageIdOf(user, uncopied!), methods: ['messages.import'], status: 400, message: 'Invalid message.', count: 1 });

    const { syncUserId, handle } = await fixture.startSync(user, { tuning });
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === 1);
    expect(labelNamesOf(user, flagged!)).toEqual(['Categories/Travel', 'INBOX', 'STARRED', 'UNREAD']);
    expect(copyOf(user, uncopied!)).toBeUndefined();
    expect((await fixture.store.items.list({ syncUserId })).items.map((i) => i.errorCode)).toEqual([ItemErrorCode.ItemRejected]);

    tenant.updateMessage(user, flagged!, { isRead: true });
    tenant.updateMessage(user, uncopied!, { isRead: true });
    const graphBefore = fixture.m365.emulator.stats.snapshot().byRoute['GET /v1.0/users/:userId/messages/:messageId'];
    await cycle(handle, 2);

    expect(labelNamesOf(user, flagged!)).toEqual(['Categories/Travel', 'INBOX', 'STARRED']);
    expect(labelNamesOf(user, flagged!)).toEqual(expectedFor(user, flagged!));
    // New to the sync but partial: read by id, then copied with its flag and category.
    expect(labelNamesOf(user, uncopied!)).toEqual(['Categories/Finance', 'INBOX', 'STARRED']);
    expect(labelNamesOf(user, uncopied!)).toEqual(expectedFor(user, uncopied!));
    const graphAfter = fixture.m365.emulator.stats.snapshot().byRoute['GET /v1.0/users/:userId/messages/:messageId'];
    const total = (counts: Record<string, number> | undefined) => Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
    expect(total(graphAfter) - total(graphBefore), 'one read by id, for the partial newcomer only').toBe(1);
    expect((await fixture.store.items.list({ syncUserId })).items).toEqual([]);
    const row = await fixture.store.syncUsers.get(syncUserId);
    expect(row!.counts.failed).toBe(0);
    expect(row!.counts.imported).toBe(fixture.google.emulator.messagesOf(targetOf(user)).length);
  });

  it('moves and deletes sent mail without ever asking Gmail to add or remove SENT', async () => {
    const user = users[1]!;
    const tenant = fixture.m365.emulator.tenant;
    const { handle } = await fixture.startSync(user, { tuning });
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.cyclesCompleted === 1);
    const [toArchive, toDeletedItems, toDelete, toRead] = recordsIn(user, 'sentitems');
    const [intoSent] = recordsIn(user, 'inbox');
    expect(toRead).toBeDefined();
    const before = new Map([toArchive, toDeletedItems, toRead].map((record) => [record, labelNamesOf(user, record!)!]));
    for (const labels of before.values()) expect(labels).toContain('SENT');
    const plus = (record: MessageRecord | undefined, ...names: string[]) => [...new Set([...before.get(record)!, ...names])].sort();

    tenant.updateMessage(user, toArchive!, { folder: 'archive' });
    tenant.updateMessage(user, toDeletedItems!, { folder: 'deleteditems' });
    tenant.deleteMessage(user, toDelete!);
    tenant.updateMessage(user, toRead!, { isRead: false, flagStatus: 'flagged' });
    tenant.updateMessage(user, intoSent!, { folder: 'sentitems' });
    const intoSentLabelsBefore = labelNamesOf(user, intoSent!)!;
    const refusedBefore = fixture.google.emulator.stats().requests['POST /gmail/v1/users/:userId/messages/:id/modify']?.['400'] ?? 0;
    await cycle(handle, 2);

    // Gmail keeps SENT on a sent message for good: moved, it carries SENT and the new folder's label.
    // Gmail refuses "Archive" as a label name; Outlook's Archive folder becomes "Archive (Outlook)" (README, label names).
    expect(labelNamesOf(user, toArchive!)).toEqual(plus(toArchive, 'Archive (Outlook)'));
    // Deleted Items is a user label (README, How Outlook maps to Gmail); a message gone from Sent Items
    // without passing Deleted Items may have moved to the archive mailbox, so its copy stays, marked.
    expect(labelNamesOf(user, toDeletedItems!)).toEqual(plus(toDeletedItems, 'Deleted Items'));
    expect(labelNamesOf(user, toDelete!)).toEqual(expect.arrayContaining(['SENT', 'Removed from Outlook']));
    expect(copyOf(user, toDelete!)?.labelIds).not.toContain('TRASH');
    expect(labelNamesOf(user, toRead!)).toEqual(plus(toRead, 'STARRED', 'UNREAD'));
    // SENT cannot be applied: a message moved into Sent Items leaves its old folder and sits in All Mail.
    expect(intoSentLabelsBefore).toContain('INBOX');
    expect(labelNamesOf(user, intoSent!)).toEqual(intoSentLabelsBefore.filter((name) => name !== 'INBOX'));
    expect(fixture.google.emulator.stats().requests['POST /gmail/v1/users/:userId/messages/:id/modify']?.['400'] ?? 0).toBe(refusedBefore);
  });

  it('lists a message Gmail refuses (import, relabel or trash) with its code, moves on, and never retries the page', async () => {
    const user = users[2]!;
    const tenant = fixture.m365.emulator.tenant;
    const inbox = recordsIn(user, 'inbox');
    const [poisonImport, poisonRelabel, poisonTrash, readLater] = inbox;
    expect(readLater).toBeDefined();
    // Only a removal from Deleted Items proves a deletion, and only a deletion sends a copy to Trash.
    tenant.updateMessage(user, poisonTrash!, { folder: 'deleteditems' });
    const email = targetOf(user);
    // An answer in no shape Google documents, for one message's import.
    await armGmail({ email, rfc822MessageId: messageIdOf(user, poisonImport!), methods: ['messages.import'], status: 422, message: 'unused', rawBody: '<html>Unprocessable</html>' });

    const { syncUserId, handle } = await fixture.startSync(user, { tuning });
    const first = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Failed || (s.status === SyncStatus.Synced && s.cyclesCompleted === 1));
    expect(first.lastError).toBeNull();
    expect(first.status).toBe(SyncStatus.Synced);
    expect(copyOf(user, poisonImport!)).toBeUndefined();

    await armGmail({
      email,
      rfc822MessageId: messageIdOf(user, poisonRelabel!),
      methods: ['messages.modify'],
      status: 400,
      reason: 'invalidArgument',
      message: 'Precondition check failed.',
      count: 1,
    });
    await armGmail({ email, rfc822MessageId: messageIdOf(user, poisonTrash!), methods: ['messages.trash'], status: 409, message: 'unused', rawBody: 'Conflict' });
    const relabelLabelsBefore = labelNamesOf(user, poisonRelabel!);
    tenant.updateMessage(user, poisonRelabel!, { flagStatus: 'flagged' });
    tenant.deleteMessage(user, poisonTrash!);
    tenant.updateMessage(user, readLater!, { isRead: !readLater!.isRead, categories: ['Blue'] });
    const [added] = tenant.addMessages(user, { count: 1 });
    await cycle(handle, 2);

    // The other messages are right.
    expect(labelNamesOf(user, readLater!)).toEqual(expectedFor(user, readLater!));
    expect(labelNamesOf(user, added!)).toEqual(expectedFor(user, added!));
    // The refused ones keep what Gmail had, and are listed with their code and Google's answer.
    expect(labelNamesOf(user, poisonRelabel!)).toEqual(relabelLabelsBefore);
    expect(copyOf(user, poisonTrash!)?.labelIds).not.toContain('TRASH');
    const mailbox = tenant.mailboxOf(user);
    const items = new Map((await fixture.store.items.list({ syncUserId })).items.map((i) => [i.sourceItemId, i]));
    expect(items.size).toBe(3);
    expect(items.get(mailbox.idOf(poisonImport!, true))).toMatchObject({
      errorCode: ItemErrorCode.ItemRejected,
      status: 'failed',
      serviceError: { status: 422, message: '<html>Unprocessable</html>' },
    });
    expect(items.get(mailbox.idOf(poisonRelabel!, true))).toMatchObject({
      errorCode: ItemErrorCode.ChangeRejected,
      serviceError: { status: 400, reason: 'invalidArgument', message: 'Precondition check failed.' },
    });
    expect(items.get(mailbox.idOf(poisonTrash!, true))).toMatchObject({ errorCode: ItemErrorCode.ChangeRejected, serviceError: { status: 409, message: 'Conflict' } });
    for (const item of items.values()) expect(item.reason).toMatch(/Gmail refused/);
    // Counted failed once each: exported = imported + failed, one count per message.
    const copies = fixture.google.emulator.messagesOf(email).length;
    expect((await fixture.store.syncUsers.get(syncUserId))!.counts).toEqual({ exported: copies + 1, imported: copies - 2, failed: 3, skipped: 0 });

    // The pages' positions were saved: an idle cycle sends Google nothing, so nothing is retried.
    const googleBefore = fixture.google.emulator.stats().totalRequests;
    await cycle(handle, 3);
    expect(fixture.google.emulator.stats().totalRequests).toBe(googleBefore);
    expect((await fixture.store.items.list({ syncUserId })).items).toHaveLength(3);

    // A later change that Gmail accepts (the refusal was armed once) takes the message off the list.
    tenant.updateMessage(user, poisonRelabel!, { categories: ['Green'] });
    await cycle(handle, 4);
    expect(labelNamesOf(user, poisonRelabel!)).toContain('Categories/Green');
    expect([...(await fixture.store.items.list({ syncUserId })).items.map((i) => i.sourceItemId)].sort()).toEqual([mailbox.idOf(poisonImport!, true), mailbox.idOf(poisonTrash!, true)].sort());
  });
});
