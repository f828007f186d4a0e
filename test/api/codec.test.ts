import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStatus } from '../../shared/vocabulary.js';
import type { DirectoryUser } from '../../emulators/microsoft365/state/directory.js';
import { encryptedEncoding, PayloadEncryptionCodec } from '../../shared/payload-codec.js';
import { createSyncFixture, targetDomain, waitForSnapshot, type SyncFixture } from '../helpers/sync-fixture.js';
import { testPayloadCodec } from '../helpers/temporal.js';
import { authHeaders, createApiApp } from './support.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const utf8 = (bytes: string) => Buffer.from(bytes, 'base64').toString('utf8');

describe('payload encryption and the codec endpoint for Temporal UI', () => {
  let fixture: SyncFixture;
  let app: ReturnType<typeof createApiApp>;
  let user: DirectoryUser;
  const uiUrl = 'http://localhost:8233';

  beforeAll(async () => {
    fixture = await createSyncFixture();
    user = fixture.m365.emulator.seed({ seed: 97, users: 1, messagesPerUser: 3, failingItemsPerUser: 0, groups: false }).users[0]!;
    app = createApiApp(fixture.temporal, fixture.store, {
      payloadCodec: testPayloadCodec(),
      config: { temporalNamespace: 'default', temporalTaskQueue: fixture.temporal.taskQueue, temporalUiUrl: uiUrl },
    });
  });
  afterAll(async () => fixture?.close());

  const post = (direction: 'encode' | 'decode', body: unknown, headers: Record<string, string> = authHeaders) =>
    app.request(`/api/codec/${direction}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('keeps addresses and folder names out of Temporal: every payload of a user workflow is encrypted, and the endpoint decodes them', async () => {
    const { handle } = await fixture.startSync(user);
    await waitForSnapshot(handle, (s) => s.status === SyncStatus.Synced);

    // Read as Temporal stores it, by a client without the codec.
    const raw = await new Client({ connection: fixture.temporal.client.connection, namespace: 'default' }).workflow.getHandle(handle.workflowId).fetchHistory();
    const text = JSON.stringify(raw);
    const targetEmail = `${user.mail!.split('@')[0]}@${targetDomain}`;
    expect(text).not.toContain(targetEmail);
    expect(text).not.toContain(user.mail!);
    const scheduled = raw.events!.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'syncMailFolders')!;
    const [payload] = scheduled.activityTaskScheduledEventAttributes!.input!.payloads!;
    expect(Buffer.from(payload!.metadata!.encoding!).toString()).toBe(encryptedEncoding);

    // Temporal UI's codec call: the original JSON comes back.
    const jsonPayload = { metadata: Object.fromEntries(Object.entries(payload!.metadata!).map(([k, v]) => [k, b64(v!)])), data: b64(payload!.data!) };
    const res = await post('decode', { payloads: [jsonPayload] });
    expect(res.status).toBe(200);
    const decoded = ((await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads[0]!;
    expect(utf8(decoded.metadata.encoding!)).toBe('json/plain');
    expect(JSON.parse(utf8(decoded.data))).toMatchObject({ targetEmail, sourceUserId: user.id });
  });

  it('encodes what it is given as the workers do, and decodes it back', async () => {
    const plain = defaultPayloadConverter.toPayload({ hello: 'world' });
    const json = { payloads: [{ metadata: { encoding: b64(plain.metadata!.encoding!) }, data: b64(plain.data!) }] };
    const encoded = (await (await post('encode', json)).json()) as typeof json;
    expect(utf8(encoded.payloads[0]!.metadata.encoding)).toBe(encryptedEncoding);
    const back = (await (await post('decode', encoded)).json()) as typeof json;
    expect(back).toEqual(json);
    // A payload the codec did not write passes through unchanged (histories from before the codec).
    expect(await (await post('decode', json)).json()).toEqual(json);
  });

  it('asks for the sign-in, refuses bad input with 4xx, and says when a payload was encrypted with another key', async () => {
    expect((await post('decode', { payloads: [] }, {})).status).toBe(401);
    const bad = await post('decode', { payloads: [{ data: 'not base64!' }] });
    expect(bad.status).toBe(400);
    const other = await new PayloadEncryptionCodec(randomBytes(32)).encode([defaultPayloadConverter.toPayload('x')]);
    const foreign = await post('decode', { payloads: [{ metadata: Object.fromEntries(Object.entries(other[0]!.metadata!).map(([k, v]) => [k, b64(v)])), data: b64(other[0]!.data!) }] });
    expect(foreign.status).toBe(422);
    expect(((await foreign.json()) as { code: string }).code).toBe('PAYLOAD_KEY_MISMATCH');
  });

  it("answers Temporal UI's origin only (CORS, with credentials)", async () => {
    const preflight = (origin: string) =>
      app.request('/api/codec/decode', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
    const fromUi = await preflight('http://127.0.0.1:8233');
    expect(fromUi.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    expect(fromUi.headers.get('access-control-allow-credentials')).toBe('true');
    const elsewhere = await preflight('https://attacker.example');
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });
});
