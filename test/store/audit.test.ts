import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreValidationError, type AuditEntryInput, type AuditEntryView, type AuditListFilters, type Store } from '../../store/index.js';
import { seedPolicy, seedUser, StoreHarness } from './fixtures.js';

const harness = new StoreHarness();
let store: Store;
beforeAll(async () => {
  store = await harness.open();
});
afterAll(() => harness.dispose());

async function listAll(filters: Omit<AuditListFilters, 'cursor'>): Promise<AuditEntryView[]> {
  const entries: AuditEntryView[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.audit.list({ ...filters, cursor });
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}

describe('audit log', () => {
  it('writes one or many entries, lists newest first and pages across equal timestamps', async () => {
    const { policy, source } = await seedPolicy(store);
    const user = await seedUser(store, policy.id, 'audited');
    const base = new Date('2025-05-01T12:00:00.000Z').getTime();
    const entries: AuditEntryInput[] = Array.from({ length: 120 }, (_, i) => ({
      at: new Date(base + Math.floor(i / 25) * 60_000),
      severity: i % 10 === 0 ? 'Error' : i % 3 === 0 ? 'Warning' : 'Info',
      category: i % 2 === 0 ? 'sync' : 'connection',
      code: i % 10 === 0 ? 'AUTH_TOKEN_EXPIRED' : 'CYCLE_FINISHED',
      message: `Entry ${i}.`,
      syncUserId: i % 4 === 0 ? user.id : null,
      policyId: policy.id,
      connectionId: i % 10 === 0 ? source.id : undefined,
    }));
    expect(await store.audit.writeMany(entries)).toBe(120);
    const single = await store.audit.write({ severity: 'Info', category: 'policy', code: 'POLICY_CREATED', message: 'Created.', actor: 'Ada', policyId: policy.id });
    expect(single).toMatchObject({ actor: 'Ada', code: 'POLICY_CREATED', details: {} });
    expect(typeof single.id).toBe('number');

    const all = await listAll({ limit: 9, policyId: policy.id });
    expect(all).toHaveLength(121);
    expect(new Set(all.map((entry) => entry.id)).size).toBe(121);
    expect(all[0]?.code).toBe('POLICY_CREATED');
    for (let i = 1; i < all.length; i++) {
      const [newer, older] = [all[i - 1]!, all[i]!];
      expect(newer.at.getTime() > older.at.getTime() || (newer.at.getTime() === older.at.getTime() && newer.id > older.id)).toBe(true);
    }

    expect(await listAll({ severity: 'Error' })).toHaveLength(12);
    expect(await listAll({ code: 'AUTH_TOKEN_EXPIRED', connectionId: source.id })).toHaveLength(12);
    expect(await listAll({ syncUserId: user.id })).toHaveLength(30);
    expect(await listAll({ category: 'connection', policyId: policy.id })).toHaveLength(60);
    const window = await listAll({ since: new Date(base + 60_000), until: new Date(base + 3 * 60_000), policyId: policy.id });
    expect(window).toHaveLength(50);
    expect((await store.audit.list({ syncUserId: 'not-a-uuid' })).items).toEqual([]);
  });

  it('keeps secrets out of details and validates entries', async () => {
    const entry = await store.audit.write({
      severity: 'Error',
      category: 'connection',
      code: 'CONNECTION_TEST_FAILED',
      message: 'The test failed.',
      details: { service: { code: 'invalid_client', clientSecret: 'oops' }, headers: { authorization: 'Bearer x' }, access_token: 'y', tokenExpired: true },
    });
    expect(entry.details).toEqual({ service: { code: 'invalid_client', clientSecret: '[redacted]' }, headers: { authorization: '[redacted]' }, access_token: '[redacted]', tokenExpired: true });
    const stored = (await store.audit.list({ code: 'CONNECTION_TEST_FAILED' })).items[0];
    expect(JSON.stringify(stored)).not.toMatch(/oops|Bearer/);

    const invalid = await store.audit.write({ severity: 'Fatal' as never, category: 'sync', code: 'X', message: 'm' }).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(StoreValidationError);
    expect(invalid).toMatchObject({ field: 'entry.severity' });
    await expect(store.audit.writeMany([{ severity: 'Info', category: 'sync', code: 'X', message: 'm', syncUserId: 'nope' }])).rejects.toMatchObject({ field: 'entries[0].syncUserId' });
  });
});
