import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { FolderStateView } from '../../../store/index.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { retrySignal } from '../../../shared/contracts/user-sync-messages.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { expectedLabelNames, sourceMessages } from '../../helpers/source-mailbox.js';

// Folder names Gmail refuses, through the real clients against both emulators and a real Temporal server:
// Archive (every Outlook mailbox has one), reserved words, Gmail's hidden [Gmail] namespace, a name Gmail
// takes no alternative for, and a path over Gmail's length limit. None of them may stop the mailbox.
describe('user sync: folder names Gmail refuses as labels', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  let targetEmail: string;
  const longFolder = 'Project notes '.repeat(20).trim();

  beforeAll(async () => {
    fixture = await createSyncFixture();
    user = fixture.m365.emulator.seed({ seed: 29, users: 1, messagesPerUser: 40, failingItemsPerUser: 0, groups: false }).users[0]!;
    targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    const tenant = fixture.m365.emulator.tenant;
    for (const [folder, count] of [
      ['Muted', 2],
      ['[Gmail]/Sent Mail', 2],
      ['CATEGORY_Old', 3],
      [longFolder, 1],
    ] as const) {
      tenant.addFolder(user, folder);
      tenant.addMessages(user, { count, folder });
    }
  });
  afterAll(async () => fixture?.close());

  const folderOf = (folders: FolderStateView[], path: string): FolderStateView => folders.find((f) => f.path === path)!;

  it('labels Archive and reserved names under deterministic alternatives, records them, and leaves out only the folder no name works for', async () => {
    const { syncUserId, handle } = await fixture.startSync(user, { tuning: { folderDiscoveryEveryCycles: 2 } });
    const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced || s.status === SyncStatus.Failed);
    expect(snapshot.lastError).toBeNull();
    expect(snapshot.status).toBe(SyncStatus.Synced);

    const source = sourceMessages(fixture.m365.emulator, user).filter((m) => !['outbox', 'conversationhistory'].includes(m.wellKnownFolder ?? ''));
    expect(source.some((m) => m.wellKnownFolder === 'archive')).toBe(true);
    const unlabelled = source.filter((m) => m.folderPath[0] === 'CATEGORY_Old');
    const long = source.filter((m) => m.folderPath[0] === longFolder);
    const copyable = source.filter((m) => !unlabelled.includes(m) && !long.includes(m));
    const arrived = fixture.google.emulator.messagesOf(targetEmail);
    expect(arrived.length).toBe(copyable.length + long.length);
    for (const message of copyable) {
      const copies = arrived.filter((m) => m.messageId === message.internetMessageId);
      expect(copies.length, message.folderPath.join('/')).toBe(1);
      expect(copies[0]!.labels.map((l) => l.name).sort(), message.folderPath.join('/')).toEqual(expectedLabelNames(message));
    }
    const names = new Set(arrived.flatMap((m) => m.labels.map((l) => l.name)));
    for (const name of ['Archive (Outlook)', 'Archive (Outlook)/2023', 'Muted (Outlook)', '[Gmail] (Outlook)/Sent Mail']) expect(names, name).toContain(name);
    for (const message of unlabelled) expect(arrived.some((m) => m.messageId === message.internetMessageId)).toBe(false);
    // Over Gmail's 225 characters: shortened, ending in a hash of the whole path.
    const longCopy = arrived.find((m) => m.messageId === long[0]!.internetMessageId)!;
    const longLabel = longCopy.labels.find((l) => l.name.startsWith('Project notes'))!.name;
    expect([...longLabel].length).toBeLessThanOrEqual(225);
    expect(longLabel).toMatch(/^Project notes( Project notes)*.* ~[0-9a-f]{8}$/);

    // The folder state says which label each folder has and what Gmail made of a refused name.
    const folders = await fixture.store.folders.list(syncUserId);
    expect(folderOf(folders, 'Archive')).toMatchObject({ wellKnownName: 'archive', googleLabelId: expect.stringMatching(/^Label_/), googleLabelName: null });
    expect(folderOf(folders, '[Gmail]')).toMatchObject({ googleLabelId: expect.stringMatching(/^Label_/), googleLabelName: '[Gmail] (Outlook)' });
    expect(folderOf(folders, '[Gmail]/Sent Mail')).toMatchObject({ googleLabelName: '[Gmail] (Outlook)/Sent Mail' });
    expect(folderOf(folders, 'CATEGORY_Old')).toMatchObject({ googleLabelId: null, googleLabelName: null });

    // One Warning per renamed or unavailable folder, with a stable code; nothing else went wrong.
    const audit = async (code: string) => (await fixture.store.audit.list({ syncUserId, code, limit: 50 })).items;
    const renamed = await audit('LABEL_RENAMED');
    expect(renamed.map((e) => e.details.sourceFolderId).sort()).toEqual([folderOf(folders, '[Gmail]').sourceFolderId, folderOf(folders, '[Gmail]/Sent Mail').sourceFolderId].sort());
    expect(renamed.every((e) => e.severity === 'Warning')).toBe(true);
    const unavailable = await audit('LABEL_UNAVAILABLE');
    expect(unavailable).toHaveLength(1);
    expect(unavailable[0]).toMatchObject({
      severity: 'Warning',
      details: { sourceFolderId: folderOf(folders, 'CATEGORY_Old').sourceFolderId, googleError: { status: 400, message: 'Invalid label name' } },
    });
    expect(unavailable[0]!.message).toMatch(/not copied until it can be labelled/);
    const row = await fixture.store.syncUsers.get(syncUserId);
    expect(row!.initialSyncTotal).toBe(source.length - unlabelled.length);
    expect(row!.counts).toMatchObject({ imported: copyable.length + long.length, failed: 0 });

    // Folder and label names stay out of Temporal: the workflow's history has none of them.
    const history = JSON.stringify(await handle.fetchHistory());
    for (const name of ['Muted (Outlook)', '[Gmail] (Outlook)', 'CATEGORY_Old', 'Invalid label name']) expect(history).not.toContain(name);

    // Next cycles, with the folder tree read again and without: new mail in the renamed folders arrives
    // under the same labels, the unlabelled folder stays out without a new warning, nothing is created twice.
    const userLabels = () =>
      fixture.google.emulator
        .labelsOf(targetEmail)
        .filter((l) => l.type === 'user')
        .map((l) => l.name)
        .sort();
    const labelsBefore = userLabels();
    fixture.m365.emulator.tenant.addMessages(user, { count: 2, folder: 'Muted' });
    fixture.m365.emulator.tenant.addMessages(user, { count: 1, folder: '[Gmail]/Sent Mail' });
    for (const cycle of [2, 3]) {
      await handle.signal(retrySignal);
      const next = await waitForSnapshot(handle, (s) => s.cyclesCompleted === cycle && s.status === SyncStatus.Synced);
      expect(next.lastError).toBeNull();
    }
    const after = fixture.google.emulator.messagesOf(targetEmail);
    expect(after.filter((m) => m.labels.some((l) => l.name === 'Muted (Outlook)'))).toHaveLength(4);
    expect(after.filter((m) => m.labels.some((l) => l.name === '[Gmail] (Outlook)/Sent Mail'))).toHaveLength(3);
    expect(await audit('LABEL_RENAMED')).toHaveLength(2);
    expect(await audit('LABEL_UNAVAILABLE')).toHaveLength(1);
    expect(userLabels()).toEqual(labelsBefore);
  });
});
