import { createRandom, mixSeed, type SeededRandom } from '../../mime/random.js';
import { sampleMessageSize } from '../../mime/size-distribution.js';
import { givenNames, surnames } from '../../mime/vocabulary.js';
import type { SeededMessageKind } from '../../mime/message-plan.js';
import type { DirectoryGroup, DirectoryUser } from '../state/directory.js';
import type { FlagStatus, Mailbox } from '../state/mailbox.js';
import type { MailFolder } from '../state/mail-folder.js';
import { seededGuid } from '../state/ids.js';
import type { TenantState } from '../state/tenant.js';
import { seedCalendar } from './calendars.js';
import { seedContacts } from './contacts.js';

/** A named person for one seeded user, instead of a name drawn from the seed. */
export interface SeedPerson {
  givenName: string;
  surname: string;
  jobTitle?: string;
}

export interface SeedOptions {
  /** Same seed, same tenant: ids, names, folders, dates, sizes and MIME bytes. */
  seed: number;
  users: number;
  /** One count for every user, or one per user (missing entries count 0). */
  messagesPerUser: number | number[];
  domain?: string;
  /**
   * Items a mailbox gets that a sync must refuse: oversized, S/MIME, IRM and TNEF, in turn.
   * One count for every user, or one per user (missing entries count 0). Default 4.
   */
  failingItemsPerUser?: number | number[];
  /** Names for the first users, in order; the others get names drawn from the seed. */
  people?: SeedPerson[];
  /** Create the demo groups ("All Staff", "Migration Pilot", "Sales", "Engineering"). Default true. */
  groups?: boolean;
  /** Date of the newest seeded message. Default 2025-06-01T00:00:00Z, fixed so seeding is deterministic. */
  newestMessageDate?: string;
  /** Days of history the messages are spread over. Default 730. */
  historyDays?: number;
  /** Outlook contacts per user, in the default Contacts folder and a few nested folders; one count for every user or one per user. Default 0. */
  contactsPerUser?: number | number[];
  /** The demo calendars (seed/calendars.ts) for every user. Default false. */
  calendars?: boolean;
}

export interface SeedResult {
  users: DirectoryUser[];
  groups: DirectoryGroup[];
  messages: number;
}

const failingKinds: readonly SeededMessageKind[] = ['oversized', 'smime', 'irm', 'tnef'];
const jobTitles = ['Account Manager', 'Engineer', 'Finance Analyst', 'Office Manager', 'Product Owner', 'Recruiter', 'Sales Lead', 'Support Specialist'];
const categoryChoices = ['Blue category', 'Green category', 'Red category', 'Important'];

/** Extra folders every seeded mailbox gets, nested to exercise childFolders walks. */
const seededFolderPaths = ['Inbox/Projects', 'Inbox/Projects/Apollo', 'Inbox/Projects/Zephyr', 'Inbox/Receipts', 'Archive/2023', 'Newsletters'];

/** Where seeded mail lands: [folder path or well-known name, weight]. */
const folderWeights: readonly (readonly [string, number])[] = [
  ['inbox', 38],
  ['Inbox/Projects', 6],
  ['Inbox/Projects/Apollo', 5],
  ['Inbox/Projects/Zephyr', 4],
  ['Inbox/Receipts', 4],
  ['sentitems', 20],
  ['archive', 5],
  ['Archive/2023', 6],
  ['Newsletters', 5],
  ['deleteditems', 4],
  ['junkemail', 2],
  ['drafts', 1],
];

function pickWeighted(random: SeededRandom, folders: readonly (readonly [MailFolder, number])[], totalWeight: number): MailFolder {
  let roll = random.next() * totalWeight;
  for (const [folder, weight] of folders) {
    if (roll < weight) return folder;
    roll -= weight;
  }
  return (folders[0] as readonly [MailFolder, number])[0];
}

function seedUser(tenant: TenantState, options: SeedOptions, index: number, domain: string): DirectoryUser {
  const random = createRandom(mixSeed(options.seed, index, 1));
  const person = options.people?.[index];
  const givenName = person?.givenName ?? random.pick(givenNames);
  const surname = person?.surname ?? random.pick(surnames);
  const jobTitle = random.pick(jobTitles);
  let upn = `${givenName}.${surname}@${domain}`.toLowerCase();
  if (tenant.findUser(upn)) upn = `${givenName}.${surname}${index + 1}@${domain}`.toLowerCase();
  return tenant.addUser(
    {
      id: seededGuid(options.seed, index, 2),
      userPrincipalName: upn,
      displayName: `${givenName} ${surname}`,
      givenName,
      surname,
      jobTitle: person?.jobTitle ?? jobTitle,
    },
    { mailboxSeed: mixSeed(options.seed, index, 3) },
  );
}

