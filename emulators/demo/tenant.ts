import type { SeedOptions, SeedPerson } from '../microsoft365/index.js';
import type { GoogleEmulatorOptions, UserSeed } from '../google/index.js';

/**
 * The demo tenant `npm start` shows: one situation of the support article per
 * person, visible within minutes of the first sync. Everything is derived from
 * a fixed seed, so every installation sees the same people, mail and failures.
 */

/** The role a demo user plays in the walkthrough. */
export type DemoRole = 'syncs-normally' | 'large-mailbox' | 'google-creation-fails';

export interface DemoPerson extends SeedPerson {
  role: DemoRole;
  messages: number;
  /** Items of this mailbox a sync must refuse (oversized, S/MIME, IRM, TNEF, in that order). */
  failingItems: number;
}

export const demoSeedNumber = 365_2025;
export const demoMicrosoftDomain = 'contoso.example';
export const demoGoogleDomain = 'example.com';
export const demoGoogleAdmin = `admin@${demoGoogleDomain}`;

/**
 * Ordered so that the first half, the seed's "Migration Pilot" group, holds
 * one of each situation: a pilot policy shows the whole article on its own.
 * The large mailbox is sized so that Gmail's per-user import quota (15,000
 * units a minute, 25 per import: about 600 messages a minute) keeps it in
 * Initial Sync for most of an hour.
 */
export const demoPeople: readonly DemoPerson[] = [
  { givenName: 'Amara', surname: 'Okafor', jobTitle: 'Office Manager', role: 'syncs-normally', messages: 180, failingItems: 4 },
  { givenName: 'Henrik', surname: 'Lund', jobTitle: 'Finance Director', role: 'large-mailbox', messages: 30_000, failingItems: 0 },
  { givenName: 'Sofia', surname: 'Marchetti', jobTitle: 'Sales Lead', role: 'syncs-normally', messages: 240, failingItems: 2 },
  { givenName: 'Tomasz', surname: 'Nowak', jobTitle: 'Engineer', role: 'google-creation-fails', messages: 120, failingItems: 0 },
  { givenName: 'Priya', surname: 'Raman', jobTitle: 'Product Owner', role: 'syncs-normally', messages: 75, failingItems: 0 },
  { givenName: 'Lucas', surname: 'Moreau', jobTitle: 'Account Manager', role: 'syncs-normally', messages: 300, failingItems: 1 },
  { givenName: 'Ingrid', surname: 'Dahl', jobTitle: 'Engineer', role: 'syncs-normally', messages: 50, failingItems: 0 },
  { givenName: 'Mateo', surname: 'Ruiz', jobTitle: 'Support Specialist', role: 'syncs-normally', messages: 130, failingItems: 0 },
  { givenName: 'Yuki', surname: 'Tanaka', jobTitle: 'Recruiter', role: 'syncs-normally', messages: 210, failingItems: 0 },
  { givenName: 'Fatima', surname: 'Haddad', jobTitle: 'Engineer', role: 'syncs-normally', messages: 95, failingItems: 0 },
];

/** The seed of the Microsoft 365 emulator: users, mailboxes, failing items and the groups policies select by. */
export const demoMicrosoft365Seed: SeedOptions = {
  seed: demoSeedNumber,
  domain: demoMicrosoftDomain,
  users: demoPeople.length,
  people: demoPeople.map(({ givenName, surname, jobTitle }) => ({ givenName, surname, ...(jobTitle ? { jobTitle } : {}) })),
  messagesPerUser: demoPeople.map((person) => person.messages),
  failingItemsPerUser: demoPeople.map((person) => person.failingItems),
  // Outlook contacts for everyone: nested folders, photos, year-less birthdays, three addresses and many phones (seed/contact-generator.ts).
  contactsPerUser: 24,
  // Calendars for everyone: recurring series with a moved and a cancelled occurrence, the 31st, all-day, other zones, Teams, private, a second and a shared calendar (microsoft365/seed/calendars.ts).
  calendars: true,
  groups: true,
};

const demoGoogleUsers: UserSeed[] = [{ primaryEmail: demoGoogleAdmin, givenName: 'Workspace', familyName: 'Admin', isAdmin: true }];

/** The Google Workspace side: the domain, its administrator and the emulator's default service account. */
export const demoGoogleOptions: Pick<GoogleEmulatorOptions, 'domains' | 'users'> = {
  domains: [demoGoogleDomain],
  users: demoGoogleUsers,
};

/** The Microsoft 365 address of a demo person, as the seed builds it. */
export function demoSourceAddress(person: SeedPerson): string {
  return `${person.givenName}.${person.surname}@${demoMicrosoftDomain}`.toLowerCase();
}

/** Where the sync puts a demo person in Google: the local part of their mail address at the Google domain. */
export function demoTargetAddress(person: SeedPerson): string {
  const local = demoSourceAddress(person).split('@')[0] ?? '';
  return `${local}@${demoGoogleDomain}`;
}

export function demoPeopleWithRole(role: DemoRole): DemoPerson[] {
  return demoPeople.filter((person) => person.role === role);
}
