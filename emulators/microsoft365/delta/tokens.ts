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

/** `scope` keeps one kind of token from passing as another (calendarView tokens: "calendarView:"); mail's is empty. */
function mac(key: Buffer, payload: string, scope: string): Buffer {
  return createHmac('sha256', key).update(`${scope}${payload}`).digest().subarray(0, macBytes);
}

/** A position as an opaque, signed token: base64url JSON and its HMAC. */
export function encodeSignedPosition(key: Buffer, position: object, scope = ''): string {
  const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
  return `${payload}.${mac(key, payload, scope).toString('base64url')}`;
}

/** The position a token carries, or undefined when it was tampered with, signed for another scope, or fails `isValid`. */
export function decodeSignedPosition<T>(key: Buffer, token: string, isValid: (position: T) => boolean, scope = ''): T | undefined {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return undefined;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, payload, scope);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const position = JSON.parse(Buffer.from(payload, 'base64url').toString()) as T;
    return isValid(position) ? position : undefined;
  } catch {
    return undefined;
  }
}

export const encodeDeltaToken = (key: Buffer, position: DeltaPosition): string => encodeSignedPosition(key, position);

export const decodeDeltaToken = (key: Buffer, token: string): DeltaPosition | undefined =>
  decodeSignedPosition<DeltaPosition>(key, token, (position) => typeof position.mailbox === 'number' && typeof position.seq === 'number');
