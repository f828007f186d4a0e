import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialsDecryptionError, EncryptionKeyError, type Store } from '../../store/index.js';
import { openStoreForTest } from '../helpers/store.js';
import { KEY_FILE_NAME, loadEncryptionKey } from '../../shared/encryption-key.js';
import { randomEncryptionKey, StoreHarness, testServiceAccountKey } from './fixtures.js';

const run = promisify(execFile);
const harness = new StoreHarness();
afterAll(() => harness.dispose());

async function rawConnectionRow(store: Store, id: string): Promise<Record<string, unknown>> {
  const rows = await store.orm.em.fork().getConnection().execute<Record<string, unknown>[]>('select * from connections where id = ?', [id]);
  return rows[0]!;
}

describe('credentials at rest', () => {
  it('round-trip through AES-256-GCM while the file holds only versioned ciphertext', async () => {
    const store = await harness.open({ encryptionKey: randomEncryptionKey() });
    const secret = `m365-${randomEncryptionKey()}`;
    const connection = await store.connections.create({
      kind: 'microsoft365',
      name: 'Contoso',
      settings: { tenantId: 'tenant', clientId: 'client' },
      credentials: { clientSecret: secret },
    });

    const row = await rawConnectionRow(store, connection.id);
    const ciphertext = String(row.credentials_ciphertext);
    expect(ciphertext).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(JSON.stringify(row)).not.toContain(secret);

    const secrets = await store.connections.readCredentials(connection.id);
    expect(secrets).toMatchObject({ id: connection.id, kind: 'microsoft365', credentials: { clientSecret: secret }, settings: { tenantId: 'tenant' } });
  });

  it('never appear in create, get, list, update or test results', async () => {
    const store = await harness.open();
    const key = testServiceAccountKey();
    const created = await store.connections.create({
      kind: 'google-workspace',
      name: 'Example',
      settings: { serviceAccountEmail: key.client_email, adminSubject: 'admin@example.com', domain: 'example.com' },
      credentials: { serviceAccountKey: key },
    });
    const replaced = await store.connections.replaceCredentials(created.id, { serviceAccountKey: testServiceAccountKey() });
    const views = [
      created,
      replaced,
      await store.connections.get(created.id),
      await store.connections.list(),
      await store.connections.update(created.id, { name: 'Example (renamed)' }),
      await store.connections.recordTestResult(created.id, { ok: true }),
    ];
    const serialized = JSON.stringify(views);
    expect(serialized).not.toContain('PRIVATE KEY');
    expect(serialized).not.toContain('credentials');
    expect(serialized).not.toContain('v1:');
  });

  it('fail clearly with another key, and a ciphertext moved to another row does not decrypt', async () => {
    const dataDir = harness.newDir();
    const first = await openStoreForTest({ dataDir, encryptionKey: randomEncryptionKey() });
    const a = await first.connections.create({ kind: 'microsoft365', name: 'A', settings: { tenantId: 't', clientId: 'c' }, credentials: { clientSecret: 'secret-a' } });
    const b = await first.connections.create({ kind: 'microsoft365', name: 'B', settings: { tenantId: 't', clientId: 'c' }, credentials: { clientSecret: 'secret-b' } });
    const em = first.orm.em.fork();
    const rowA = await rawConnectionRow(first, a.id);
    await em.getConnection().execute('update connections set credentials_ciphertext = ? where id = ?', [rowA.credentials_ciphertext, b.id]);
    await expect(first.connections.readCredentials(b.id)).rejects.toBeInstanceOf(CredentialsDecryptionError);
    await first.close();

    const withOtherKey = harness.track(await openStoreForTest({ dataDir, encryptionKey: randomEncryptionKey() }));
    const failure = await withOtherKey.connections.readCredentials(a.id).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CredentialsDecryptionError);
    expect(failure).toMatchObject({ code: 'CREDENTIALS_UNREADABLE' });
    expect((failure as Error).message).toMatch(/cannot be decrypted with the current encryption key/);
    expect((failure as Error).message).not.toContain('secret-a');
  });

  it('use a key file created with mode 0600 on first open, and the same key afterwards', async () => {
    const dataDir = harness.newDir();
    const first = await openStoreForTest({ dataDir });
    const connection = await first.connections.create({ kind: 'microsoft365', name: 'A', settings: { tenantId: 't', clientId: 'c' }, credentials: { clientSecret: 'kept' } });
    await first.close();
    expect(statSync(path.join(dataDir, KEY_FILE_NAME)).mode & 0o777).toBe(0o600);

    const second = harness.track(await openStoreForTest({ dataDir }));
    expect((await second.connections.readCredentials(connection.id)).credentials).toEqual({ clientSecret: 'kept' });
  });

  it('refuse an ENCRYPTION_KEY that is not base64 of 32 bytes, before touching the database', async () => {
    for (const encryptionKey of ['short', Buffer.alloc(16).toString('base64'), 'not base64 at all!']) {
      await expect(openStoreForTest({ dataDir: harness.newDir(), encryptionKey })).rejects.toBeInstanceOf(EncryptionKeyError);
    }
  });

  it('agree on one generated key when several processes create it at the same moment', async () => {
    const dataDir = harness.newDir();
    const encryptionModule = pathToFileURL(path.resolve('shared/encryption-key.ts')).href;
    const script = `const { loadEncryptionKey } = await import(${JSON.stringify(encryptionModule)}); process.stdout.write(loadEncryptionKey({ dataDir: process.argv[1] }).toString('base64'));`;
    const keys = await Promise.all([1, 2, 3].map(async () => (await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dataDir])).stdout));
    expect(keys[0]).toHaveLength(44);
    expect(new Set(keys).size).toBe(1);
    expect(loadEncryptionKey({ dataDir }).toString('base64')).toBe(keys[0]);
  });
});
