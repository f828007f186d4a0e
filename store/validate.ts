import { StoreValidationError } from './errors.js';

/**
 * Small checks for input crossing into the store. Each throws a
 * StoreValidationError naming the field, with a sentence the API can show.
 */

export function requireText(value: unknown, field: string, maxLength = 255): string {
  if (typeof value !== 'string' || value.trim() === '') throw new StoreValidationError(field, `${field} is required.`);
  const trimmed = value.trim();
  // PostgreSQL refuses a NUL in text, and SQLite cuts a statement's text at one.
  if (trimmed.includes('\u0000')) throw new StoreValidationError(field, `${field} must not contain NUL characters.`);
  if (trimmed.length > maxLength) throw new StoreValidationError(field, `${field} must be at most ${maxLength} characters.`);
  return trimmed;
}

export function optionalText(value: unknown, field: string, maxLength = 255): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return requireText(value, field, maxLength);
}

export function optionalHttpsUrl(value: unknown, field: string): string | undefined {
  const text = optionalText(value, field, 2048);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StoreValidationError(field, `${field} must be an absolute https:// URL.`);
  }
  if (url.protocol !== 'https:') throw new StoreValidationError(field, `${field} must use https://.`);
  return text.replace(/\/+$/, '');
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new StoreValidationError(field, `${field} must be one of: ${allowed.join(', ')}.`);
  }
  return value as T;
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new StoreValidationError(field, `${field} must be true or false.`);
  return value;
}

export function requireInteger(value: unknown, field: string, min: number, max: number, unit = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const suffix = unit ? ` ${unit}` : '';
    throw new StoreValidationError(field, `${field} must be a whole number from ${min} to ${max}${suffix}.`);
  }
  return value;
}

export function optionalStringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new StoreValidationError(field, `${field} must be a list of text values.`);
  return value.map((item, index) => requireText(item, `${field}[${index}]`, 1024));
}

const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function requireDomain(value: unknown, field: string): string {
  const domain = requireText(value, field).toLowerCase();
  if (!DOMAIN_PATTERN.test(domain)) throw new StoreValidationError(field, `${field} must be a domain name such as example.com.`);
  return domain;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function requireEmail(value: unknown, field: string): string {
  const email = requireText(value, field, 320).toLowerCase();
  if (!EMAIL_PATTERN.test(email)) throw new StoreValidationError(field, `${field} must be an email address.`);
  return email;
}

export function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoreValidationError(field, `${field} must be an object.`);
  }
  return value as Record<string, unknown>;
}

/** A safe integer of at least `min` (negative increments are corrections). */
export function wholeNumber(value: unknown, field: string, min = Number.MIN_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new StoreValidationError(field, min === 0 ? `${field} must be a whole number, 0 or more.` : `${field} must be a whole number.`);
  }
  return value;
}
