import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { generateContact } from '../seed/contact-generator.js';
import { contactJson } from '../serialize/contact-json.js';
import type { ContactBook } from '../state/contact-book.js';
import type { ContactFields, ContactPhoto, ContactRecord } from '../state/contact-record.js';
import type { DirectoryUser } from '../state/directory.js';
import { imageSize } from '../state/image-size.js';
import { TenantError, type TenantState } from '../state/tenant.js';
import { asksToGenerate, controlError, parseBody } from './control-body.js';

const text = z.string().nullable().optional();
const texts = z.array(z.string()).nullable().optional();
const address = z.object({ street: text, city: text, state: text, countryOrRegion: text, postalCode: text }).strict().nullable().optional();

/** A contact in Graph's own JSON shape (contact resource); unknown properties are refused. */
const contactFieldsSchema = z
  .object({
    assistantName: text,
    birthday: z.iso.datetime({ offset: true }).nullable().optional(),
    businessAddress: address,
    businessHomePage: text,
    businessPhones: texts,
    categories: texts,
    children: texts,
    companyName: text,
    department: text,
    displayName: text,
    emailAddresses: z
      .array(z.object({ name: text, address: text }).strict())
      .nullable()
      .optional(),
    fileAs: text,
    generation: text,
    givenName: text,
    homeAddress: address,
    homePhones: texts,
    imAddresses: texts,
    initials: text,
    jobTitle: text,
    manager: text,
    middleName: text,
    mobilePhone: text,
    nickName: text,
    officeLocation: text,
    otherAddress: address,
    personalNotes: text,
    profession: text,
    spouseName: text,
    surname: text,
    title: text,
    yomiCompanyName: text,
    yomiGivenName: text,
    yomiSurname: text,
  })
  .strict();

const contactChangesSchema = contactFieldsSchema.refine((body) => Object.keys(body).length > 0, 'give at least one contact property to change');

const photoSchema = z
  .object({
    contentType: z.string().regex(/^image\/[\w.+-]+$/, 'contentType must be an image type such as image/jpeg'),
    base64: z.string().min(1),
    width: z.number().int().positive().optional(),
    height: z.number().int().positive().optional(),
  })
  .strict();

const folderPath = z.string().max(1000);

const schemas = {
  generate: z.object({ count: z.number().int().min(1).max(10_000), folder: folderPath.optional() }).strict(),
  add: contactFieldsSchema.extend({ folder: folderPath.optional(), photo: photoSchema.optional() }).strict(),
  move: z.object({ folder: folderPath }).strict(),
  addFolder: z.object({ path: folderPath.min(1) }).strict(),
  renameFolder: z.object({ displayName: z.string().min(1).max(255) }).strict(),
};

/** The photo a control body describes; dimensions from a PNG or JPEG header unless given. */
function photoOf(body: z.infer<typeof photoSchema>): ContactPhoto | string {
  const bytes = Buffer.from(body.base64, 'base64');
  if (bytes.length === 0) return 'photo.base64 holds no bytes.';
  const size = body.width !== undefined && body.height !== undefined ? { width: body.width, height: body.height } : imageSize(bytes);
  if (!size) return 'Give photo.width and photo.height: only PNG and JPEG dimensions are read from the bytes.';
  return { contentType: body.contentType, bytes, ...size };
}

/**
 * The contacts part of the control API (no authentication, like the rest):
 * add contacts in Graph's JSON shape or generate varied ones, list them with
 * their folder paths, and change them the way Outlook would (update, delete,
 * move, new photo, new and renamed folders). Folder paths are display names
 * below the default Contacts folder ("Clients/Key accounts"; "" or absent is
 * the default folder).
 */
