import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveTemporalCli, temporalCliCacheDir, TEMPORAL_CLI_VERSION } from '../../scripts/temporal-cli.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

function fakeBinary(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'temporal');
  writeFileSync(file, '#!/bin/sh\necho fake\n');
  chmodSync(file, 0o755);
  return file;
}

describe('resolveTemporalCli', () => {
  it('prefers TEMPORAL_CLI and refuses a path that does not exist', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    const binary = fakeBinary(dir);
    process.env.TEMPORAL_CLI = binary;
    expect(await resolveTemporalCli(() => {})).toBe(binary);
    process.env.TEMPORAL_CLI = path.join(dir, 'missing');
    await expect(resolveTemporalCli(() => {})).rejects.toThrow(/does not exist/);
  });

  it('finds `temporal` on PATH before the cache', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-path-'));
    const binary = fakeBinary(dir);
    delete process.env.TEMPORAL_CLI;
    process.env.PATH = `${dir}${path.delimiter}${saved.PATH}`;
    process.env.XDG_CACHE_HOME = mkdtempSync(path.join(os.tmpdir(), 'cache-'));
    expect(await resolveTemporalCli(() => {})).toBe(binary);
  });

  it('uses a cached build under the cache directory', async () => {
    delete process.env.TEMPORAL_CLI;
    process.env.PATH = '/nonexistent';
    process.env.XDG_CACHE_HOME = mkdtempSync(path.join(os.tmpdir(), 'cache-'));
    const cached = fakeBinary(temporalCliCacheDir());
    expect(cached).toContain(path.join('m365-google-continuity', 'temporal-cli', TEMPORAL_CLI_VERSION));
    expect(await resolveTemporalCli(() => {})).toBe(cached);
  });
});
