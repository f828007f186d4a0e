import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchContext, ScenarioResult } from './harness/context.js';
import { count, decimal } from './harness/report.js';

/**
 * Scenario 6: the API's sync-status list with 10,000 users in SQLite, listed
 * and filtered by status. The measurement is the API's own benchmark,
 * scripts/bench-api.ts (seeds the users across every status, then times
 * requests through app.request(): auth, validation, store, serialisation, no
 * socket), run as a child process; this file reads its figures.
 */
const script = fileURLToPath(new URL('../scripts/bench-api.ts', import.meta.url));

interface QueryTiming {
  query: string;
  p50: number;
  p95: number;
  max: number;
}

function runApiBench(users: number, requests: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, String(users), String(requests)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`scripts/bench-api.ts exited with code ${code}:\n${output}`))));
  });
}

function parseTimings(output: string): QueryTiming[] {
  // "p50    3.1  p95    4.0  max    9.2  /api/sync-status?status=Failed"
  const pattern = /^p50\s+([\d.]+)\s+p95\s+([\d.]+)\s+max\s+([\d.]+)\s+(\S+)$/gm;
  return [...output.matchAll(pattern)].map((match) => ({ query: match[4]!, p50: Number(match[1]), p95: Number(match[2]), max: Number(match[3]) }));
}

function describe(query: string): string {
  const params = new URL(query, 'http://bench').searchParams;
  const parts: string[] = [];
  if (params.get('status')) parts.push(`status=${params.get('status')}`);
  if (params.get('policyId')) parts.push('one policy');
  if (params.get('errorCode')) parts.push(`errorCode=${params.get('errorCode')}`);
  if (params.get('q')) parts.push(`search "${params.get('q')}"`);
  return parts.length ? `filtered by ${parts.join(', ')}` : 'first page, no filter';
}

export async function runApi(ctx: BenchContext): Promise<ScenarioResult> {
  const { users, requests } = ctx.options.api;
  ctx.log(`api: scripts/bench-api.ts with ${count(users)} users, ${requests} requests per query...`);
  const output = await runApiBench(users, requests);
  const timings = parseTimings(output);
  if (timings.length === 0) throw new Error(`scripts/bench-api.ts printed no timings:\n${output}`);
  const rows = timings.map((timing) => ({
    scenario: '6 API',
    metric: `GET /api/sync-status ${describe(timing.query)}, ${count(users)} users: p50 / p95`,
    measured: `${decimal(timing.p50)} ms / ${decimal(timing.p95)} ms`,
    target: '',
    met: null,
  }));
  return { rows, details: { users, requestsPerQuery: requests, source: 'scripts/bench-api.ts', timings, output } };
}
