import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../../shared/vocabulary.js';
import type { DirectoryUser } from '../../../emulators/microsoft365/state/directory.js';
import { createApp, type ApiApp } from '../../../api/app.js';
import { resolveTemporalCli } from '../../../scripts/temporal-cli.js';
import { startDevServer, type DevServer, type DevServerOptions } from '../../../scripts/dev-server.js';
import { createSyncFixture, waitForSnapshot, type SyncFixture } from '../../helpers/sync-fixture.js';
import { expectEveryMessageOnce, messagesArrived } from '../../helpers/exactly-once.js';
import { pendingActivities } from '../../helpers/pending-activity.js';
import { freePort } from '../../../shared/free-port.js';
import { testDataConverter } from '../../helpers/temporal.js';
import { killWorkerProcess, spawnWorkerProcess, type WorkerProcess } from '../../helpers/worker-process.js';

interface HealthBody {
  temporal: { ok: boolean; detail: string };
  workers: { ok: boolean };
}

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// The Temporal dev server `npm start` runs (scripts/dev-server.ts: SQLite file in the data
// directory) killed without warning mid initial sync, then started again on the same file and port.
describe('user sync: the Temporal server killed (SIGKILL) and restarted on its database file', () => {
  let devServerOptions: DevServerOptions;
  let devServer: DevServer;
  let fixture: SyncFixture;
  let apiClient: Client;
  let api: ApiApp;
  let users: DirectoryUser[];
  let worker: WorkerProcess;

  beforeAll(async () => {
    const binary = process.env.TEMPORAL_CLI || (await resolveTemporalCli(() => undefined));
    const temporalDir = mkdtempSync(path.join(process.env.DATA_DIR!, 'temporal-restart-'));
    devServerOptions = { binary: binary!, dataDir: temporalDir, port: await freePort(), uiPort: await freePort(), namespace: 'default', log: () => undefined };
    devServer = await startDevServer(devServerOptions);
    fixture = await createSyncFixture({ startWorker: false, temporalAddress: devServer.address });
    // The API exactly as api/main.ts builds it, on the same server and database.
    apiClient = new Client({ connection: await Connection.connect({ address: devServer.address }), namespace: 'default', dataConverter: testDataConverter() });
    api = createApp({
      config: { temporalNamespace: 'default', temporalTaskQueue: fixture.temporal.taskQueue, temporalUiUrl: devServer.uiUrl },
      temporal: apiClient,
      temporalAddress: devServer.address,
      apiToken: 'temporal-restart-token',
      store: fixture.store,
    });
    users = fixture.m365.emulator.seed({ seed: 61, users: 2, messagesPerUser: 900, failingItemsPerUser: 0, groups: false }).users;
  });
  afterAll(async () => {
    if (worker) await killWorkerProcess(worker);
    await apiClient?.connection.close();
    await fixture?.close();
    await devServer?.stop(2_000);
  });

  /** The API's health report; it must answer whether or not Temporal does. */
  async function health(): Promise<{ status: number; body: HealthBody }> {
    const res = await api.request('/api/health');
    return { status: res.status, body: (await res.json()) as HealthBody };
  }

  it('every workflow carries on exactly once, the worker reconnects by itself, health says down then recovers', async () => {
    worker = spawnWorkerProcess(fixture, { temporalAddress: devServer.address });
    const started = [];
    for (const user of users) started.push(await fixture.startSync(user, { tuning: { heartbeatTimeoutSeconds: 5, messagesPerActivity: 300 } }));
    await waitUntil('the worker polling', async () => ((await health()).body.workers.ok ? true : undefined), 60_000);
    await waitUntil('300 messages of the first user across', () => (messagesArrived(fixture, users[0]!) >= 300 ? true : undefined), 180_000);

    devServer.process.kill('SIGKILL');
    await new Promise((resolve) => (devServer.process.exitCode !== null || devServer.process.signalCode !== null ? resolve(null) : devServer.process.once('exit', resolve)));
    const atKill = users.map((user) => messagesArrived(fixture, user));
    expect(atKill[0]).toBeLessThan(880);

    const down = await waitUntil(
      'health to report Temporal down',
      async () => {
        const report = await health();
        return report.status === 503 && !report.body.temporal.ok ? report : undefined;
      },
      60_000,
    );
    expect(down.body.workers.ok).toBe(false);
    // Down for longer than the heartbeat timeout: the attempt that ran at the kill is given up on after the restart.
    const downUntil = Date.now() + 10_000;
    while (Date.now() < downUntil) {
      const report = await health();
      expect(report.status).toBe(503);
      await sleep(500);
    }
    expect(worker.child.exitCode, 'the worker process outlives the server').toBeNull();
    expect(worker.child.signalCode).toBeNull();

    devServer = await startDevServer(devServerOptions);
    // Nobody restarts anything else: the API's and the worker's connections find the server again.
    await waitUntil(
      'health to recover by itself',
      async () => {
        const report = await health();
        return report.status === 200 && report.body.temporal.ok && report.body.workers.ok ? true : undefined;
      },
      120_000,
    );

    for (const [index, { syncUserId, handle }] of started.entries()) {
      const snapshot = await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced || s.status === SyncStatus.Failed, 300_000);
      expect(snapshot.lastError).toBeNull();
      expect(snapshot.status).toBe(SyncStatus.Synced);
      const expected = expectEveryMessageOnce(fixture, users[index]!);
      expect(snapshot.counts.imported).toBe(expected);
      // Nobody stuck: the database row says Synced too, and Temporal waits for no activity of theirs.
      expect((await fixture.store.syncUsers.get(syncUserId))?.status).toBe(SyncStatus.Synced);
      expect(await pendingActivities(handle)).toEqual([]);
    }
    expect(worker.child.exitCode).toBeNull();
  }, 600_000);
});