export function createContactControlRoutes(tenant: TenantState): Hono {
  const app = new Hono();

  const bookOf = (c: Context): { user: DirectoryUser; book: ContactBook } => {
    const user = tenant.requireUser(c.req.param('idOrUpn') ?? '');
    return { user, book: tenant.mailboxOf(user).contacts };
  };
  const contactOf = (c: Context): { book: ContactBook; record: ContactRecord } => {
    const { user, book } = bookOf(c);
    const id = c.req.param('contactId') ?? '';
    const record = book.findContact(id);
    if (!record) throw new TenantError('ContactNotFound', `No contact with id "${id}" in the mailbox of ${user.userPrincipalName}.`);
    return { book, record };
  };
  const ids = (book: ContactBook, record: ContactRecord): { id: string; immutableId: string; parentFolderId: string } => ({
    id: book.idOf(record, false),
    immutableId: book.idOf(record, true),
    parentFolderId: book.folderIdOf(record.folder),
  });

  app.post('/_control/users/:idOrUpn/contacts', async (c) => {
    const { book } = bookOf(c);
    if (asksToGenerate(await c.req.text())) {
      const body = await parseBody(c, schemas.generate);
      if (!body.ok) return body.response;
      const folder = book.ensureFolderPath(body.value.folder ?? '');
      const records: ContactRecord[] = [];
      for (let i = 0; i < body.value.count; i++) {
        const generated = generateContact(book.mailboxNumber * 7919 + book.currentSeq, i);
        records.push(book.addContact(folder.number, generated.fields, generated.photo ? { photo: generated.photo } : {}));
      }
      tenant.changed();
      return c.json({ ids: records.map((record) => book.idOf(record, false)), immutableIds: records.map((record) => book.idOf(record, true)) }, 201);
    }
    const body = await parseBody(c, schemas.add);
    if (!body.ok) return body.response;
    const { folder: path, photo: photoBody, ...fields } = body.value;
    const photo = photoBody ? photoOf(photoBody) : undefined;
    if (typeof photo === 'string') return controlError(c, 400, 'InvalidControlRequest', photo);
    const record = book.addContact(book.ensureFolderPath(path ?? '').number, fields as ContactFields, photo ? { photo } : {});
    tenant.changed();
    return c.json(ids(book, record), 201);
  });

  app.get('/_control/users/:idOrUpn/contacts', (c) => {
    const { book } = bookOf(c);
    const contacts = [...book.allContacts()].map((record) => {
      const folder = book.folder(record.folder);
      return {
        ...contactJson(book, record, { immutableIds: false }),
        immutableId: book.idOf(record, true),
        folder: folder ? book.pathOf(folder) : '',
        photo: record.photo ? { contentType: record.photo.contentType, width: record.photo.width, height: record.photo.height, bytes: record.photo.bytes.length } : null,
      };
    });
    return c.json({ contacts });
  });

  app.post('/_control/users/:idOrUpn/contacts/:contactId/update', async (c) => {
    const { book, record } = contactOf(c);
    const body = await parseBody(c, contactChangesSchema);
    if (!body.ok) return body.response;
    book.updateContact(record, body.value as ContactFields);
    tenant.changed();
    return c.json(ids(book, record));
  });

  app.post('/_control/users/:idOrUpn/contacts/:contactId/delete', (c) => {
    const { book, record } = contactOf(c);
    book.deleteContact(record);
    tenant.changed();
    return c.json({ ok: true });
  });

  app.post('/_control/users/:idOrUpn/contacts/:contactId/move', async (c) => {
    const { book, record } = contactOf(c);
    const body = await parseBody(c, schemas.move);
    if (!body.ok) return body.response;
    book.moveContact(record, book.ensureFolderPath(body.value.folder).number);
    tenant.changed();
    return c.json(ids(book, record));
  });

  app.post('/_control/users/:idOrUpn/contacts/:contactId/photo', async (c) => {
    const { book, record } = contactOf(c);
    const body = await parseBody(c, photoSchema);
    if (!body.ok) return body.response;
    const photo = photoOf(body.value);
    if (typeof photo === 'string') return controlError(c, 400, 'InvalidControlRequest', photo);
    book.setPhoto(record, photo);
    tenant.changed();
    return c.json(ids(book, record));
  });

  app.post('/_control/users/:idOrUpn/contact-folders', async (c) => {
    const { book } = bookOf(c);
    const body = await parseBody(c, schemas.addFolder);
    if (!body.ok) return body.response;
    const folder = book.ensureFolderPath(body.value.path);
    tenant.changed();
    return c.json({ id: book.folderIdOf(folder), path: book.pathOf(folder) }, 201);
  });

  app.post('/_control/users/:idOrUpn/contact-folders/:folderId/rename', async (c) => {
    const { user, book } = bookOf(c);
    const id = c.req.param('folderId') ?? '';
    const folder = book.resolveFolder(id);
    if (!folder) throw new TenantError('ContactFolderNotFound', `No contact folder with id "${id}" in the mailbox of ${user.userPrincipalName}.`);
    const body = await parseBody(c, schemas.renameFolder);
    if (!body.ok) return body.response;
    folder.displayName = body.value.displayName;
    tenant.changed();
    return c.json({ id: book.folderIdOf(folder), path: book.pathOf(folder) });
  });

  return app;
}
