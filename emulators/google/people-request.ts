import type { Context } from 'hono';
import { addableSystemGroupIds, type ContactBook, type StoredPerson } from './contact-book.js';
import { peopleError, peopleInvalidArgument } from './errors.js';

/** A JSON request body, or Google's 400 for one that is not JSON. */
export async function peopleBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw peopleInvalidArgument('Invalid JSON payload received.');
}

export function entityNotFound(): Error {
  return peopleError(404, 'NOT_FOUND', 'Requested entity was not found.');
}

/** people/c<digits> → the stored contact, 400 for a malformed name, 404 for an unknown or deleted one. */
export function personByResourceName(book: ContactBook, resourceName: string): StoredPerson {
  const match = /^people\/c(\d{1,25})$/.exec(resourceName);
  if (!match?.[1]) throw peopleInvalidArgument(`Resource name "${resourceName}" is not a valid contact resource name (people/c<id>).`);
  const person = book.people.get(match[1]);
  if (!person) throw entityNotFound();
  return person;
}

/** "c123:updateContact" (the path segment after /v1/people/) → ["people/c123", "updateContact"]. */
export function splitAction(segment: string): { resourceName: string; action: string | undefined } {
  const colon = segment.indexOf(':');
  if (colon < 0) return { resourceName: `people/${segment}`, action: undefined };
  return { resourceName: `people/${segment.slice(0, colon)}`, action: segment.slice(colon + 1) };
}

/**
 * contactGroups/<id> names a contact may be given as memberships: "they can
 * only be added to a user group or 'myContacts' or 'starred' system groups"
 * (ModifyContactGroupMembersRequest in the discovery document).
 */
export function membershipGroupIds(book: ContactBook, resourceNames: readonly string[]): string[] {
  return resourceNames.map((resourceName) => {
    const id = resourceName.replace(/^contactGroups\//, '');
    const group = book.groups.get(id);
    if (!resourceName.startsWith('contactGroups/') || !group) throw peopleInvalidArgument(`Contact group "${resourceName}" does not exist.`);
    if (group.groupType === 'SYSTEM_CONTACT_GROUP' && !addableSystemGroupIds.has(id)) {
      throw peopleInvalidArgument(`Contacts can only be added to a user contact group, contactGroups/myContacts or contactGroups/starred, not ${resourceName}.`);
    }
    return id;
  });
}

/** A positive integer query parameter, its default when absent or 0. */
export function pageSizeOf(c: Context, name: string, fallback: number, max: number, cap: boolean): number {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '' || raw === '0') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw peopleInvalidArgument(`Invalid value for ${name}: ${raw}`);
  if (value > max) {
    if (cap) return max;
    throw peopleInvalidArgument(`${name} must be between 1 and ${max}, inclusive.`);
  }
  return value;
}

/** Opaque page tokens: the offset plus the parameters the first call gave ("all other parameters ... must match the first call"). */
export function encodePageToken(offset: number, binding: string): string {
  return Buffer.from(JSON.stringify({ o: offset, b: binding })).toString('base64url');
}

export function decodePageToken(token: string | undefined, binding: string): number {
  if (token === undefined || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; b?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) {
      if (parsed.b !== binding) throw peopleInvalidArgument('The parameters of a paged request must match those of the request that returned the page token.');
      return parsed.o;
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'GoogleApiError') throw error;
  }
  throw peopleInvalidArgument('Invalid pageToken.');
}
