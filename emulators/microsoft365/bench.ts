import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureLocalTls } from '../../shared/tls.js';
import { serveHttps } from '../https.js';
import { createMicrosoft365Emulator, type Microsoft365Emulator } from './index.js';

/**
 * How fast and how small the emulator is, so that it is never what limits a
 * sync test or demo:
 *  - requestsPerSecond: GET /v1.0/users/{id} with a valid token, 32 at a
 *    time over keep-alive HTTPS for a few seconds, throttling off. The load
 *    generator runs in the same process, so the figure is a lower bound.
 *  - bytesPer100kMessages: heap growth for seeding 100,000 messages (run
 *    with --expose-gc for a clean figure).
 *
 *   npx tsx --expose-gc emulators/microsoft365/bench.ts
 */
export interface Microsoft365BenchResult {
  requestsPerSecond: number;
  bytesPer100kMessages: number;
}

const concurrency = 32;
const durationMs = 5_000;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

function get(agent: Agent, url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function tokenFor(url: string, emulator: Microsoft365Emulator, agent: Agent): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: emulator.clientId,
    client_secret: emulator.clientSecret ?? '',
    scope: 'https://graph.microsoft.com/.default',
  }).toString();
  return new Promise((resolve, reject) => {
    const req = request(`${url}/${emulator.tenantId}/oauth2/v2.0/token`, { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve((JSON.parse(Buffer.concat(chunks).toString()) as { access_token: string }).access_token));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function measureThroughput(dataDir: string): Promise<number> {
  const tls = ensureLocalTls(dataDir);
  const emulator = createMicrosoft365Emulator({ quota: { enabled: false }, seed: { seed: 1, users: 10, messagesPerUser: 10 } });
  const server = await serveHttps(emulator.app, { port: 0, tls });
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca: readFileSync(tls.caCertPath) });
  try {
    const token = await tokenFor(server.url, emulator, agent);
    const userId = emulator.tenant.directory.listUsers()[0]?.id ?? '';
    const url = `${server.url}/v1.0/users/${userId}`;
    for (let i = 0; i < concurrency; i++) await get(agent, url, token); // open the connections first
    let completed = 0;
    let failed = 0;
    const started = performance.now();
    const deadline = started + durationMs;
    const worker = async (): Promise<void> => {
      while (performance.now() < deadline) {
        if ((await get(agent, url, token)) === 200) completed++;
        else failed++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (failed > 0) throw new Error(`${failed} benchmark requests did not answer 200`);
    return Math.round(completed / ((performance.now() - started) / 1000));
  } finally {
    agent.destroy();
    await server.close();
  }
}

function measureMemory(): number {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const emulator = createMicrosoft365Emulator({ seed: { seed: 2, users: 2, messagesPerUser: 50_000 } });
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  // Keeps the tenant reachable until both readings are taken.
  if (emulator.tenant.directory.userCount !== 2) throw new Error('seeding did not create the benchmark users');
  return Math.max(0, after - before);
}

export async function benchMicrosoft365Emulator(): Promise<Microsoft365BenchResult> {
  const dataDir = process.env.DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'm365-bench-'));
  try {
    const requestsPerSecond = await measureThroughput(dataDir);
    const bytesPer100kMessages = measureMemory();
    return { requestsPerSecond, bytesPer100kMessages };
  } finally {
    // Only the CA made for this run; a DATA_DIR given by the caller is left alone.
    if (!process.env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const gcAvailable = typeof (globalThis as { gc?: unknown }).gc === 'function';
  const result = await benchMicrosoft365Emulator();
  console.log(JSON.stringify({ ...result, megabytesPer100kMessages: Math.round(result.bytesPer100kMessages / 1e5) / 10, gcAvailable }));
}
