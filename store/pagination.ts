import { InvalidCursorError, StoreValidationError } from './errors.js';

/**
 * Keyset pagination: a page ends at a row, the cursor names that row by its
 * sort key plus its id (the tie-breaker), so rows inserted meanwhile never
 * shift or repeat a page. Cursors are opaque base64url JSON tagged with the
 * list they belong to.
 */

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextCursor?: string;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new StoreValidationError('limit', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return limit;
}

type Scalar = 'string' | 'number';
type ScalarValue<S extends Scalar> = S extends 'string' ? string : number;

export interface CursorPosition<K, I> {
  key: K;
  id: I;
}

export interface CursorCodec<K, I> {
  encode(position: CursorPosition<K, I>): string;
  /** Throws InvalidCursorError for anything this codec did not produce. */
  decode(cursor: string): CursorPosition<K, I>;
}

export function cursorCodec<KS extends Scalar, IS extends Scalar>(list: string, keyType: KS, idType: IS): CursorCodec<ScalarValue<KS>, ScalarValue<IS>> {
  return {
    encode({ key, id }) {
      return Buffer.from(JSON.stringify([list, key, id]), 'utf8').toString('base64url');
    },
    decode(cursor) {
      if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw new InvalidCursorError();
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw new InvalidCursorError();
      }
      if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== list) throw new InvalidCursorError();
      const [, key, id] = parsed as [string, unknown, unknown];
      if (!isScalar(key, keyType) || !isScalar(id, idType)) throw new InvalidCursorError();
      return { key, id };
    },
  };
}

function isScalar<S extends Scalar>(value: unknown, type: S): value is ScalarValue<S> {
  return type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'string';
}

/** Splits a fetched `limit + 1` rows into the page and the cursor of its last row. */
export function toPage<Row, View>(rows: Row[], limit: number, view: (row: Row) => View, position: (row: Row) => string): Page<View> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  const page: Page<View> = { items: pageRows.map(view) };
  if (hasMore && last !== undefined) page.nextCursor = position(last);
  return page;
}
