import type { ContactBook, StoredGroup, StoredPerson } from './contact-book.js';
import { computedParts, readableFields, storedFieldNames } from './people-fields.js';

export const peopleResourcePrefix = 'people/c';

export function personResourceName(person: StoredPerson): string {
  return `${peopleResourcePrefix}${person.id}`;
}

/** The contact source's id: Google shows it as the hex form of the person id. */
export function sourceId(person: StoredPerson): string {
  return BigInt(person.id).toString(16);
}

export function groupResourceName(group: StoredGroup): string {
  return `contactGroups/${group.id}`;
}

/** Every path a read mask may name: a write's default answer ("Defaults to all fields if not set"). */
export const allFields: ReadonlySet<string> = readableFields;

/** The emulator's photo URL; Google answers an lh3.googleusercontent.com address (shape only, it serves nothing). */
function photoUrl(person: StoredPerson): string {
  return person.photo ? `https://lh3.googleusercontent.com/contacts/emulator/${person.id}/${person.photo.revision}` : 'https://lh3.googleusercontent.com/cm/emulator-default-photo';
}

/** A Person as the People API answers it, restricted to `mask`. */
export function renderPerson(book: ContactBook, person: StoredPerson, mask: ReadonlySet<string>): Record<string, unknown> {
  const source = { type: 'CONTACT', id: sourceId(person) };
  const resource: Record<string, unknown> = { resourceName: personResourceName(person), etag: book.personEtag(person) };
  if (mask.has('metadata')) {
    resource.metadata = { sources: [{ ...source, etag: book.sourceEtag(person), updateTime: person.updateTime }], objectType: 'PERSON' };
  }
  for (const field of storedFieldNames) {
    const values = person.fields[field];
    if (!mask.has(field) || !values || values.length === 0) continue;
    resource[field] = values.map((value, index) => ({
      metadata: { ...(index === 0 ? { primary: true } : {}), source },
      ...value,
      ...computedParts(field, value),
    }));
  }
  if (mask.has('memberships') && person.groupIds.length > 0) {
    resource.memberships = person.groupIds.map((id) => ({
      metadata: { source },
      contactGroupMembership: { contactGroupId: id, contactGroupResourceName: `contactGroups/${id}` },
    }));
  }
  if (mask.has('photos')) {
    // A contact without a photo shows Google's default one, flagged default: true.
    resource.photos = [{ metadata: { primary: true, source }, url: photoUrl(person), ...(person.photo ? {} : { default: true }) }];
  }
  return resource;
}

/** groupFields paths (contactGroups.get/list reference). */
export const groupFieldPaths: ReadonlySet<string> = new Set(['clientData', 'groupType', 'memberCount', 'metadata', 'name']);

export function renderGroup(book: ContactBook, group: StoredGroup, fields: ReadonlySet<string>, maxMembers = 0): Record<string, unknown> {
  const resource: Record<string, unknown> = { resourceName: groupResourceName(group), etag: book.groupEtag(group) };
  if (fields.has('metadata')) resource.metadata = { updateTime: group.updateTime };
  if (fields.has('groupType')) resource.groupType = group.groupType;
  if (fields.has('name')) {
    resource.name = group.name;
    resource.formattedName = group.name;
  }
  if (fields.has('clientData') && group.clientData.length > 0) resource.clientData = group.clientData.map((entry) => ({ ...entry }));
  const members = book.membersOf(group.id);
  if (fields.has('memberCount')) resource.memberCount = members.length;
  if (maxMembers > 0 && members.length > 0) resource.memberResourceNames = members.slice(0, maxMembers).map(personResourceName);
  return resource;
}

/** One contact as the control API shows it: every field, group names resolved, the photo's digest. */
export function controlContactView(book: ContactBook, person: StoredPerson): Record<string, unknown> {
  return {
    ...renderPerson(book, person, allFields),
    groupNames: person.groupIds.map((id) => book.groups.get(id)?.name ?? id),
    photo: person.photo ? { ...person.photo } : null,
  };
}

export function controlGroupView(book: ContactBook, group: StoredGroup): Record<string, unknown> {
  return { resourceName: groupResourceName(group), name: group.name, groupType: group.groupType, memberCount: book.membersOf(group.id).length };
}
