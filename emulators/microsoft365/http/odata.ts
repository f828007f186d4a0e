import type { Context } from 'hono';

/**
 * The bits of OData query handling the emulated routes share: $select,
 * $top/$skip, the Prefer header, and absolute links back to this host.
 */
export class ODataQueryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** $select as a list, checked against the properties the entity has. Undefined when absent. */
export function parseSelect(raw: string | undefined, known: ReadonlySet<string>, entityType: string): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const properties = raw
    .split(',')
    .map((property) => property.trim())
    .filter(Boolean);
  for (const property of properties) {
    if (!known.has(property)) {
      throw new ODataQueryError('RequestBroker--ParseUri', `Could not find a property named '${property}' on type '${entityType}'.`);
    }
  }
  return properties;
}

/** $top within Graph's bounds; the message matches the directory's wording. */
export function parseTop(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ODataQueryError('Request_UnsupportedQuery', `Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`);
  }
  return value;
}

export function parseSkip(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new ODataQueryError('BadRequest', `Invalid value '${raw}' for $skip.`);
  return value;
}

export interface Preferences {
  maxPageSize?: number;
  immutableIds: boolean;
}

/** Prefer may hold several comma-separated preferences, possibly in several headers. */
export function parsePrefer(header: string | undefined): Preferences {
  const preferences: Preferences = { immutableIds: false };
  if (!header) return preferences;
  for (const part of header.split(',')) {
    const [rawName, ...rest] = part.trim().split('=');
    const name = rawName?.trim().toLowerCase();
    const value = rest.join('=').trim().replace(/^"|"$/g, '');
    if (name === 'odata.maxpagesize') {
      const size = Number(value);
      if (Number.isInteger(size) && size > 0) preferences.maxPageSize = size;
    } else if (name === 'idtype' && value.toLowerCase() === 'immutableid') {
      preferences.immutableIds = true;
    }
  }
  return preferences;
}

/** The same request URL with some query parameters replaced (undefined removes one). */
export function linkWith(c: Context, replacements: Record<string, string | undefined>): string {
  const url = new URL(c.req.url);
  for (const [name, value] of Object.entries(replacements)) {
    if (value === undefined) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  // Keep "$" readable in links; the Graph client splits the query on "&" and "=" only.
  return url.toString().replace(/%24/g, '$').replace(/%2C/gi, ',');
}

/** Keeps only the selected properties (and OData annotations) of a serialised entity. */
export function applySelect<T extends Record<string, unknown>>(entity: T, select: readonly string[] | undefined, alwaysKeep: readonly string[] = ['id']): Record<string, unknown> {
  if (!select) return entity;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(entity)) {
    if (key.startsWith('@odata') || alwaysKeep.includes(key) || select.includes(key)) result[key] = entity[key];
  }
  return result;
}
