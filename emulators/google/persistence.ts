import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLogger } from '../../shared/logger.js';
import type { EmulatorState, StateSnapshot } from './state.js';

const log = createLogger('google-emulator');

const fileName = 'google-emulator.json';
const checkEveryMs = 500;
/** A save may take at most this share of the time, so a large mailbox under import load is not re-serialized nonstop. */
const maxShareOfTimeSaving = 0.1;

export function loadSnapshot(persistDir: string): StateSnapshot | undefined {
  const file = path.join(persistDir, fileName);
  if (!existsSync(file)) return undefined;
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as StateSnapshot;
  if (snapshot.version !== 1) {
    throw new Error(`${file} was written by another version of the Google emulator; move it away to start from a fresh state.`);
  }
  return snapshot;
}

/**
 * Saves the state to persistDir shortly after it changes (and on flush), so a
 * demo survives a restart. The file holds the emulator-generated service
 * account key, hence owner-only permissions.
 */
export class SnapshotWriter {
  private savedRevision: number;
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private nextSaveAt = 0;

  constructor(
    private readonly state: EmulatorState,
    private readonly persistDir: string,
  ) {
    mkdirSync(persistDir, { recursive: true });
    this.savedRevision = -1;
    this.timer = setInterval(() => {
      if (Date.now() < this.nextSaveAt) return;
      this.flush().catch((error: unknown) => log.error({ err: error, persistDir }, 'Could not save the Google emulator state; retrying shortly'));
    }, checkEveryMs);
    this.timer.unref();
  }

  /** Writes now if anything changed since the last save. */
  flush(): Promise<void> {
    const run = this.writing.then(async () => {
      const revision = this.state.revision;
      if (revision === this.savedRevision) return;
      const file = path.join(this.persistDir, fileName);
      const temporary = `${file}.${process.pid}.tmp`;
      const started = Date.now();
      await writeFile(temporary, JSON.stringify(this.state.snapshot()), { mode: 0o600 });
      await rename(temporary, file);
      this.savedRevision = revision;
      this.nextSaveAt = Date.now() + (Date.now() - started) / maxShareOfTimeSaving;
    });
    // One failed write must not stop the later ones.
    this.writing = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
