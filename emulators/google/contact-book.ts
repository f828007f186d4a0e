import { createHash, randomInt } from 'node:crypto';
import type { StoredFields } from './people-fields.js';

export interface StoredPerson {
  /** The digits after "people/c". */
  id: string;
  fields: StoredFields;
  /** Group ids (myContacts, starred, or a user group's id), in the order they were joined. */
  groupIds: string[];
  /** Bumped on every write; the etags are derived from it. */
  revision: number;
  /** ISO 8601 time of the last write (metadata.sources[0].updateTime). */
  updateTime: string;
  /** Epoch ms of the last write, for LAST_MODIFIED sort orders. */
  updatedAtMs: number;
  photo?: { sha256: string; bytes: number; mimeType: string; revision: number };
}

export interface StoredGroup {
  id: string;
  name: string;
  groupType: 'USER_CONTACT_GROUP' | 'SYSTEM_CONTACT_GROUP';
  clientData: Array<{ key: string; value: string }>;
  revision: number;
  updateTime: string;
}

export interface ContactBookSnapshot {
  people: StoredPerson[];
  groups: StoredGroup[];
  /** resourceNames visible to searchContacts: those present at the last warm-up (empty query). */
  searchCache: string[];
}

/**
 * System contact groups every account has (contactGroups.list on a new
 * account; ids as the People API names them). Only myContacts and starred
 * can take members through the API (ModifyContactGroupMembersRequest).
 */
export const systemGroupIds: readonly string[] = ['chatBuddies', 'all', 'coworkers', 'myContacts', 'friends', 'family', 'blocked', 'starred'];
const systemGroupNames: Record<string, string> = {
  chatBuddies: 'Chat contacts',
  all: 'All contacts',
  coworkers: 'Coworkers',
  myContacts: 'My Contacts',
  friends: 'Friends',
  family: 'Family',
  blocked: 'Blocked',
  starred: 'Starred',
};
export const addableSystemGroupIds: ReadonlySet<string> = new Set(['myContacts', 'starred']);

function newPersonId(): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < 19) digits += String(randomInt(0, 10));
  return digits;
}

function newGroupId(): string {
  return randomInt(0x10000000, 0x7fffffff).toString(16) + randomInt(0x10000000, 0x7fffffff).toString(16);
}

function etagOf(kind: string, id: string, revision: number): string {
  return `%${createHash('sha256').update(`${kind}/${id}/${revision}`).digest('base64url').slice(0, 24)}`;
}

/** One user's contacts and contact groups. */
export class ContactBook {
  readonly people = new Map<string, StoredPerson>();
  readonly groups = new Map<string, StoredGroup>();
  private searchCache = new Set<string>();

  constructor(
    private readonly onChange: () => void,
    private readonly now: () => number,
  ) {
    const time = new Date(now()).toISOString();
    for (const id of systemGroupIds) {
      this.groups.set(id, { id, name: systemGroupNames[id] ?? id, groupType: 'SYSTEM_CONTACT_GROUP', clientData: [], revision: 1, updateTime: time });
    }
  }

  static fromSnapshot(snapshot: ContactBookSnapshot, onChange: () => void, now: () => number): ContactBook {
    const book = new ContactBook(onChange, now);
    book.groups.clear();
    for (const group of snapshot.groups) book.groups.set(group.id, structuredClone(group));
    for (const person of snapshot.people) book.people.set(person.id, structuredClone(person));
    book.searchCache = new Set(snapshot.searchCache);
    return book;
  }

  snapshot(): ContactBookSnapshot {
    return { people: [...this.people.values()].map((person) => structuredClone(person)), groups: [...this.groups.values()].map((group) => structuredClone(group)), searchCache: [...this.searchCache] };
  }

  personEtag(person: StoredPerson): string {
    return etagOf('person', person.id, person.revision);
  }

  /** metadata.sources[CONTACT].etag: differs from the person's etag, as Google's do. */
  sourceEtag(person: StoredPerson): string {
    return `#${etagOf('source', person.id, person.revision).slice(1)}`;
  }

  groupEtag(group: StoredGroup): string {
    return etagOf('group', group.id, group.revision);
  }

  create(fields: StoredFields, groupIds: string[]): StoredPerson {
    let id = newPersonId();
    while (this.people.has(id)) id = newPersonId();
    const ms = this.now();
    const person: StoredPerson = { id, fields, groupIds: [...new Set(groupIds)], revision: 1, updateTime: new Date(ms).toISOString(), updatedAtMs: ms };
    this.people.set(id, person);
    this.onChange();
    return person;
  }

  touch(person: StoredPerson): void {
    const ms = Math.max(this.now(), person.updatedAtMs);
    person.revision++;
    person.updateTime = new Date(ms).toISOString();
    person.updatedAtMs = ms;
    this.onChange();
  }

  delete(person: StoredPerson): void {
    this.people.delete(person.id);
    this.searchCache.delete(person.id);
    this.onChange();
  }

  findGroupByName(name: string, exceptId?: string): StoredGroup | undefined {
    return [...this.groups.values()].find((group) => group.id !== exceptId && group.groupType === 'USER_CONTACT_GROUP' && group.name === name);
  }

  createGroup(name: string, clientData: Array<{ key: string; value: string }>): StoredGroup {
    const group: StoredGroup = { id: newGroupId(), name, groupType: 'USER_CONTACT_GROUP', clientData, revision: 1, updateTime: new Date(this.now()).toISOString() };
    this.groups.set(group.id, group);
    this.onChange();
    return group;
  }

  touchGroup(group: StoredGroup): void {
    group.revision++;
    group.updateTime = new Date(this.now()).toISOString();
    this.onChange();
  }

  /** Removes a user group; its members leave it (and are deleted too with deleteContacts). */
  deleteGroup(group: StoredGroup, deleteContacts: boolean): void {
    this.groups.delete(group.id);
    for (const person of [...this.people.values()]) {
      if (!person.groupIds.includes(group.id)) continue;
      if (deleteContacts) this.delete(person);
      else {
        person.groupIds = person.groupIds.filter((id) => id !== group.id);
        this.touch(person);
      }
    }
    this.onChange();
  }

  membersOf(groupId: string): StoredPerson[] {
    return [...this.people.values()].filter((person) => person.groupIds.includes(groupId));
  }

  /** An empty-query searchContacts: what exists now becomes searchable. */
  warmSearchCache(): void {
    this.searchCache = new Set(this.people.keys());
    this.onChange();
  }

  searchable(): StoredPerson[] {
    return [...this.searchCache].flatMap((id) => this.people.get(id) ?? []);
  }
}
