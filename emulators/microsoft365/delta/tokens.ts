import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Where a client stands in a folder's delta, carried inside the opaque
 * $skiptoken / $deltatoken of the links we hand out. As in Graph, the query
 * options of the first request ($select, $expand, $top) travel in the token,
 * so later requests only follow links. An HMAC makes a tampered or foreign
 * token look like what it is: an unknown sync state (410).
 *
 *  - initial:  first full listing of the folder; `seq` is the change number
 *              when it began, `after` the last message number returned,
 *              `replayedSeq` how far changes to listed messages were replayed.
 *  - changes:  paging through changes with fromSeq < seq <= until.
 *  - caughtUp: a delta link; following it starts a changes round from `seq`.
 */
export interface DeltaPosition {
  mailbox: number;
  /** Which kind of folder `folder` numbers; absent for mail folders (tokens from before contacts existed). */
  collection?: 'contacts';
  folder: number;
  generation: number;
  phase: 'initial' | 'changes' | 'caughtUp';
  seq: number;
  until?: number;
  after?: number;
  replayedSeq?: number;
  select?: string;
  expand?: string[];
  top?: number;
}

const macBytes = 16;

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest().subarray(0, macBytes);
}

export function encodeDeltaToken(key: Buffer, position: DeltaPosition): string {
  const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

export function decodeDeltaToken(key: Buffer, token: string): DeltaPosition | undefined {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return undefined;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const position = JSON.parse(Buffer.from(payload, 'base64url').toString()) as DeltaPosition;
    return typeof position.mailbox === 'number' && typeof position.seq === 'number' ? position : undefined;
  } catch {
    return undefined;
  }
}
