import { Hono, type Context } from 'hono';
import { addableSystemGroupIds, type ContactBook, type StoredGroup } from './contact-book.js';
import type { EmulatorContext } from './context.js';
import { peopleError, peopleInvalidArgument } from './errors.js';
import { peopleMethod } from './people-auth.js';
import { parseMask } from './people-fields.js';
import { decodePageToken, encodePageToken, entityNotFound, pageSizeOf, peopleBody } from './people-request.js';
import { groupFieldPaths, peopleResourcePrefix, renderGroup } from './people-view.js';

/** ModifyContactGroupMembersRequest: "The total number of resource names in resource_names_to_add and resource_names_to_remove must be less than or equal to 1000." */
export const maxMembersModify = 1000;

const defaultGroupFields: ReadonlySet<string> = new Set(['metadata', 'groupType', 'memberCount', 'name']);
/** contactGroups.create / update readGroupFields: "Defaults to metadata, groupType, and name if not set or set to empty." */
const defaultReadGroupFields: ReadonlySet<string> = new Set(['metadata', 'groupType', 'name']);

function groupFields(value: unknown, fallback: ReadonlySet<string>, parameter: string): ReadonlySet<string> {
  if (typeof value !== 'string' || value.trim() === '') return fallback;
  return parseMask(value, parameter, 'contactGroups', groupFieldPaths);
}

function groupById(book: ContactBook, id: string): StoredGroup {
  const group = book.groups.get(id);
  if (!group) throw entityNotFound();
  return group;
}

function userGroup(group: StoredGroup): StoredGroup {
  // Emulator's choice of wording: system groups cannot be renamed or deleted; no source quotes Google's answer.
  if (group.groupType === 'SYSTEM_CONTACT_GROUP') throw peopleInvalidArgument(`contactGroups/${group.id} is a system contact group and cannot be changed.`);
  return group;
}

function groupName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '') throw peopleInvalidArgument('contactGroup.name must not be empty.');
  return name;
}

function clientDataOf(value: unknown): Array<{ key: string; value: string }> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    const { key, value: text } = (entry ?? {}) as { key?: unknown; value?: unknown };
    return typeof key === 'string' ? [{ key, value: typeof text === 'string' ? text : '' }] : [];
  });
}

/**
 * "Created contact group names must be unique to the users contact groups. Attempting to
 * create a group with a duplicate name will return a HTTP 409 error" (contactGroups.create
 * reference). Status ALREADY_EXISTS is gRPC's for 409 on create; the message is the emulator's.
 */
function refuseDuplicate(book: ContactBook, name: string, exceptId?: string): void {
  if (book.findGroupByName(name, exceptId)) throw peopleError(409, 'ALREADY_EXISTS', `A contact group named "${name}" already exists.`);
}

