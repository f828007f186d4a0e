import { createWriteStream, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';

/**
 * The worker's own log (Temporal's warnings, e.g. every failed activity
 * attempt) goes to a file instead of the bench's terminal, and is summed up:
 * how many activity attempts failed, and why, with ids and addresses taken
 * out so that the same cause counts once.
 */
export interface ActivityFailures {
  attempts: number;
  byCause: Record<string, number>;
}

export function captureLog(stream: Readable | null, file: string): void {
  if (stream) stream.pipe(createWriteStream(file));
}

export function summarizeActivityFailures(file: string): ActivityFailures {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { attempts: 0, byCause: {} };
  }
  const byCause: Record<string, number> = {};
  let attempts = 0;
  for (const block of text.split('[WARN] Activity failed').slice(1)) {
    attempts += 1;
    const type = /activityType: '([^']+)'/.exec(block)?.[1] ?? 'unknown activity';
    const error = (/error: ([^\n]+)/.exec(block)?.[1] ?? 'unknown error')
      .replace(/https?:\/\/\S+/g, '<url>')
      .replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/gi, '<id>')
      .slice(0, 160);
    const cause = `${type}: ${error}`;
    byCause[cause] = (byCause[cause] ?? 0) + 1;
  }
  return { attempts, byCause };
}

/** The last lines of the log, for an error message when the worker dies. */
export function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no worker log)';
  }
}
