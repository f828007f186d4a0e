import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreConflictError, StoreNotFoundError, StoreValidationError, type NewConnection, type Store } from '../../store/index.js';
import { seedPolicy, StoreHarness, testServiceAccountKey } from './fixtures.js';

const harness = new StoreHarness();
let store: Store;
beforeAll(async () => {
  store = await harness.open();
});
afterAll(() => harness.dispose());

const microsoft365 = (overrides: Partial<NewConnection> = {}): NewConnection =>
  ({ kind: 'microsoft365', name: 'Contoso', settings: { tenantId: 'tenant', clientId: 'client' }, credentials: { clientSecret: 'secret' }, ...overrides }) as NewConnection;

async function validationFailure(promise: Promise<unknown>): Promise<StoreValidationError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(StoreValidationError);
  return error as StoreValidationError;
}

describe('connections', () => {
  it('start NotTested, with settings cleaned and typed by kind', async () => {
    const connection = await store.connections.create(microsoft365({ settings: { tenantId: ' tenant ', clientId: 'client', graphBaseUrl: 'https://localhost:3001/' } }));
    expect(connection).toMatchObject({
      kind: 'microsoft365',
      status: 'NotTested',
      lastError: null,
      lastTestedAt: null,
      settings: { tenantId: 'tenant', clientId: 'client', graphBaseUrl: 'https://localhost:3001' },
    });
    expect(await store.connections.get(connection.id)).toEqual(connection);
    expect(await store.connections.get('not-a-uuid')).toBeNull();
  });

  it('reject bad input with the offending field', async () => {
    expect((await validationFailure(store.connections.create(microsoft365({ name: '  ' })))).field).toBe('name');
    expect((await validationFailure(store.connections.create(microsoft365({ kind: 'dropbox' as 'microsoft365' })))).field).toBe('kind');
    expect((await validationFailure(store.connections.create(microsoft365({ settings: { tenantId: 'tenant' } as never })))).field).toBe('settings.clientId');
    expect((await validationFailure(store.connections.create(microsoft365({ settings: { tenantId: 't', clientId: 'c', authorityHost: 'http://login.example' } })))).field).toBe(
      'settings.authorityHost',
    );
    expect((await validationFailure(store.connections.create(microsoft365({ credentials: { clientSecret: '' } })))).field).toBe('credentials.clientSecret');
    const google = {
      kind: 'google-workspace',
      name: 'Example',
      settings: { serviceAccountEmail: 'sa@p.iam.gserviceaccount.com', adminSubject: 'admin@example.com', domain: 'example.com' },
    } as const;
    const withoutKey = await validationFailure(store.connections.create({ ...google, credentials: { serviceAccountKey: { ...testServiceAccountKey(), private_key: 'nope' } } }));
    expect(withoutKey.field).toBe('credentials.serviceAccountKey.private_key');
    const badDomain = await validationFailure(
      store.connections.create({ ...google, settings: { ...google.settings, domain: 'not a domain' }, credentials: { serviceAccountKey: testServiceAccountKey() } }),
    );
    expect(badDomain.field).toBe('settings.domain');
  });

  it('record a test result: Active clears the error, Error keeps the code, message and time', async () => {
    const connection = await store.connections.create(microsoft365());
    const failed = await store.connections.recordTestResult(connection.id, { ok: false, error: { code: 'AUTH_TOKEN_EXPIRED', message: 'The client secret expired.' } });
    expect(failed.status).toBe('Error');
    expect(failed.lastError).toMatchObject({ code: 'AUTH_TOKEN_EXPIRED', message: 'The client secret expired.' });
    expect(failed.lastError?.at).toBeInstanceOf(Date);
    expect(failed.lastTestedAt).toBeInstanceOf(Date);
    const active = await store.connections.recordTestResult(connection.id, { ok: true });
    expect(active).toMatchObject({ status: 'Active', lastError: null });
  });

  it('markError reports the status change to exactly one of many concurrent callers', async () => {
    const connection = await store.connections.create(microsoft365());
    const results = await Promise.all(Array.from({ length: 25 }, (_, index) => store.connections.markError(connection.id, { code: 'AUTH_TOKEN_EXPIRED', message: `expired ${index}` })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.connections.get(connection.id))?.status).toBe('Error');
    expect(await store.connections.markError(connection.id, { code: 'CONNECTION_UNAVAILABLE', message: 'down' })).toBe(false);
    expect((await store.connections.get(connection.id))?.lastError?.code).toBe('CONNECTION_UNAVAILABLE');

    const recovered = await Promise.all([store.connections.markActive(connection.id), store.connections.markActive(connection.id)]);
    expect(recovered.filter(Boolean)).toHaveLength(1);
    expect(await store.connections.get(connection.id)).toMatchObject({ status: 'Active', lastError: null });
  });

  it('getMany reads several connections at once; recoverFromError brings back only those in Error, once', async () => {
    const source = await store.connections.create(microsoft365());
    const other = await store.connections.create({ ...microsoft365(), name: 'Second tenant' });
    const both = await store.connections.getMany([source.id, other.id, 'not-a-uuid']);
    expect([...both.keys()].sort()).toEqual([source.id, other.id].sort());
    expect(both.get(source.id)).toEqual(await store.connections.get(source.id));

    expect(await store.connections.recoverFromError([source.id, other.id])).toEqual([]);
    await store.connections.markError(other.id, { code: 'AUTH_TOKEN_EXPIRED', message: 'expired' });
    const recovered = await Promise.all([store.connections.recoverFromError([source.id, other.id]), store.connections.recoverFromError([other.id, source.id])]);
    expect(recovered.flat()).toEqual([other.id]);
    expect((await store.connections.get(other.id))?.status).toBe('Active');
  });

  it('new credentials make the connection NotTested and are what readCredentials returns', async () => {
    const connection = await store.connections.create(microsoft365());
    await store.connections.markError(connection.id, { code: 'AUTH_TOKEN_EXPIRED', message: 'expired' });
    const updated = await store.connections.replaceCredentials(connection.id, { clientSecret: 'rotated' });
    expect(updated).toMatchObject({ status: 'NotTested', lastError: null });
    expect((await store.connections.readCredentials(connection.id)).credentials).toEqual({ clientSecret: 'rotated' });
  });

  it('update renames and replaces settings, validated for the stored kind', async () => {
    const connection = await store.connections.create(microsoft365());
    const updated = await store.connections.update(connection.id, { name: 'Renamed', settings: { tenantId: 'other', clientId: 'client' } });
    expect(updated).toMatchObject({ name: 'Renamed', settings: { tenantId: 'other', clientId: 'client' } });
    const error = await validationFailure(store.connections.update(connection.id, { settings: { domain: 'example.com' } as never }));
    expect(error.field).toBe('settings.tenantId');
    await expect(store.connections.update('00000000-0000-4000-8000-000000000000', { name: 'x' })).rejects.toBeInstanceOf(StoreNotFoundError);
  });

  it('delete is refused while a policy uses the connection', async () => {
    const { source, target, policy } = await seedPolicy(store);
    const refusal = await store.connections.delete(source.id).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StoreConflictError);
    expect(refusal).toMatchObject({ code: 'CONNECTION_IN_USE' });
    expect(await store.policies.delete(policy.id)).toBe(true);
    expect(await store.connections.delete(source.id)).toBe(true);
    expect(await store.connections.delete(source.id)).toBe(false);
    expect(await store.connections.get(source.id)).toBeNull();
    expect(await store.connections.get(target.id)).not.toBeNull();
  });
});
