import { peopleInvalidArgument as invalidArgument } from './errors.js';

/**
 * The person fields the emulator keeps, with the keys a client may write in
 * each value (People API discovery document, Schema$Person and its value
 * schemas; output-only keys such as formattedType are computed on read).
 */
export const storedFieldKeys = {
  names: [
    'givenName',
    'familyName',
    'middleName',
    'honorificPrefix',
    'honorificSuffix',
    'phoneticGivenName',
    'phoneticFamilyName',
    'phoneticMiddleName',
    'phoneticFullName',
    'phoneticHonorificPrefix',
    'phoneticHonorificSuffix',
    'unstructuredName',
  ],
  nicknames: ['value', 'type'],
  fileAses: ['value'],
  emailAddresses: ['value', 'type', 'displayName'],
  phoneNumbers: ['value', 'type'],
  addresses: ['type', 'poBox', 'streetAddress', 'extendedAddress', 'city', 'region', 'postalCode', 'country', 'countryCode', 'formattedValue'],
  organizations: [
    'name',
    'department',
    'title',
    'location',
    'phoneticName',
    'type',
    'jobDescription',
    'symbol',
    'domain',
    'costCenter',
    'current',
    'startDate',
    'endDate',
    'fullTimeEquivalentMillipercent',
  ],
  birthdays: ['date', 'text'],
  events: ['date', 'type'],
  biographies: ['value', 'contentType'],
  urls: ['value', 'type'],
  imClients: ['username', 'type', 'protocol'],
  relations: ['person', 'type'],
  userDefined: ['key', 'value'],
  clientData: ['key', 'value'],
  externalIds: ['value', 'type'],
  genders: ['value', 'addressMeAs'],
  // Schema$Occupation: "The person's occupation" (value); Outlook's profession lands here.
  occupations: ['value'],
} as const satisfies Record<string, readonly string[]>;

export type StoredFieldName = keyof typeof storedFieldKeys;
export const storedFieldNames = Object.keys(storedFieldKeys) as StoredFieldName[];

export type FieldValue = Record<string, unknown>;
export type StoredFields = Partial<Record<StoredFieldName, FieldValue[]>>;

/** "The server returns a 400 error if more than one field is specified on a field that is a singleton for contact sources" (people.updateContact reference). */
export const singletonFields: ReadonlySet<StoredFieldName> = new Set(['names', 'birthdays', 'biographies', 'genders']);

/**
 * Valid personFields / readMask paths (people.get, people.connections.list,
 * people.searchContacts references). The emulator stores the fields above
 * plus memberships and photos; the rest are accepted in read masks and come
 * back empty, as for a contact that has none.
 */
export const readableFields: ReadonlySet<string> = new Set([
  'addresses',
  'ageRanges',
  'biographies',
  'birthdays',
  'calendarUrls',
  'clientData',
  'coverPhotos',
  'emailAddresses',
  'events',
  'externalIds',
  'genders',
  'imClients',
  'interests',
  'locales',
  'locations',
  'memberships',
  'metadata',
  'miscKeywords',
  'names',
  'nicknames',
  'occupations',
  'organizations',
  'phoneNumbers',
  'photos',
  'relations',
  'sipAddresses',
  'skills',
  'urls',
  'userDefined',
  'fileAses',
]);

/** Valid updatePersonFields paths the emulator can write (people.updateContact reference, restricted to the stored fields). */
export const updatableFields: ReadonlySet<string> = new Set([...storedFieldNames, 'memberships']);

/** Fields of Schema$Person a write may carry that are not contact data (ignored, as Google ignores "non-contact data"). */
const ignoredPersonKeys = new Set(['resourceName', 'etag', 'metadata', 'photos', 'coverPhotos', 'ageRange', 'ageRanges']);

const validBiographyTypes = new Set(['TEXT_PLAIN', 'TEXT_HTML', 'CONTENT_TYPE_UNSPECIFIED']);

/**
 * A missing read mask is a 400 INVALID_ARGUMENT (the reference marks personFields/readMask "Required").
 * Emulator's wording: Google's text was not found in a source.
 */
