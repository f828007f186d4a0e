import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLogger } from '../../shared/logger.js';
import type { EmulatorState, StateSnapshot } from './state.js';

const log = createLogger('google-emulator');

const fileName = 'google-emulator.json';
const saveEveryMs = 500;

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

  constructor(
    private readonly state: EmulatorState,
    private readonly persistDir: string,
  ) {
    mkdirSync(persistDir, { recursive: true });
    this.savedRevision = -1;
    this.timer = setInterval(() => {
      this.flush().catch((error: unknown) => log.error({ err: error, persistDir }, 'Could not save the Google emulator state; retrying shortly'));
    }, saveEveryMs);
    this.timer.unref();
  }

  /** Writes now if anything changed since the last save. */
  flush(): Promise<void> {
    const run = this.writing.then(async () => {
      const revision = this.state.revision;
      if (revision === this.savedRevision) return;
      const file = path.join(this.persistDir, fileName);
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(this.state.snapshot()), { mode: 0o600 });
      await rename(temporary, file);
      this.savedRevision = revision;
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
