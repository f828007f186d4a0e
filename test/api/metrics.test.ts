import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import { parsePrometheusText, sampleSum, sampleValue, type Family } from '../helpers/prometheus-text.js';
import { openTestStore } from '../helpers/store.js';
import { connectTestTemporal, type TestTemporal } from '../helpers/temporal.js';
import { seedPolicy, seedUser, type SeededPolicy } from '../store/fixtures.js';
import { createApiApp } from './support.js';

const HOUR_MS = 60 * 60 * 1000;

describe('GET /metrics (API)', () => {
  let temporal: TestTemporal;
  let store: Store;
  let seeded: SeededPolicy;
  let other: SeededPolicy;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    store = await openTestStore();
    seeded = await seedPolicy(store, { storeSubjects: true });
    other = await seedPolicy(store);

    const inStatus = async (n: string, patch: Parameters<Store['syncUsers']['update']>[1]) => {
      const user = await seedUser(store, seeded.policy.id, n, { displayName: `Person ${n}` });
      await store.syncUsers.update(user.id, patch);
      return user;
    };
    const synced = await inStatus('synced-1', { status: 'Synced', stage: 'Recurring' });
    await inStatus('synced-2', { status: 'Synced', stage: 'Recurring' });
    const expired = { code: 'AUTH_TOKEN_EXPIRED', message: 'Microsoft 365 refused the credentials.' };
    await inStatus('failed-1', { status: 'Failed', stage: 'Recurring', error: expired });
    await inStatus('failed-2', { status: 'Failed', stage: 'InitialSync', error: expired });
    await inStatus('failed-3', { status: 'Failed', stage: 'Recurring', error: { code: 'RATE_LIMITED', message: 'Gmail is throttling.' } });
    // Stuck: in Initial Sync, nothing copied for two hours; the other one moved a minute ago.
    await inStatus('initial-stuck', { status: 'InitialSync', stage: 'InitialSync', lastProgressAt: new Date(Date.now() - 2 * HOUR_MS) });
    await inStatus('initial-moving', { status: 'InitialSync', stage: 'InitialSync', lastProgressAt: new Date(Date.now() - 60_000) });
    await seedUser(store, seeded.policy.id, 'pending'); // Pending, stage Provisioning
    await inStatus('excluded', { status: 'Excluded', stage: 'Provisioning' });
    await seedUser(store, other.policy.id, 'other-pending');

    await store.connections.markError(seeded.source.id, { code: 'AUTH_TOKEN_EXPIRED', message: 'The client secret has expired.' });
    await store.connections.recordTestResult(seeded.target.id, { ok: true });

    const item = (id: string, errorCode: 'ENCRYPTED_ITEM' | 'ITEM_TOO_LARGE', status: 'failed' | 'skipped' = 'failed') => ({
      sourceItemId: id,
      type: 'mail' as const,
      folderName: 'Inbox',
      subject: 'Quarterly figures',
      status,
      errorCode,
      reason: 'Could not be copied.',
    });
    await store.items.recordOutcomes(synced.id, [item('m1', 'ENCRYPTED_ITEM'), item('m2', 'ENCRYPTED_ITEM'), item('m3', 'ITEM_TOO_LARGE')]);
  });
  afterAll(async () => {
    await temporal?.close();
    await store?.close();
  });

  async function scrape(headers: Record<string, string> = {}, metricsToken?: string): Promise<{ status: number; contentType: string; text: string }> {
    const app = createApiApp(temporal, store, metricsToken ? { metricsToken } : {});
    const res = await app.request('/metrics', { headers });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  let families: Map<string, Family>;
  let text: string;

  it('serves Prometheus text without the API token, and it parses', async () => {
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    text = res.text;
    families = parsePrometheusText(text);
    for (const name of [
      'continuity_users',
      'continuity_failed_users',
      'continuity_initial_sync_backlog_users',
      'continuity_initial_sync_stalled_users',
      'continuity_connection_status',
      'continuity_item_records',
    ]) {
      expect(families.get(name)?.type, name).toBe('gauge');
      expect(families.get(name)?.help, name).toBeTruthy();
    }
    // The process's own metrics come along.
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
  });

  it('counts users by policy and status, with a zero for the statuses nobody is in', () => {
    const policy = seeded.policy.id;
    expect(sampleValue(families, 'continuity_users', { policy_id: policy, status: 'Synced' })).toBe(2);
    expect(sampleValue(families, 'continuity_users', { policy_id: policy, status: 'Failed' })).toBe(3);
    expect(sampleValue(families, 'continuity_users', { policy_id: policy, status: 'InitialSync' })).toBe(2);
    expect(sampleValue(families, 'continuity_users', { policy_id: policy, status: 'Pending' })).toBe(1);
    expect(sampleValue(families, 'continuity_users', { policy_id: policy, status: 'Excluded' })).toBe(1);
    expect(sampleValue(families, 'continuity_users', { policy_id: policy, status: 'Paused' })).toBe(0);
    expect(sampleValue(families, 'continuity_users', { policy_id: other.policy.id, status: 'Pending' })).toBe(1);
    expect(sampleSum(families, 'continuity_users')).toBe(10);
  });

  it('counts failed users by error code', () => {
    const policy = seeded.policy.id;
    expect(sampleValue(families, 'continuity_failed_users', { policy_id: policy, code: 'AUTH_TOKEN_EXPIRED' })).toBe(2);
    expect(sampleValue(families, 'continuity_failed_users', { policy_id: policy, code: 'RATE_LIMITED' })).toBe(1);
    expect(sampleSum(families, 'continuity_failed_users', { policy_id: other.policy.id })).toBe(0);
  });

  it('counts the initial-sync backlog (Provisioning or InitialSync stage, not Excluded) and the stalled ones', () => {
    // pending + failed-2 + initial-stuck + initial-moving; the Excluded user is no longer selected.
    expect(sampleValue(families, 'continuity_initial_sync_backlog_users', { policy_id: seeded.policy.id })).toBe(4);
    expect(sampleValue(families, 'continuity_initial_sync_backlog_users', { policy_id: other.policy.id })).toBe(1);
    expect(sampleValue(families, 'continuity_initial_sync_stalled_users', { policy_id: seeded.policy.id })).toBe(1);
    expect(sampleValue(families, 'continuity_initial_sync_stalled_users', { policy_id: other.policy.id })).toBe(0);
  });

  it('shows each connection in its status', () => {
    const source = seeded.source.id;
    expect(sampleValue(families, 'continuity_connection_status', { connection_id: source, kind: 'microsoft365', status: 'Error' })).toBe(1);
    expect(sampleValue(families, 'continuity_connection_status', { connection_id: source, status: 'Active' })).toBe(0);
    expect(sampleValue(families, 'continuity_connection_status', { connection_id: seeded.target.id, kind: 'google-workspace', status: 'Active' })).toBe(1);
    expect(sampleValue(families, 'continuity_connection_status', { connection_id: other.source.id, status: 'NotTested' })).toBe(1);
    expect(sampleSum(families, 'continuity_connection_status', { status: 'Error' })).toBe(1);
  });

  it('counts the items listed as failed by data type and code', () => {
    expect(sampleValue(families, 'continuity_item_records', { data_type: 'mail', status: 'failed', code: 'ENCRYPTED_ITEM' })).toBe(2);
    expect(sampleValue(families, 'continuity_item_records', { data_type: 'mail', status: 'failed', code: 'ITEM_TOO_LARGE' })).toBe(1);
  });

  it('carries no personal data: no address, name or subject, nor a connection name', async () => {
    const connections = await store.connections.list();
    for (const word of ['@', 'contoso', 'Person ', 'Quarterly', ...connections.map((c) => c.name)]) expect(text).not.toContain(word);
  });

  it('follows the database from one scrape to the next', async () => {
    await store.connections.recoverFromError([seeded.source.id]);
    const next = parsePrometheusText((await scrape()).text);
    expect(sampleSum(next, 'continuity_connection_status', { status: 'Error' })).toBe(0);
    expect(sampleValue(next, 'continuity_connection_status', { connection_id: seeded.source.id, status: 'Active' })).toBe(1);
  });

  it('wants METRICS_TOKEN as a bearer token when one is set', async () => {
    expect((await scrape({}, 'scrape-secret')).status).toBe(401);
    expect((await scrape({ authorization: 'Bearer api-suite-token' }, 'scrape-secret')).status).toBe(401);
    const allowed = await scrape({ authorization: 'Bearer scrape-secret' }, 'scrape-secret');
    expect(allowed.status).toBe(200);
    expect(parsePrometheusText(allowed.text).has('continuity_users')).toBe(true);
  });
});
