import type { PhysicalAddress } from '@microsoft/microsoft-graph-types';
import type { people_v1 } from 'googleapis/build/src/apis/people/v1.js';
import type { ExportedContact } from '../microsoft365/contacts-export.js';

type Person = people_v1.Schema$Person;

/** The clientData key that carries the source contact's immutable id: how a copy is found again after a crash. */
export const SOURCE_ID_KEY = 'm365ContactId';

/**
 * Every person field the copy writes. updateContact replaces exactly these
 * (people/updateContact: updatePersonFields), so a value removed in Outlook
 * is removed in Google too; fields a person edits only in Google and we never
 * write (genders, locations...) are left alone.
 */
export const PERSON_FIELDS = [
  'names',
  'nicknames',
  'fileAses',
  'emailAddresses',
  'phoneNumbers',
  'addresses',
  'organizations',
  'occupations',
  'birthdays',
  'biographies',
  'urls',
  'imClients',
  'relations',
  'memberships',
  'clientData',
] as const;

/**
 * Outlook keeps a birthday without a year in year 1604 (the year Outlook and
 * Exchange clients write for "no year"); the People API takes a date with a
 * zero year for it (Date: "a month and day value, with a zero year").
 */
const NO_YEAR = 1604;

/** Outlook's e-mail slots, as its contact form names them; Google keeps a custom type as given. */
const emailSlots = ['Email', 'Email 2', 'Email 3'];

const text = (value: string | null | undefined): string | undefined => (value && value.trim() !== '' ? value : undefined);
const present = <T>(values: (T | undefined)[]): T[] => values.filter((value): value is T => value !== undefined);
/** A singleton field: one value when Outlook has any of its parts, none otherwise. */
const ifAny = <T extends object>(value: T): T[] => (Object.values(value).some(Boolean) ? [value] : []);
/** A field of one value built from one Outlook string, none when that is empty. */
const one = <T>(value: string | null | undefined, make: (value: string) => T): T[] => (text(value) ? [make(value!)] : []);

function address(source: PhysicalAddress | null | undefined, type: string): people_v1.Schema$Address | undefined {
  if (!source) return undefined;
  const [fields] = ifAny({ streetAddress: text(source.street), city: text(source.city), region: text(source.state), postalCode: text(source.postalCode), country: text(source.countryOrRegion) });
  return fields ? { ...fields, type } : undefined;
}

/** The birthday's date part in UTC: Outlook stores the day as a DateTimeOffset (contact.md). */
export function birthdayOf(birthday: string | null | undefined): people_v1.Schema$Date | undefined {
  if (!birthday) return undefined;
  const at = new Date(birthday);
  if (Number.isNaN(at.getTime())) return undefined;
  const year = at.getUTCFullYear();
  return { year: year === NO_YEAR ? 0 : year, month: at.getUTCMonth() + 1, day: at.getUTCDate() };
}

const relation = (person: string | null | undefined, type: string): people_v1.Schema$Relation | undefined => (text(person) ? { person: person!, type } : undefined);

/** A typed value (phone...), or nothing when Outlook's is empty. */
const typed = (value: string | null | undefined, type: string): { value: string; type: string } | undefined => (text(value) ? { value: value!, type } : undefined);

/**
 * The Google person for an Outlook contact (the table in README, "Contacts:
 * what is copied"). `groupResourceNames` are the contact groups it belongs
 * to (its folder's, its categories'); myContacts always, so the contact
 * shows under Contacts in Google. Every field of PERSON_FIELDS is there, an
 * empty list when Outlook has nothing for it: updateContact clears a field
 * named in updatePersonFields, so a value removed in Outlook goes in Google too.
 */
export function toPerson(contact: ExportedContact, groupResourceNames: readonly string[]): Person {
  const birthday = birthdayOf(contact.birthday);
  const fields = {
    names: ifAny({
      givenName: text(contact.givenName),
      familyName: text(contact.surname),
      middleName: text(contact.middleName),
      honorificPrefix: text(contact.title),
      honorificSuffix: text(contact.generation),
      phoneticGivenName: text(contact.yomiGivenName),
      phoneticFamilyName: text(contact.yomiSurname),
      unstructuredName: text(contact.displayName),
    }),
    nicknames: one(contact.nickName, (value) => ({ value })),
    fileAses: one(contact.fileAs, (value) => ({ value })),
    emailAddresses: present(
      (contact.emailAddresses ?? []).map((email, index) => (text(email.address) ? { value: email.address!, displayName: text(email.name), type: emailSlots[index] ?? 'other' } : undefined)),
    ),
    phoneNumbers: present([
      ...(contact.businessPhones ?? []).map((value) => typed(value, 'work')),
      ...(contact.homePhones ?? []).map((value) => typed(value, 'home')),
      typed(contact.mobilePhone, 'mobile'),
    ]),
    addresses: present([address(contact.homeAddress, 'home'), address(contact.businessAddress, 'work'), address(contact.otherAddress, 'other')]),
    organizations: ifAny({
      name: text(contact.companyName),
      department: text(contact.department),
      title: text(contact.jobTitle),
      location: text(contact.officeLocation),
      phoneticName: text(contact.yomiCompanyName),
    }).map((organization) => ({ ...organization, type: 'work' })),
    occupations: one(contact.profession, (value) => ({ value })),
    birthdays: birthday ? [{ date: birthday }] : [],
    biographies: one(contact.personalNotes, (value) => ({ value, contentType: 'TEXT_PLAIN' })),
    urls: one(contact.businessHomePage, (value) => ({ value, type: 'work' })),
    imClients: present((contact.imAddresses ?? []).map((value) => (text(value) ? { username: value } : undefined))),
    relations: present([
      relation(contact.spouseName, 'spouse'),
      ...(contact.children ?? []).map((child) => relation(child, 'child')),
      relation(contact.manager, 'manager'),
      relation(contact.assistantName, 'assistant'),
    ]),
    memberships: ['contactGroups/myContacts', ...groupResourceNames].map((contactGroupResourceName) => ({ contactGroupMembership: { contactGroupResourceName } })),
    clientData: [{ key: SOURCE_ID_KEY, value: contact.id }],
  } satisfies Record<(typeof PERSON_FIELDS)[number], unknown[]>;
  return fields;
}

/** A name to list a contact by in the items view (kept only when the policy allows it). */
export function contactTitle(contact: ExportedContact): string | null {
  return text(contact.displayName) ?? text(contact.emailAddresses?.[0]?.address) ?? null;
}
