import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { ContactBook, StoredPerson } from './contact-book.js';
import type { EmulatorContext } from './context.js';
import { peopleError, peopleInvalidArgument } from './errors.js';
import { peopleMethod } from './people-auth.js';
import { parseMask, readableFields, readPersonInput, requireMask, storedFieldNames, updatableFields } from './people-fields.js';
import { listRoutes } from './people-list-routes.js';
import { entityNotFound, membershipGroupIds, peopleBody, personByResourceName, splitAction } from './people-request.js';
import { allFields, renderPerson } from './people-view.js';

/** batchCreateContacts: "Allows up to 200 contacts in a single request" (people.batchCreateContacts reference). */
export const maxBatchCreate = 200;
/** people.getBatchGet: "You can include up to 200 resource names in one request" (reference). */
const maxBatchGet = 200;

function optionalMask(value: unknown, method: string): ReadonlySet<string> {
  if (typeof value !== 'string' || value.trim() === '') return allFields;
  return parseMask(value, 'personFields', method, readableFields);
}

/**
 * Past maxContactsPerUser a create fails. Emulator's choice: Google's answer at
 * its (third-party-reported) 25,000-contact limit was not found in a source; a 400
 * FAILED_PRECONDITION names the limit, so a client lists the item as failed
 * rather than retrying it.
 */
function checkCapacity(ctx: EmulatorContext, book: ContactBook, adding: number): void {
  const limit = ctx.options.maxContactsPerUser;
  if (book.people.size + adding > limit) {
    throw peopleError(400, 'FAILED_PRECONDITION', `The account has reached the maximum number of contacts (${limit}); delete contacts before creating more.`);
  }
}

function newContact(book: ContactBook, body: unknown): StoredPerson {
  const input = readPersonInput(body);
  // New contacts belong to contactGroups/myContacts; memberships given add the contact to those groups too.
  const groupIds = ['myContacts', ...membershipGroupIds(book, input.groupResourceNames ?? [])];
  return book.create(input.fields, groupIds);
}

/** Magic numbers of the image formats the emulator takes as a photo: JPEG, PNG, GIF. */
function isImage(bytes: Buffer): string | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  const head = bytes.subarray(0, 6).toString('latin1');
  if (head === 'GIF87a' || head === 'GIF89a') return 'image/gif';
  return undefined;
}

function contactSource(body: Record<string, unknown>): { etag?: unknown } | undefined {
  const sources = (body.metadata as { sources?: unknown } | undefined)?.sources;
  if (!Array.isArray(sources)) return undefined;
  return (sources as Array<{ type?: unknown; etag?: unknown }>).find((source) => source?.type === 'CONTACT');
}

/**
 * The etag check of updateContact: a 400 FAILED_PRECONDITION when the etag
 * sent differs from the contact's (people.updateContact reference). The
 * messages are Google's: "Request person.etag is different than the current
 * person.etag. Clear local cache and get the latest person."
 * (googleapis/google-api-python-client#2417) and its metadata.sources form
 * (rapidwebltd/php-google-people-api#22).
 */
function checkEtags(book: ContactBook, person: StoredPerson, body: Record<string, unknown>): void {
  const source = contactSource(body);
  if (!source) throw peopleInvalidArgument('person.metadata.sources must be specified and include the CONTACT source of the contact to update.');
  if (body.etag !== undefined && body.etag !== book.personEtag(person)) {
    throw peopleError(400, 'FAILED_PRECONDITION', 'Request person.etag is different than the current person.etag. Clear local cache and get the latest person.');
  }
  if (source.etag !== book.sourceEtag(person)) {
    throw peopleError(400, 'FAILED_PRECONDITION', 'Request person.metadata.sources.etag is different than the current person.metadata.sources.etag. Clear local cache and get the latest person.');
  }
}

async function updateContact(ctx: EmulatorContext, c: Context, book: ContactBook, resourceName: string): Promise<Response> {
  const person = personByResourceName(book, resourceName);
  const maskText = c.req.query('updatePersonFields');
  if (!maskText)
    throw peopleInvalidArgument(
      'updatePersonFields mask is required. Please specify one or more valid paths. Valid paths are documented at https://developers.google.com/people/api/rest/v1/people/updateContact.',
    );
  const mask = parseMask(maskText, 'updatePersonFields', 'people/updateContact', new Set([...readableFields].filter((path) => path !== 'metadata' && path !== 'photos' && path !== 'coverPhotos')));
  for (const path of mask) {
    if (!updatableFields.has(path)) throw peopleInvalidArgument(`The Google emulator does not model person.${path}; leave it out of updatePersonFields.`);
  }
  const body = await peopleBody(c);
  checkEtags(book, person, body);
  const input = readPersonInput(body, mask);
  let groupIds = person.groupIds;
  if (mask.has('memberships')) {
    const names = input.groupResourceNames ?? [];
    // "The server returns a 400 error if memberships are being updated and there are no contact group memberships specified on the person."
    if (names.length === 0) throw peopleInvalidArgument('person.memberships must name at least one contact group when memberships are updated.');
    groupIds = [...new Set(membershipGroupIds(book, names))];
  }
  for (const field of storedFieldNames) {
    if (!mask.has(field)) continue;
    const values = input.fields[field];
    if (values && values.length > 0) person.fields[field] = values;
    else delete person.fields[field];
  }
  person.groupIds = groupIds;
  book.touch(person);
  ctx.stats.people('updates');
  return c.json(renderPerson(book, person, optionalMask(c.req.query('personFields'), 'people/updateContact')));
}

