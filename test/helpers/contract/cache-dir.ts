import os from 'node:os';
import path from 'node:path';

/** Where generated or downloaded contract sources are kept between runs (beside the Temporal CLI build). */
export function contractCacheDir(...parts: string[]): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'm365-google-continuity', 'contract', ...parts);
}
