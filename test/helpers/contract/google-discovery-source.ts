import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contractCacheDir } from './cache-dir.js';

/**
 * Google's discovery documents for Gmail v1, Admin SDK Directory v1, People v1 and Calendar v3.
 *
 * No npm package ships them: googleapis (and @googleapis/gmail,
 * @googleapis/admin) ship TypeScript generated from them, and
 * @maxim_mazurok/gapi.client.* ship only typings (so for People v1). Google's Python client,
 * google-api-python-client on PyPI, ships the documents themselves
 * (googleapiclient/discovery_cache/documents/*.json), so we take them from
 * that wheel, pinned by version and SHA-256, and cache them.
 * GOOGLE_DISCOVERY_DIR may point at a folder that already holds the files.
 */
export const pythonClientVersion = '2.202.0';
const wheelName = `google_api_python_client-${pythonClientVersion}-py3-none-any.whl`;
const wheelSha256 = 'aaa90064c9bb642ff1d065b22ca8958a2cb6e345909cefe70d0e5452fc50e08b';
export const discoveryDocumentFiles = ['gmail.v1.json', 'admin.directory_v1.json', 'people.v1.json', 'calendar.v3.json'] as const;

function hasAll(dir: string): boolean {
  return discoveryDocumentFiles.every((file) => existsSync(path.join(dir, file)));
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${(result.stderr ?? '').slice(-2000)}`);
  }
}

/** A folder holding the discovery documents above; downloads the pinned wheel on first use (again when one is added). */
export function resolveGoogleDiscoveryDir(log: (line: string) => void): string {
  const override = process.env.GOOGLE_DISCOVERY_DIR;
  if (override) {
    if (!hasAll(override)) throw new Error(`GOOGLE_DISCOVERY_DIR=${override} lacks ${discoveryDocumentFiles.join(' or ')}.`);
    return override;
  }
  const dir = contractCacheDir('google-discovery', `google-api-python-client-${pythonClientVersion}`);
  if (hasAll(dir)) return dir;

  log(`Fetching Google's discovery documents from google-api-python-client ${pythonClientVersion} (PyPI, first run only)...`);
  const work = mkdtempSync(path.join(os.tmpdir(), 'google-discovery-'));
  try {
    run('python3', ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '-d', work, `google-api-python-client==${pythonClientVersion}`]);
    const wheel = readdirSync(work).find((file) => file === wheelName);
    if (!wheel) throw new Error(`pip did not download ${wheelName}.`);
    const digest = createHash('sha256')
      .update(readFileSync(path.join(work, wheel)))
      .digest('hex');
    if (digest !== wheelSha256) throw new Error(`${wheelName} has SHA-256 ${digest}, expected ${wheelSha256}.`);
    const extracted = path.join(work, 'documents');
    // A wheel is a zip archive; Python (which pip needs anyway) unpacks the two members.
    const members = discoveryDocumentFiles.map((file) => `googleapiclient/discovery_cache/documents/${file}`);
    const unzip = 'import sys, zipfile, os\nz = zipfile.ZipFile(sys.argv[1])\nfor m in sys.argv[3:]:\n    open(os.path.join(sys.argv[2], os.path.basename(m)), "wb").write(z.read(m))';
    mkdirSync(extracted);
    run('python3', ['-c', unzip, path.join(work, wheel), extracted, ...members]);
    // Copied beside the cache (the temporary folder may be on another file system), then renamed into place.
    const partial = `${dir}.partial-${process.pid}`;
    cpSync(extracted, partial, { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}
