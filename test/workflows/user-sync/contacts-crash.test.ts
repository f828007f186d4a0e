import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStage, SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { control, controlGet } from '../../helpers/emulator-control.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { killBetweenWriteAndRecord, killWorkerProcess, spawnWorkerProcess, type WorkerProcess } from '../../helpers/worker-process.js';

interface GooglePerson {
  resourceName: string;
  clientData?: { key: string; value: string }[];
}

describe('user sync: a worker killed in the middle of the contacts’ initial sync', () => {
  let fixture: SyncFixture;
  let user: DirectoryUser;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    fixture = await createSyncFixture({ startWorker: false, google: { quota: { peopleWritesPerMinute: 60_000, peopleReadsPerMinute: 60_000 } } });
    user = fixture.m365.emulator.seed({ seed: 53, users: 1, messagesPerUser: 0, failingItemsPerUser: 0, groups: false }).users[0]!;
    await fixture.store.policies.update(fixture.policyId, { dataTypes: ['contacts'] });
    const upn = encodeURIComponent(user.userPrincipalName);
    await control(fixture.m365.url, `/_control/users/${upn}/contacts`, { count: 300 });
    await control(fixture.m365.url, `/_control/users/${upn}/contacts`, { count: 150, folder: 'Suppliers' });
    await control(fixture.m365.url, `/_control/users/${upn}/contacts`, { count: 150, folder: 'Suppliers/Overseas' });
  });
  afterAll(async () => {
    for (const worker of workers) await killWorkerProcess(worker);
    await fixture?.close();
  });

  it('loses and duplicates nothing: a new worker finishes the copy, every contact exactly once', async () => {
    const targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    // Slow enough for the kill to land between a batch's creation and its record (its photos are written in between).
    const env = { DATABASE_URL: fixture.databaseUrl, PEOPLE_USER_REQUESTS_PER_MINUTE: '600' };
    const { syncUserId, handle } = await fixture.startSync(user, { tuning: { heartbeatTimeoutSeconds: 3 } });

    const copies = async () =>
      fixture.google.emulator.getUser(targetEmail) ? (await controlGet<{ contacts: GooglePerson[] }>(fixture.google.url, `/_control/users/${encodeURIComponent(targetEmail)}/contacts`)).contacts : [];
    const contactItems = fixture.store.itemMap.forType('contacts');
    const { inTarget, recorded: atKill } = await killBetweenWriteAndRecord(fixture, workers, {
      env,
      inTarget: async () => (await copies()).length,
      recorded: () => contactItems.countImported(syncUserId),
      atLeast: 200,
    });
    // Some contacts are in Google that the ledger does not know as copied yet: the case a restart must not copy again.
    expect(atKill).toBeLessThan(inTarget);
    expect(inTarget).toBeLessThan(600);

    workers.push(spawnWorkerProcess(fixture, { env: { ...env, PEOPLE_USER_REQUESTS_PER_MINUTE: '60000' } }));
    const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced && s.dataTypes.contacts?.stage === SyncStage.Recurring, 240_000);
    expect(snapshot.lastError).toBeNull();

    const arrived = await copies();
    const sourceIds = arrived.map((person) => person.clientData?.find((entry) => entry.key === 'm365ContactId')?.value);
    expect(new Set(sourceIds).size).toBe(600);
    expect(arrived).toHaveLength(600);
    expect(await fixture.store.itemMap.forType('contacts').countImported(syncUserId)).toBe(600);
    expect(await fixture.store.itemMap.forType('contacts').findIntents(syncUserId)).toEqual([]);
  }, 300_000);
});
