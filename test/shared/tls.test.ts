import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHttps, type RunningEmulator } from '../../emulators/https.js';
import { ensureLocalTls } from '../../shared/tls.js';
import { parseTlsHostnames, TlsHostnameError } from '../../shared/tls-hostnames.js';
import { getByName } from '../helpers/tls-by-name.js';

const scratch: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'local-tls-'));
  scratch.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function subjectAltNames(certPem: string): string[] {
  return (new X509Certificate(certPem).subjectAltName ?? '').split(', ');
}

const hello = new Hono().get('/', (c) => c.text('hello'));

describe('ensureLocalTls with EMULATOR_TLS_HOSTNAMES', () => {
  const hostnames = parseTlsHostnames('EMULATOR_TLS_HOSTNAMES', 'graph-emulator,google-emulator');
  let dataDir: string;
  let server: RunningEmulator;
  let ca: string;

  beforeAll(async () => {
    dataDir = freshDir();
    const tls = ensureLocalTls(dataDir, { hostnames });
    ca = readFileSync(tls.caCertPath, 'utf8');
    server = await serveHttps(hello, { port: 0, tls });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('issues a certificate whose DNS names are those listed, besides localhost and the loopback addresses', () => {
    expect(hostnames).toEqual(['graph-emulator', 'google-emulator']);
    const names = subjectAltNames(readFileSync(path.join(dataDir, 'tls', 'localhost.pem'), 'utf8'));
    expect(names).toEqual(expect.arrayContaining(['DNS:graph-emulator', 'DNS:google-emulator', 'DNS:localhost', 'IP Address:127.0.0.1']));
    expect(names.filter((name) => name.startsWith('DNS:')).sort()).toEqual(['DNS:google-emulator', 'DNS:graph-emulator', 'DNS:localhost']);
  });

  it('lets a client that trusts only the written CA connect by each listed name', async () => {
    for (const name of hostnames) {
      await expect(getByName({ name, port: server.port, ca, lookupNames: [name] })).resolves.toEqual({ status: 200, body: 'hello' });
    }
  });

  it('fails the same client for a name not in the list, and a client trusting another CA for a listed name', async () => {
    await expect(getByName({ name: 'other-emulator', port: server.port, ca, lookupNames: ['other-emulator'] })).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    const otherCa = readFileSync(ensureLocalTls(freshDir()).caCertPath, 'utf8');
    // Every local CA has the same subject, so OpenSSL picks the other one as issuer and finds its signature wrong.
    await expect(getByName({ name: 'graph-emulator', port: server.port, ca: otherCa, lookupNames: ['graph-emulator'] })).rejects.toMatchObject({
      code: expect.stringMatching(/^(CERT_SIGNATURE_FAILURE|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/),
    });
  });
});

describe('ensureLocalTls on a data directory that already has a CA', () => {
  it('adds missing names with a certificate from the same CA, and leaves a certificate that has them alone', () => {
    const dataDir = freshDir();
    // As `npm start` does before the emulators start: localhost only.
    const first = ensureLocalTls(dataDir);
    const caBefore = readFileSync(first.caCertPath, 'utf8');
    expect(subjectAltNames(first.cert)).not.toContain('DNS:emulators');

    const second = ensureLocalTls(dataDir, { hostnames: ['emulators'] });
    expect(subjectAltNames(second.cert)).toContain('DNS:emulators');
    expect(readFileSync(second.caCertPath, 'utf8')).toBe(caBefore);
    expect(new X509Certificate(second.cert).verify(new X509Certificate(caBefore).publicKey)).toBe(true);

    // A later call without extra names (npm start again) keeps the wider certificate.
    expect(ensureLocalTls(dataDir).cert).toBe(second.cert);
    expect(ensureLocalTls(dataDir, { hostnames: ['emulators'] }).cert).toBe(second.cert);
  });
});

describe('parseTlsHostnames', () => {
  it('reads names and IP addresses separated by commas or spaces, each once, unset as none', () => {
    expect(parseTlsHostnames('EMULATOR_TLS_HOSTNAMES', ' graph-emulator, Google-Emulator  10.0.0.7,graph-emulator,')).toEqual(['graph-emulator', 'google-emulator', '10.0.0.7']);
    expect(parseTlsHostnames('EMULATOR_TLS_HOSTNAMES', undefined)).toEqual([]);
    expect(parseTlsHostnames('EMULATOR_TLS_HOSTNAMES', '')).toEqual([]);
  });

  it('refuses a name a certificate cannot carry, naming the variable and the value', () => {
    const refuse = (raw: string) => () => parseTlsHostnames('EMULATOR_TLS_HOSTNAMES', raw);
    expect(refuse('graph_emulator')).toThrow(TlsHostnameError);
    expect(refuse('graph_emulator')).toThrow('EMULATOR_TLS_HOSTNAMES holds "graph_emulator"');
    expect(refuse('-graph')).toThrow('EMULATOR_TLS_HOSTNAMES holds "-graph"');
    expect(refuse('https://graph-emulator')).toThrow(TlsHostnameError);
  });
});
