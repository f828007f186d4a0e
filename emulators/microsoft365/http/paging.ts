import { ODataQueryError } from './odata.js';

/**
 * Directory collections page with an opaque $skiptoken; here it carries the
 * offset of the next item. Graph's tokens are opaque too, so clients can only
 * follow @odata.nextLink, which is all they should do.
 */
const prefix = 'X2VtdS1vZmZzZXQ6';

export function offsetToken(offset: number): string {
  return `${prefix}${Buffer.from(String(offset)).toString('base64url')}`;
}

export function offsetFromToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const offset = token.startsWith(prefix) ? Number(Buffer.from(token.slice(prefix.length), 'base64url').toString()) : NaN;
  if (!Number.isInteger(offset) || offset < 0) throw new ODataQueryError('Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.');
  return offset;
}

export function pageOf<T>(items: readonly T[], offset: number, size: number): { page: T[]; nextOffset: number | undefined } {
  const page = items.slice(offset, offset + size);
  return { page, nextOffset: offset + size < items.length ? offset + size : undefined };
}
