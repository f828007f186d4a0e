import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidCursorError, StoreConflictError, StoreValidationError, type NewPolicy, type Store } from '../../store/index.js';
import { seedPolicy, seedUser, StoreHarness, type SeededPolicy } from './fixtures.js';

const harness = new StoreHarness();
let store: Store;
let seeded: SeededPolicy;
beforeAll(async () => {
  store = await harness.open();
  seeded = await seedPolicy(store, { name: 'Existing' });
});
afterAll(() => harness.dispose());

function policyInput(overrides: Partial<NewPolicy> = {}): NewPolicy {
  return {
    name: `Policy ${Math.random()}`,
    sourceConnectionId: seeded.source.id,
    targetConnectionId: seeded.target.id,
    rules: { groupIds: ['Group-A'], exclude: ['CEO@contoso.com'] },
    targetDomain: 'Example.com',
    ...overrides,
  };
}

async function failedField(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(StoreValidationError);
  expect((error as StoreValidationError).message.length).toBeGreaterThan(10);
  return (error as StoreValidationError).field;
}

describe('policies', () => {
  it('are created with documented defaults and normalized rules', async () => {
    const policy = await store.policies.create(policyInput({ name: ' Sales ' }));
    expect(policy).toMatchObject({
      name: 'Sales',
      enabled: true,
      dataTypes: ['mail'],
      cycleIntervalSeconds: 900,
      targetDomain: 'example.com',
      usernameMapping: 'same-local-part',
      storeSubjects: false,
      calendarMonthsBack: 24,
      calendarMonthsAhead: 36,
      rules: { groupIds: ['group-a'], exclude: ['ceo@contoso.com'] },
    });
    expect(await store.policies.get(policy.id)).toEqual(policy);
  });

  it('validation names the field: name, uniqueness, interval bounds, connections and their kinds, rules, data types', async () => {
    expect(await failedField(store.policies.create(policyInput({ name: '' })))).toBe('name');
    expect(await failedField(store.policies.create(policyInput({ name: 'Existing' })))).toBe('name');
    expect(await failedField(store.policies.create(policyInput({ cycleIntervalSeconds: 59 })))).toBe('cycleIntervalSeconds');
    expect(await failedField(store.policies.create(policyInput({ cycleIntervalSeconds: 7 * 24 * 3600 + 1 })))).toBe('cycleIntervalSeconds');
    expect(await failedField(store.policies.create(policyInput({ cycleIntervalSeconds: 90.5 })))).toBe('cycleIntervalSeconds');
    expect(await failedField(store.policies.create(policyInput({ sourceConnectionId: seeded.target.id })))).toBe('sourceConnectionId');
    expect(await failedField(store.policies.create(policyInput({ targetConnectionId: seeded.source.id })))).toBe('targetConnectionId');
    expect(await failedField(store.policies.create(policyInput({ sourceConnectionId: '00000000-0000-4000-8000-000000000000' })))).toBe('sourceConnectionId');
    expect(await failedField(store.policies.create(policyInput({ rules: { exclude: ['x'] } })))).toBe('rules');
    expect(await failedField(store.policies.create(policyInput({ rules: { allUsers: true, groups: ['x'] } as never })))).toBe('rules.groups');
    expect(await failedField(store.policies.create(policyInput({ dataTypes: ['files'] })))).toBe('dataTypes');
    expect(await failedField(store.policies.create(policyInput({ usernameMapping: 'initials' as never })))).toBe('usernameMapping');
    expect(await failedField(store.policies.create(policyInput({ calendarMonthsBack: 121 })))).toBe('calendarMonthsBack');
    expect(await failedField(store.policies.create(policyInput({ calendarMonthsAhead: -1 })))).toBe('calendarMonthsAhead');
    expect(await failedField(store.policies.create(policyInput({ calendarMonthsAhead: 2.5 })))).toBe('calendarMonthsAhead');
    // The bounds themselves are allowed.
    await store.policies.create(policyInput({ cycleIntervalSeconds: 60, calendarMonthsBack: 0, calendarMonthsAhead: 120 }));
    await store.policies.create(policyInput({ cycleIntervalSeconds: 7 * 24 * 3600 }));
  });

  it('update patches only the given fields and setEnabled reports a change once', async () => {
    const policy = await store.policies.create(policyInput());
    const updated = await store.policies.update(policy.id, { cycleIntervalSeconds: 3600, storeSubjects: true });
    expect(updated).toMatchObject({ cycleIntervalSeconds: 3600, storeSubjects: true, name: policy.name, rules: policy.rules });
    expect(await failedField(store.policies.update(policy.id, { name: 'Existing' }))).toBe('name');

    expect((await store.policies.setEnabled(policy.id, false)).changed).toBe(true);
    const again = await store.policies.setEnabled(policy.id, false);
    expect(again.changed).toBe(false);
    expect(again.policy.enabled).toBe(false);
    expect((await store.policies.listAll({ enabled: false })).map((p) => p.id)).toContain(policy.id);
  });

  it('list pages by name with opaque cursors and rejects a forged one', async () => {
    const local = await harness.open();
    const { source, target } = await seedPolicy(local, { name: 'Policy 00' });
    for (let i = 1; i < 12; i++) {
      await local.policies.create({
        name: `Policy ${String(i).padStart(2, '0')}`,
        sourceConnectionId: source.id,
        targetConnectionId: target.id,
        rules: { allUsers: true },
        targetDomain: 'example.com',
      });
    }
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await local.policies.list({ limit: 5, cursor });
      names.push(...page.items.map((policy) => policy.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names).toEqual(Array.from({ length: 12 }, (_, i) => `Policy ${String(i).padStart(2, '0')}`));
    expect((await local.policies.list({ connectionId: target.id, limit: 500 })).items).toHaveLength(12);
    await expect(local.policies.list({ cursor: 'bm9wZQ' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('delete is refused while users are selected, then cascades to Excluded users', async () => {
    const { policy } = await seedPolicy(store);
    const user = await seedUser(store, policy.id, 'delete-me');
    await store.messageMap.recordIntents(user.id, [{ sourceItemId: 'm1', internetMessageId: '<m1@x>', sourceFolderId: 'f' }]);
    const refusal = await store.policies.delete(policy.id).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StoreConflictError);
    expect(refusal).toMatchObject({ code: 'POLICY_IN_USE' });

    await store.syncUsers.update(user.id, { status: 'Excluded' });
    expect(await store.policies.delete(policy.id)).toBe(true);
    expect(await store.syncUsers.get(user.id)).toBeNull();
    expect((await store.messageMap.findBySourceIds(user.id, ['m1'])).size).toBe(0);
    expect(await store.policies.delete(policy.id)).toBe(false);
  });

  it('refuses to move a policy with selected users to other connections', async () => {
    const { policy } = await seedPolicy(store);
    await seedUser(store, policy.id, 'pinned');
    const other = await seedPolicy(store);
    const refusal = await store.policies.update(policy.id, { sourceConnectionId: other.source.id }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'POLICY_IN_USE' });
  });
});