function namesOf(body: Record<string, unknown>, key: string): string[] {
  const value = body[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw peopleInvalidArgument(`${key} must be a list of resource names.`);
  return value as string[];
}

function modifyMembers(book: ContactBook, group: StoredGroup, body: Record<string, unknown>): Record<string, string[]> {
  const toAdd = namesOf(body, 'resourceNamesToAdd');
  const toRemove = namesOf(body, 'resourceNamesToRemove');
  if (toAdd.length + toRemove.length > maxMembersModify) {
    throw peopleInvalidArgument(`The total number of resource names in resource_names_to_add and resource_names_to_remove must be less than or equal to ${maxMembersModify}.`);
  }
  // "Contacts can be removed from any group but they can only be added to a user group or "myContacts" or "starred" system groups."
  if (toAdd.length > 0 && group.groupType === 'SYSTEM_CONTACT_GROUP' && !addableSystemGroupIds.has(group.id)) {
    throw peopleInvalidArgument(`Contacts can only be added to a user contact group, contactGroups/myContacts or contactGroups/starred, not contactGroups/${group.id}.`);
  }
  const notFound: string[] = [];
  const lastGroup: string[] = [];
  const lookup = (resourceName: string) => (resourceName.startsWith(peopleResourcePrefix) ? book.people.get(resourceName.slice(peopleResourcePrefix.length)) : undefined);
  for (const resourceName of toAdd) {
    const person = lookup(resourceName);
    if (!person) notFound.push(resourceName);
    else if (!person.groupIds.includes(group.id)) {
      person.groupIds.push(group.id);
      book.touch(person);
    }
  }
  for (const resourceName of toRemove) {
    const person = lookup(resourceName);
    if (!person) notFound.push(resourceName);
    else if (person.groupIds.includes(group.id)) {
      // canNotRemoveLastContactGroupResourceNames: "The contact people resource names that cannot be removed from their last contact group."
      if (person.groupIds.length === 1) lastGroup.push(resourceName);
      else {
        person.groupIds = person.groupIds.filter((id) => id !== group.id);
        book.touch(person);
      }
    }
  }
  const answer: Record<string, string[]> = {};
  if (notFound.length > 0) answer.notFoundResourceNames = notFound;
  if (lastGroup.length > 0) answer.canNotRemoveLastContactGroupResourceNames = lastGroup;
  return answer;
}

function groupIdParam(c: Context): string {
  return c.req.param('id') ?? '';
}

/** contactGroups.list, create, get, update, delete and members.modify. */
export function contactGroupRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();

  app.get(
    '/v1/contactGroups',
    peopleMethod(ctx, 'read', (c, { book }) => {
      if (c.req.query('syncToken')) throw peopleInvalidArgument('The Google emulator does not model sync tokens for contactGroups.list; list without syncToken.');
      const fields = groupFields(c.req.query('groupFields'), defaultGroupFields, 'groupFields');
      // "The maximum number of resources to return. Valid values are between 1 and 1000, inclusive. Defaults to 30 if not set or set to 0."
      const pageSize = pageSizeOf(c, 'pageSize', 30, 1000, false);
      const binding = c.req.query('groupFields') ?? '';
      const offset = decodePageToken(c.req.query('pageToken'), binding);
      const all = [...book.groups.values()];
      const body: Record<string, unknown> = { contactGroups: all.slice(offset, offset + pageSize).map((group) => renderGroup(book, group, fields)), totalItems: all.length };
      if (offset + pageSize < all.length) body.nextPageToken = encodePageToken(offset + pageSize, binding);
      return c.json(body);
    }),
  );

  app.post(
    '/v1/contactGroups',
    peopleMethod(ctx, 'write', async (c, { book }) => {
      const body = await peopleBody(c);
      const input = (body.contactGroup ?? {}) as { name?: unknown; clientData?: unknown };
      const fields = groupFields(body.readGroupFields, defaultReadGroupFields, 'readGroupFields');
      const name = groupName(input.name);
      refuseDuplicate(book, name);
      const group = book.createGroup(name, clientDataOf(input.clientData));
      ctx.stats.people('groupWrites');
      return c.json(renderGroup(book, group, fields));
    }),
  );

  app.get(
    '/v1/contactGroups/:id',
    peopleMethod(ctx, 'read', (c, { book }) => {
      const group = groupById(book, groupIdParam(c));
      const maxMembers = pageSizeOf(c, 'maxMembers', 0, Number.MAX_SAFE_INTEGER, true);
      return c.json(renderGroup(book, group, groupFields(c.req.query('groupFields'), defaultGroupFields, 'groupFields'), maxMembers));
    }),
  );

  app.put(
    '/v1/contactGroups/:id',
    peopleMethod(ctx, 'write', async (c, { book }) => {
      const group = userGroup(groupById(book, groupIdParam(c)));
      const body = await peopleBody(c);
      const input = (body.contactGroup ?? {}) as { name?: unknown; etag?: unknown; clientData?: unknown };
      // Stricter than the reference, which is silent: the etag read with the group must come back, and match.
      if (input.etag !== book.groupEtag(group)) {
        throw peopleError(400, 'FAILED_PRECONDITION', 'Request contactGroup.etag is different than the current contactGroup.etag. Clear local cache and get the latest contact group.');
      }
      const update = groupFields(body.updateGroupFields, new Set(['name']), 'updateGroupFields');
      if (update.has('name')) {
        const name = groupName(input.name);
        refuseDuplicate(book, name, group.id);
        group.name = name;
      }
      if (update.has('clientData')) group.clientData = clientDataOf(input.clientData);
      book.touchGroup(group);
      ctx.stats.people('groupWrites');
      return c.json(renderGroup(book, group, groupFields(body.readGroupFields, defaultReadGroupFields, 'readGroupFields')));
    }),
  );

  app.delete(
    '/v1/contactGroups/:id',
    peopleMethod(ctx, 'write', (c, { book }) => {
      const group = userGroup(groupById(book, groupIdParam(c)));
      const deleteContacts = c.req.query('deleteContacts') === 'true';
      const members = book.membersOf(group.id).length;
      book.deleteGroup(group, deleteContacts);
      ctx.stats.people('groupWrites');
      if (deleteContacts) ctx.stats.people('deletes', members);
      return c.json({});
    }),
  );

  app.post(
    '/v1/contactGroups/:id/members:modify',
    peopleMethod(ctx, 'write', async (c, { book }) => {
      const group = groupById(book, groupIdParam(c));
      const answer = modifyMembers(book, group, await peopleBody(c));
      ctx.stats.people('groupWrites');
      return c.json(answer);
    }),
  );
  return app;
}
