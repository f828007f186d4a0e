import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SignJWT, importPKCS8 } from 'jose';
import { ensureLocalTls } from '../../shared/tls.js';
import { serveHttps } from '../https.js';
import { createGoogleEmulator } from './index.js';

export interface GoogleBenchResult {
  requestsPerSecond: number;
  importsPerSecond: number;
}

export interface GoogleBenchOptions {
  durationMs?: number;
  concurrency?: number;
}

interface LoadSpec {
  url: string;
  ca: string;
  token: string;
  durationMs: number;
  concurrency: number;
  method: 'GET' | 'POST';
  path: string;
  contentType?: string;
  body?: string;
}

/**
 * The load generator runs in a worker thread (plain JavaScript, node:https
 * with keep-alive) so the emulator keeps the main thread's core to itself.
 */
const loadGenerator = `
const { parentPort, workerData } = require('node:worker_threads');
const https = require('node:https');
const spec = workerData;
// noDelay and a known length send headers and body at once: otherwise Nagle and
// delayed ACKs cap every connection at ~25 requests per second.
const agent = new https.Agent({ keepAlive: true, maxSockets: spec.concurrency, ca: spec.ca, noDelay: true });
const headers = { authorization: 'Bearer ' + spec.token };
if (spec.contentType) headers['content-type'] = spec.contentType;
if (spec.body !== undefined) headers['content-length'] = Buffer.byteLength(spec.body);
let succeeded = 0;
let failed = 0;
let firstFailure;
const deadline = Date.now() + spec.durationMs;
function once() {
  return new Promise((resolve) => {
    const request = https.request(spec.url + spec.path, { method: spec.method, agent, headers }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode < 300) succeeded++;
        else { failed++; firstFailure ??= 'HTTP ' + response.statusCode; }
        resolve();
      });
    });
    request.on('error', (error) => { failed++; firstFailure ??= error.message; resolve(); });
    request.end(spec.body);
  });
}
async function lane() { while (Date.now() < deadline) await once(); }
const started = Date.now();
Promise.all(Array.from({ length: spec.concurrency }, lane)).then(() => {
  parentPort.postMessage({ succeeded, failed, firstFailure, elapsedMs: Date.now() - started });
  agent.destroy();
});
`;

function runLoad(spec: LoadSpec): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(loadGenerator, { eval: true, workerData: spec });
    worker.once('error', reject);
    worker.once('message', (result: { succeeded: number; failed: number; firstFailure?: string; elapsedMs: number }) => {
      void worker.terminate();
      if (result.failed > 0) reject(new Error(`${result.failed} benchmark requests failed (first: ${result.firstFailure ?? 'unknown'})`));
      else resolve(Math.round((result.succeeded * 1000) / result.elapsedMs));
    });
  });
}

/** No Message-ID: every request sends the same bytes, and Gmail merges imports that share one, so each would cost nothing. */
function sampleMessage(): string {
  const body = 'Quarterly figures attached as discussed.\r\n'.repeat(40);
  return [
    'From: Dana Reyes <dana@contoso.example>',
    'To: Bench User <bench@example.com>',
    'Subject: Benchmark message',
    'Date: Mon, 02 Oct 2023 09:30:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
  ].join('\r\n');
}

/**
 * Throughput of the emulator with quotas off: small requests (labels.list
 * with a valid token) and small imports (uploadType=media), ~5 s each.
 */
export async function benchGoogleEmulator(options: GoogleBenchOptions = {}): Promise<GoogleBenchResult> {
  const durationMs = options.durationMs ?? 5_000;
  const concurrency = options.concurrency ?? 32;
  const dataDir = process.env.DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'google-bench-'));
  const tls = ensureLocalTls(dataDir);
  const emulator = createGoogleEmulator({
    quota: { enabled: false },
    users: [
      { primaryEmail: 'admin@example.com', givenName: 'Bench', familyName: 'Admin', isAdmin: true },
      { primaryEmail: 'bench@example.com', givenName: 'Bench', familyName: 'User' },
    ],
  });
  const server = await serveHttps(emulator.app, { port: 0, tls });
  try {
    const key = emulator.serviceAccountKey();
    if (!key) throw new Error('The emulator generated no service account key.');
    const assertion = await new SignJWT({ scope: 'https://www.googleapis.com/auth/gmail.modify' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(key.client_email)
      .setSubject('bench@example.com')
      .setAudience('https://oauth2.googleapis.com/token')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(await importPKCS8(key.private_key, 'RS256'));
    const tokenResponse = await emulator.app.request('/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const common = { url: server.url, ca: readFileSync(tls.caCertPath, 'utf8'), token, durationMs, concurrency };

    const requestsPerSecond = await runLoad({ ...common, method: 'GET', path: '/gmail/v1/users/me/labels' });
    const importsPerSecond = await runLoad({
      ...common,
      method: 'POST',
      path: '/upload/gmail/v1/users/me/messages/import?uploadType=media&internalDateSource=dateHeader',
      contentType: 'message/rfc822',
      body: sampleMessage(),
    });
    return { requestsPerSecond, importsPerSecond };
  } finally {
    await server.close();
    await emulator.close();
    if (!process.env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchGoogleEmulator();
  console.log(JSON.stringify(result));
}
