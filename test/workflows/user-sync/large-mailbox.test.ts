import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { expectedLabelNames, sourceMessages } from '../../helpers/source-mailbox.js';

// The bar is a 20,000-message mailbox, copied completely, each message exactly once
// with the right labels and read state, checked from the Google emulator's side. The suite
// runs 3,000 to stay quick on two cores; LARGE_MAILBOX_MESSAGES=20000 runs the full size.
const size = Number(process.env.LARGE_MAILBOX_MESSAGES || 3000);

describe(`user sync: a ${size}-message mailbox`, () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;

  beforeAll(async () => {
    fixture = await createSyncFixture({ google: { quota: { enabled: false } } });
    user = fixture.m365.emulator.seed({ seed: 71, users: 1, messagesPerUser: size, failingItemsPerUser: 4, groups: false }).users[0]!;
  });
  afterAll(async () => fixture?.close());

  it('arrives whole, exactly once, with labels and read state', async () => {
    const { syncUserId, handle } = await fixture.startSync(user, { tuning: { messagesPerActivity: 2000 } });
    const started = Date.now();
    const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced || s.status === SyncStatus.Failed, 600_000);
    const seconds = (Date.now() - started) / 1000;
    expect(snapshot.lastError).toBeNull();

    const source = sourceMessages(fixture.m365.emulator, user).filter((m) => !['outbox', 'conversationhistory'].includes(m.wellKnownFolder ?? ''));
    const copyable = source.filter((m) => m.kind === 'normal');
    const arrived = fixture.google.emulator.messagesOf(`${user.mail!.split('@')[0]}@${targetDomain}`);
    const byId = new Map(arrived.map((m) => [m.messageId!, m]));
    expect(byId.size).toBe(arrived.length);
    expect(arrived.length).toBe(copyable.length);
    let wrongLabels = 0;
    for (const message of copyable) {
      const copy = byId.get(message.internetMessageId);
      if (
        !copy ||
        copy.labels
          .map((l) => l.name)
          .sort()
          .join('|') !== expectedLabelNames(message).join('|')
      )
        wrongLabels += 1;
    }
    expect(wrongLabels).toBe(0);
    const row = await fixture.store.syncUsers.get(syncUserId);
    expect(row!.counts).toEqual({ exported: copyable.length + 4, imported: copyable.length, failed: 4, skipped: 0 });

    const history = await handle.fetchHistory();
    console.log(
      `${size}-message mailbox: ${copyable.length} messages in ${seconds.toFixed(1)} s (${(copyable.length / seconds).toFixed(0)} msg/s, quotas off), ${history.events?.length} history events in the current run`,
    );
  }, 660_000);
});
