import { Hono } from 'hono';
import type { StoredPerson } from './contact-book.js';
import type { EmulatorContext } from './context.js';
import { peopleInvalidArgument } from './errors.js';
import { peopleMethod } from './people-auth.js';
import { derivedNames, requireMask } from './people-fields.js';
import { decodePageToken, encodePageToken, pageSizeOf } from './people-request.js';
import { renderPerson } from './people-view.js';

const sortOrders = ['LAST_MODIFIED_ASCENDING', 'LAST_MODIFIED_DESCENDING', 'FIRST_NAME_ASCENDING', 'LAST_NAME_ASCENDING'] as const;
type SortOrder = (typeof sortOrders)[number];

function nameKey(person: StoredPerson, part: 'givenName' | 'familyName'): string {
  const name = person.fields.names?.[0];
  const value = name?.[part];
  return (typeof value === 'string' ? value : name ? derivedNames(name).displayName : '').toLowerCase();
}

function sorted(people: StoredPerson[], order: SortOrder): StoredPerson[] {
  const byTime = (a: StoredPerson, b: StoredPerson) => a.updatedAtMs - b.updatedAtMs || a.revision - b.revision || a.id.localeCompare(b.id);
  switch (order) {
    case 'LAST_MODIFIED_ASCENDING':
      return people.sort(byTime);
    case 'LAST_MODIFIED_DESCENDING':
      return people.sort((a, b) => byTime(b, a));
    case 'FIRST_NAME_ASCENDING':
      return people.sort((a, b) => nameKey(a, 'givenName').localeCompare(nameKey(b, 'givenName')) || a.id.localeCompare(b.id));
    case 'LAST_NAME_ASCENDING':
      return people.sort((a, b) => nameKey(a, 'familyName').localeCompare(nameKey(b, 'familyName')) || a.id.localeCompare(b.id));
  }
}

/** The texts searchContacts matches: names, nicknames, emailAddresses, phoneNumbers and organizations (people.searchContacts reference); never clientData. */
function searchableTexts(person: StoredPerson): string[] {
  const texts: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value !== '') texts.push(value.toLowerCase());
  };
  for (const name of person.fields.names ?? []) {
    for (const key of ['givenName', 'familyName', 'middleName', 'unstructuredName', 'phoneticGivenName', 'phoneticFamilyName']) add(name[key]);
    add(derivedNames(name).displayName);
  }
  for (const nickname of person.fields.nicknames ?? []) add(nickname.value);
  for (const email of person.fields.emailAddresses ?? []) add(email.value);
  for (const phone of person.fields.phoneNumbers ?? []) {
    add(phone.value);
    if (typeof phone.value === 'string') add(phone.value.replace(/[^\d+]/g, ''));
  }
  for (const organization of person.fields.organizations ?? []) for (const key of ['name', 'title', 'department']) add(organization[key]);
  return texts;
}

/**
 * "The query is used to match prefix phrases of the fields on a person. For
 * example, a person with name "foo name" matches queries such as "f", "fo",
 * "foo", "foo n", "nam", etc., but not "oo n"" (people.searchContacts reference):
 * the query must start at a word boundary of a field's text.
 */
function matchesPrefixPhrase(text: string, query: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const atBoundary = index === 0 || /[^\p{L}\p{N}]/u.test(text.charAt(index - 1));
    if (atBoundary && text.startsWith(query, index)) return true;
  }
  return false;
}

/** people.searchContacts and people.connections.list. */
export function listRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();

  app.get(
    '/v1/people:searchContacts',
    peopleMethod(ctx, 'read', (c, { book }) => {
      const fields = requireMask(c.req.query('readMask'), 'readMask', 'people/searchContacts');
      // "Defaults to 10 if field is not set, or set to 0. Values greater than 30 will be capped to 30."
      const pageSize = pageSizeOf(c, 'pageSize', 10, 30, true);
      const query = (c.req.query('query') ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
      if (query === '') {
        // "IMPORTANT: Before searching, clients should send a warmup request with an empty query to update the cache."
        // Modelled strictly: a search sees only the contacts that existed at the last warm-up.
        book.warmSearchCache();
        return c.json({});
      }
      const results = book
        .searchable()
        .filter((person) => searchableTexts(person).some((text) => matchesPrefixPhrase(text, query)))
        .slice(0, pageSize)
        .map((person) => ({ person: renderPerson(book, person, fields) }));
      return c.json(results.length > 0 ? { results } : {});
    }),
  );

  app.get(
    '/v1/people/:owner/connections',
    peopleMethod(ctx, 'read', (c, { book }) => {
      // "Provides a list of the authenticated user's contacts"; the only resource name the reference allows is people/me.
      if (c.req.param('owner') !== 'me') throw peopleInvalidArgument('resourceName must be people/me.');
      const personFields = c.req.query('personFields');
      const fields = requireMask(personFields, 'personFields', 'people.connections/list');
      if (c.req.query('syncToken')) {
        throw peopleInvalidArgument('The Google emulator does not model sync tokens for people.connections.list; list without syncToken.');
      }
      const sortOrder = (c.req.query('sortOrder') ?? 'LAST_MODIFIED_ASCENDING') as SortOrder;
      if (!sortOrders.includes(sortOrder)) throw peopleInvalidArgument(`Invalid value for sortOrder: ${sortOrder}`);
      // "Valid values are between 1 and 1000, inclusive. Defaults to 100 if not set or set to 0."
      const pageSize = pageSizeOf(c, 'pageSize', 100, 1000, false);
      const binding = `${sortOrder}|${personFields ?? ''}`;
      const offset = decodePageToken(c.req.query('pageToken'), binding);
      const all = sorted([...book.people.values()], sortOrder);
      const page = all.slice(offset, offset + pageSize);
      const body: Record<string, unknown> = { totalPeople: all.length, totalItems: all.length };
      if (page.length > 0) body.connections = page.map((person) => renderPerson(book, person, fields));
      if (offset + pageSize < all.length) body.nextPageToken = encodePageToken(offset + pageSize, binding);
      return c.json(body);
    }),
  );
  return app;
}
