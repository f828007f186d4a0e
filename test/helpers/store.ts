import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { openStore, type Store } from '../../store/index.js';

/** A fresh SQLite store of its own under the run's data directory. */
export async function openTestStore(): Promise<Store> {
  return openStore({ dataDir: mkdtempSync(path.join(process.env.DATA_DIR!, 'store-')) });
}