async function updateContactPhoto(ctx: EmulatorContext, c: Context, book: ContactBook, resourceName: string): Promise<Response> {
  const person = personByResourceName(book, resourceName);
  const body = await peopleBody(c);
  const encoded = body.photoBytes;
  if (typeof encoded !== 'string' || encoded === '') throw peopleInvalidArgument('photoBytes is required.');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(encoded)) throw peopleInvalidArgument("Invalid value at 'photo_bytes' (TYPE_BYTES), Base64 decoding failed.");
  const bytes = Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64');
  const mimeType = isImage(bytes);
  // "Invalid photo format" is what Google answered bytes it could not read as an image (guyzyl/whatsapp-contact-sync#10).
  if (!mimeType) throw peopleInvalidArgument('Invalid photo format');
  person.photo = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, mimeType, revision: (person.photo?.revision ?? 0) + 1 };
  book.touch(person);
  ctx.stats.people('photoUpdates');
  // personFields: "Defaults to empty if not set, which will skip the post mutate get" (UpdateContactPhotoRequest).
  const fields = typeof body.personFields === 'string' && body.personFields.trim() !== '' ? parseMask(body.personFields, 'personFields', 'people/updateContactPhoto', readableFields) : undefined;
  return c.json(fields ? { person: renderPerson(book, person, fields) } : {});
}

/** people.createContact, batchCreateContacts, get, getBatchGet, updateContact, updateContactPhoto, deleteContact. */
export function peopleRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();
  app.route('/', listRoutes(ctx));

  app.post(
    '/v1/people:createContact',
    peopleMethod(ctx, 'write', async (c, { book }) => {
      const fields = optionalMask(c.req.query('personFields'), 'people/createContact');
      const body = await peopleBody(c);
      checkCapacity(ctx, book, 1);
      const person = newContact(book, body);
      ctx.stats.people('creates');
      return c.json(renderPerson(book, person, fields));
    }),
  );

  app.post(
    '/v1/people:batchCreateContacts',
    peopleMethod(ctx, 'write', async (c, { book }) => {
      const body = await peopleBody(c);
      const fields = requireMask(typeof body.readMask === 'string' ? body.readMask : undefined, 'readMask', 'people/batchCreateContacts');
      const contacts = Array.isArray(body.contacts) ? (body.contacts as Array<{ contactPerson?: unknown }>) : [];
      if (contacts.length === 0) throw peopleInvalidArgument('contacts must contain at least one contact.');
      if (contacts.length > maxBatchCreate) throw peopleInvalidArgument(`Too many contacts in the request: ${contacts.length}. At most ${maxBatchCreate} contacts may be created in one request.`);
      checkCapacity(ctx, book, contacts.length);
      // Every contact is checked before any is created: one bad contact fails the request as a whole.
      const inputs = contacts.map((contact) => {
        const input = readPersonInput(contact?.contactPerson ?? {});
        return { fields: input.fields, groupIds: ['myContacts', ...membershipGroupIds(book, input.groupResourceNames ?? [])] };
      });
      const created = inputs.map((input) => book.create(input.fields, input.groupIds));
      ctx.stats.people('creates', created.length);
      return c.json({ createdPeople: created.map((person) => ({ httpStatusCode: 200, person: renderPerson(book, person, fields), status: {} })) });
    }),
  );

  app.get(
    '/v1/people:batchGet',
    peopleMethod(ctx, 'read', (c, { book }) => {
      const fields = requireMask(c.req.query('personFields'), 'personFields', 'people/getBatchGet');
      const names = c.req.queries('resourceNames') ?? [];
      if (names.length === 0) throw peopleInvalidArgument('resourceNames must not be empty.');
      if (names.length > maxBatchGet) throw peopleInvalidArgument(`At most ${maxBatchGet} resource names may be requested at once.`);
      const responses = names.map((requestedResourceName) => {
        try {
          return { requestedResourceName, httpStatusCode: 200, person: renderPerson(book, personByResourceName(book, requestedResourceName), fields), status: {} };
        } catch {
          return { requestedResourceName, httpStatusCode: 404, status: { code: 5, message: 'Requested entity was not found.' } };
        }
      });
      return c.json({ responses });
    }),
  );

  app.get(
    '/v1/people/:segment',
    peopleMethod(ctx, 'read', (c, { book }) => {
      const { resourceName, action } = splitAction(c.req.param('segment') ?? '');
      if (action !== undefined) throw entityNotFound();
      const fields = requireMask(c.req.query('personFields'), 'personFields', 'people/get');
      return c.json(renderPerson(book, personByResourceName(book, resourceName), fields));
    }),
  );

  app.patch(
    '/v1/people/:segment',
    peopleMethod(ctx, 'write', (c, { book }) => {
      const { resourceName, action } = splitAction(c.req.param('segment') ?? '');
      if (action === 'updateContact') return updateContact(ctx, c, book, resourceName);
      if (action === 'updateContactPhoto') return updateContactPhoto(ctx, c, book, resourceName);
      throw entityNotFound();
    }),
  );

  app.delete(
    '/v1/people/:segment',
    peopleMethod(ctx, 'write', (c, { book }) => {
      const { resourceName, action } = splitAction(c.req.param('segment') ?? '');
      if (action !== 'deleteContact') throw entityNotFound();
      book.delete(personByResourceName(book, resourceName));
      ctx.stats.people('deletes');
      return c.json({});
    }),
  );
  return app;
}