export function requireMask(value: string | undefined, parameter: 'personFields' | 'readMask', method: string): Set<string> {
  if (value === undefined || value.trim() === '') {
    throw invalidArgument(`${parameter} mask is required. Please specify one or more valid paths. Valid paths are documented at https://developers.google.com/people/api/rest/v1/${method}.`);
  }
  return parseMask(value, parameter, method, readableFields);
}

export function parseMask(value: string, parameter: string, method: string, valid: ReadonlySet<string>): Set<string> {
  const paths = new Set<string>();
  for (const raw of value.split(',')) {
    const path = raw.trim().replace(/^person\./, '');
    if (path === '') continue;
    if (!valid.has(path)) throw invalidArgument(`Invalid ${parameter} mask path: "${path}". Valid paths are documented at https://developers.google.com/people/api/rest/v1/${method}.`);
    paths.add(path);
  }
  return paths;
}

function isDate(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { year, month, day } = value as { year?: unknown; month?: unknown; day?: unknown };
  const okInt = (v: unknown, min: number, max: number) => v === undefined || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max);
  // Schema$Date: "A full date, with non-zero year, month, and day values; a month and day value, with a zero year ...; a year on its own, with zero month and day ...".
  return okInt(year, 0, 9999) && okInt(month, 0, 12) && okInt(day, 0, 31);
}

function cleanValue(field: StoredFieldName, value: unknown, index: number): FieldValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgument(`Invalid value at 'person.${field}[${index}]': must be an object.`);
  const allowed: readonly string[] = storedFieldKeys[field];
  const clean: FieldValue = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined || item === null) continue;
    if (!allowed.includes(key)) continue; // output-only keys (metadata, formattedType, displayName of names...) are ignored on write
    if ((key === 'date' || key === 'startDate' || key === 'endDate') && !isDate(item)) throw invalidArgument(`Invalid value at 'person.${field}[${index}].${key}': not a valid date.`);
    if (key === 'date' || key === 'startDate' || key === 'endDate') {
      const { year, month, day } = item as { year?: number; month?: number; day?: number };
      clean[key] = { ...(year ? { year } : {}), ...(month ? { month } : {}), ...(day ? { day } : {}) };
      continue;
    }
    clean[key] = typeof item === 'object' ? structuredClone(item) : item;
  }
  if (field === 'biographies' && clean.contentType !== undefined && !validBiographyTypes.has(String(clean.contentType))) {
    throw invalidArgument(`Invalid value at 'person.biographies[${index}].content_type' (type.googleapis.com/google.people.v1.Biography.ContentType), "${String(clean.contentType)}"`);
  }
  return clean;
}

export interface PersonInput {
  fields: StoredFields;
  /** contactGroupResourceName of each membership given, or undefined when the body had no memberships. */
  groupResourceNames: string[] | undefined;
}

/**
 * The contact data of a Person body. Values a client may not write are
 * dropped; fields the emulator does not model are refused, so a client
 * learns at once rather than seeing data vanish.
 */
export function readPersonInput(body: unknown, only?: ReadonlySet<string>): PersonInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidArgument('Invalid JSON payload received. The person must be an object.');
  const fields: StoredFields = {};
  let groupResourceNames: string[] | undefined;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (value === undefined || value === null || ignoredPersonKeys.has(key)) continue;
    if (only && !only.has(key)) continue;
    if (key === 'memberships') {
      if (!Array.isArray(value)) throw invalidArgument("Invalid value at 'person.memberships': must be a list.");
      groupResourceNames = value.flatMap((membership: unknown) => {
        const name = (membership as { contactGroupMembership?: { contactGroupResourceName?: unknown } } | null)?.contactGroupMembership?.contactGroupResourceName;
        return typeof name === 'string' ? [name] : [];
      });
      continue;
    }
    if (!(key in storedFieldKeys)) {
      if (readableFields.has(key)) throw invalidArgument(`The Google emulator does not model person.${key}; leave it out or extend emulators/google/people-fields.ts.`);
      throw invalidArgument(`Invalid JSON payload received. Unknown name "${key}" at 'person': Cannot find field.`);
    }
    const field = key as StoredFieldName;
    if (!Array.isArray(value)) throw invalidArgument(`Invalid value at 'person.${field}': must be a list.`);
    if (singletonFields.has(field) && value.length > 1) {
      // Emulator's wording: the reference names the 400 but not its text.
      throw invalidArgument(`person.${field} is a singleton field for contact sources: give at most one value.`);
    }
    fields[field] = value.map((item, index) => cleanValue(field, item, index));
  }
  return { fields, groupResourceNames };
}

