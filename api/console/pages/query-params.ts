import type { Context } from 'hono';

/**
 * Reading the console's own query strings. A value the API would refuse
 * (an unknown status, a malformed id) is dropped rather than turned into an
 * error page: the administrator sees the unfiltered list instead.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR = /^[A-Za-z0-9_-]{1,2048}$/;
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

export const uuidParam = (value: string | undefined): string | undefined => (value && UUID.test(value) ? value.toLowerCase() : undefined);
export const cursorParam = (value: string | undefined): string | undefined => (value && CURSOR.test(value) ? value : undefined);
export const codeParam = (value: string | undefined): string | undefined => (value && CODE.test(value.trim().toUpperCase()) ? value.trim().toUpperCase() : undefined);
export const dateParam = (value: string | undefined): string | undefined => (value && DATE.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined);

export function textParam(value: string | undefined, maxLength = 200): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, maxLength) : undefined;
}

export function intParam(value: string | undefined, allowed: readonly number[], fallback: number): number {
  const parsed = Number(value);
  return allowed.includes(parsed) ? parsed : fallback;
}

export function positiveIntParam(value: string | undefined, fallback = 1): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

export function queryOf(c: Context): Record<string, string | undefined> {
  return c.req.query();
}