function perUser(value: number | number[], index: number): number {
  return Array.isArray(value) ? (value[index] ?? 0) : value;
}

function seedMailbox(tenant: TenantState, user: DirectoryUser, mailbox: Mailbox, count: number, failingCount: number, options: SeedOptions): void {
  for (const path of seededFolderPaths) tenant.addFolder(user, path);
  const weighted = folderWeights.map(([reference, weight]) => [tenant.resolveFolder(mailbox, reference), weight] as const);
  const totalWeight = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  const failing = Math.min(count, failingCount);
  const failingPositions = new Map<number, SeededMessageKind>();
  for (let j = 0; j < failing; j++) {
    failingPositions.set(Math.floor(((j + 1) * count) / (failing + 1)), failingKinds[j % failingKinds.length] as SeededMessageKind);
  }
  const newest = Date.parse(options.newestMessageDate ?? '2025-06-01T00:00:00Z') / 1000;
  const span = (options.historyDays ?? 730) * 86_400;
  const random = createRandom(mixSeed(mailbox.seed, 4));
  for (let i = 0; i < count; i++) {
    const kind = failingPositions.get(i) ?? 'normal';
    const folder = pickWeighted(random, weighted, totalWeight);
    const receivedAt = Math.floor(newest - span + (span * (i + 1)) / count - random.int(0, 3600));
    const recent = i > count * 0.9;
    const flagRoll = random.next();
    const flagStatus: FlagStatus = flagRoll < 0.05 ? 'flagged' : flagRoll < 0.08 ? 'complete' : 'notFlagged';
    const size = sampleMessageSize(random);
    mailbox.addMessage(
      {
        folder: folder.number,
        receivedAt,
        size: kind === 'oversized' ? tenant.settings.oversizedBytes : size,
        kind,
        isRead: folder.wellKnownName === 'sentitems' || folder.wellKnownName === 'drafts' || random.chance(recent ? 0.4 : 0.92),
        flagStatus,
        categories: random.chance(0.08) ? [random.pick(categoryChoices)] : [],
      },
      { recordChange: false },
    );
  }
  mailbox.forgetChangeHistory();
}

function seedGroups(tenant: TenantState, seed: number, users: DirectoryUser[]): DirectoryGroup[] {
  const definitions: { name: string; description: string; members: DirectoryUser[] }[] = [
    { name: 'All Staff', description: 'Everyone in the organisation', members: users },
    { name: 'Migration Pilot', description: 'Users in the first migration wave', members: users.slice(0, Math.ceil(users.length / 2)) },
    { name: 'Sales', description: 'Sales team', members: users.filter((_, i) => i % 3 === 0) },
    { name: 'Engineering', description: 'Engineering team', members: users.filter((_, i) => i % 3 === 1) },
  ];
  return definitions.map((definition, index) =>
    tenant.addGroup({
      id: seededGuid(seed, 1000 + index, 5),
      displayName: definition.name,
      description: definition.description,
      memberIds: definition.members.map((user) => user.id),
    }),
  );
}

/** Deterministic users, folders, messages and groups; see SeedOptions. */
export function seedTenant(tenant: TenantState, options: SeedOptions): SeedResult {
  const domain = options.domain ?? tenant.domain;
  const users: DirectoryUser[] = [];
  let messages = 0;
  for (let index = 0; index < options.users; index++) {
    const user = seedUser(tenant, options, index, domain);
    const count = perUser(options.messagesPerUser, index);
    seedMailbox(tenant, user, tenant.mailboxOf(user), count, perUser(options.failingItemsPerUser ?? failingKinds.length, index), options);
    const newest = Date.parse(options.newestMessageDate ?? '2025-06-01T00:00:00Z') / 1000;
    seedContacts(tenant.mailboxOf(user).contacts, mixSeed(options.seed, index), perUser(options.contactsPerUser ?? 0, index), newest);
    users.push(user);
    messages += count;
  }
  if (options.calendars) {
    users.forEach((user, index) => {
      const colleague = users.length > 1 ? users[(index + 1) % users.length] : undefined;
      seedCalendar(tenant.mailboxOf(user).calendars, colleague ? { name: colleague.displayName, address: colleague.userPrincipalName } : undefined);
    });
  }
  const groups = options.groups === false ? [] : seedGroups(tenant, options.seed, users);
  tenant.changed();
  return { users, groups, messages };
}