/** camelCase type → Google's formattedType ("workFax" → "Work Fax"); custom types come back as given. */
const knownTypes = new Set([
  'home',
  'work',
  'other',
  'mobile',
  'homeFax',
  'workFax',
  'otherFax',
  'pager',
  'workMobile',
  'workPager',
  'main',
  'googleVoice',
  'school',
  'anniversary',
  'blog',
  'homePage',
  'profile',
  'ftp',
  'reservations',
  'appInstallPage',
  'account',
  'customer',
  'network',
  'organization',
  'spouse',
  'child',
  'mother',
  'father',
  'parent',
  'brother',
  'sister',
  'friend',
  'relative',
  'domesticPartner',
  'manager',
  'assistant',
  'referredBy',
  'partner',
]);

export function formattedType(type: unknown): string | undefined {
  if (typeof type !== 'string' || type === '') return undefined;
  if (!knownTypes.has(type)) return type;
  const words = type.replace(/([A-Z])/g, ' $1');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function joinNonEmpty(parts: unknown[], separator = ' '): string {
  return parts.filter((part): part is string => typeof part === 'string' && part.trim() !== '').join(separator);
}

/** names[0].displayName and displayNameLastFirst, derived as the reference describes them ("The display name formatted according to the locale"). */
export function derivedNames(name: FieldValue): { displayName: string; displayNameLastFirst: string } {
  const given = joinNonEmpty([name.givenName, name.middleName]);
  const built = joinNonEmpty([name.honorificPrefix, name.givenName, name.middleName, name.familyName, name.honorificSuffix]);
  const displayName = typeof name.unstructuredName === 'string' && name.unstructuredName !== '' ? name.unstructuredName : built;
  const lastFirst = joinNonEmpty([name.familyName, joinNonEmpty([name.honorificPrefix, given, name.honorificSuffix])], ', ');
  return { displayName, displayNameLastFirst: lastFirst || displayName };
}

/** Output-only parts of one stored value (formattedType, canonicalForm, formattedValue...). */
export function computedParts(field: StoredFieldName, value: FieldValue): FieldValue {
  const extra: FieldValue = {};
  const typed = formattedType(value.type);
  if (typed && field !== 'nicknames' && field !== 'names') extra.formattedType = typed;
  if (field === 'names') Object.assign(extra, derivedNames(value));
  if (field === 'phoneNumbers' && typeof value.value === 'string') {
    // canonicalForm is ITU-T E.164; the emulator fills it only for a number already written as +digits.
    const digits = value.value.replace(/[\s().-]/g, '');
    if (/^\+[1-9]\d{6,14}$/.test(digits)) extra.canonicalForm = digits;
  }
  if (field === 'addresses' && value.formattedValue === undefined) {
    const formatted = [value.poBox, value.streetAddress, value.extendedAddress, joinNonEmpty([value.city, value.region, value.postalCode]), value.country]
      .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
      .join('\n');
    if (formatted) extra.formattedValue = formatted;
  }
  if (field === 'biographies' && value.contentType === undefined) extra.contentType = 'TEXT_PLAIN';
  if (field === 'imClients' && typeof value.protocol === 'string') extra.formattedProtocol = formattedType(value.protocol) ?? value.protocol;
  if (field === 'genders' && typeof value.value === 'string') extra.formattedValue = value.value.charAt(0).toUpperCase() + value.value.slice(1);
  return extra;
}
