import { Hono } from 'hono';
import { contactDeltaSource } from '../delta/contact-delta.js';
import { defaultDeltaPageSize, maxDeltaPageSize, serveDelta } from '../delta/delta-route.js';
import { lookupContact, lookupContactFolder } from '../http/contact-lookup.js';
import type { GraphContext, GraphEnv } from '../http/env.js';
import { originOf } from '../http/env.js';
import { photoNotFound } from '../http/graph-error.js';
import { lookupMailbox } from '../http/mailbox-lookup.js';
import { linkWith, parsePrefer, parseSelect, parseSkip, parseTop } from '../http/odata.js';
import { contactJson, contactProperties, type ContactView } from '../serialize/contact-json.js';
import type { ContactBook } from '../state/contact-book.js';
import type { ContactFolder } from '../state/contact-folder.js';
import type { ContactRecord } from '../state/contact-record.js';
import type { DirectoryUser } from '../state/directory.js';
import type { TenantState } from '../state/tenant.js';
import { applyPreferences } from './messages.js';

const defaultPageSize = 10;
const maxPageSize = 1000;

function contactViewOf(c: GraphContext): ContactView {
  return { select: parseSelect(c.req.query('$select'), contactProperties, 'microsoft.graph.contact'), immutableIds: parsePrefer(c.req.header('prefer')).immutableIds };
}

function contactCollection(c: GraphContext, book: ContactBook, folder: ContactFolder): Response {
  const view = contactViewOf(c);
  const preferredPageSize = parsePrefer(c.req.header('prefer')).maxPageSize;
  const top = Math.min(maxPageSize, preferredPageSize ?? parseTop(c.req.query('$top'), defaultPageSize, maxPageSize));
  const skip = parseSkip(c.req.query('$skip'));
  const numbers = folder.members.slice(skip, skip + top);
  const items = numbers.map((number) => book.contact(number)).filter((record): record is ContactRecord => record !== undefined);
  applyPreferences(c, [...(preferredPageSize !== undefined ? [`odata.maxpagesize=${top}`] : []), ...(view.immutableIds ? ['IdType="ImmutableId"'] : [])]);
  return c.json({
    '@odata.context': `${originOf(c)}/v1.0/$metadata#Collection(contact)`,
    value: items.map((record) => contactJson(book, record, view)),
    ...(skip + top < folder.members.size ? { '@odata.nextLink': linkWith(c, { $skip: String(skip + top), $top: String(top) }) } : {}),
  });
}

type Located = { user: DirectoryUser; book: ContactBook; record: ContactRecord };

/** The mailbox, and the contact of /contacts/{id} or /contactFolders/{id}/contacts/{id}, or Graph's error. */
function locateContact(c: GraphContext, tenant: TenantState): Located | Response {
  const found = lookupMailbox(c, tenant);
  if (found instanceof Response) return found;
  const book = found.mailbox.contacts;
  const folderReference = c.req.param('folderId');
  let folder: ContactFolder | undefined;
  if (folderReference !== undefined) {
    const located = lookupContactFolder(c, book, folderReference);
    if (located instanceof Response) return located;
    folder = located;
  }
  const record = lookupContact(c, book, c.req.param('contactId') ?? '', folder);
  if (record instanceof Response) return record;
  return { user: found.user, book, record };
}

/**
 * Contacts (learn.microsoft.com/graph/api/user-list-contacts,
 * contactfolder-list-contacts, contact-get, contact-delta) and their photos
 * (profilephoto-get: "GET /users/{id}/contacts/{id}/photo" for the metadata,
 * ".../photo/$value" for the bytes, both also below /contactFolders/{id}).
 */
export function createContactRoutes(tenant: TenantState): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();

  // /contacts lists "the default contacts folder" (user-list-contacts), not every folder.
  app.get('/v1.0/users/:userId/contacts', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const book = found.mailbox.contacts;
    return contactCollection(c, book, book.defaultFolder);
  });

  app.get('/v1.0/users/:userId/contactFolders/:folderId/contacts', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const book = found.mailbox.contacts;
    const folder = lookupContactFolder(c, book, c.req.param('folderId'));
    if (folder instanceof Response) return folder;
    return contactCollection(c, book, folder);
  });

  // Registered before .../contacts/:contactId so that "delta" is not taken for an id.
  app.get('/v1.0/users/:userId/contactFolders/:folderId/contacts/delta', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const book = found.mailbox.contacts;
    const folder = lookupContactFolder(c, book, c.req.param('folderId'));
    if (folder instanceof Response) return folder;
    return serveDelta(c, tenant, {
      mailbox: found.mailbox,
      collection: 'contacts',
      folderNumber: folder.number,
      log: folder.log,
      currentSeq: book.currentSeq,
      entityType: 'contact',
      firstRequestOptions: () => {
        const select = parseSelect(c.req.query('$select'), contactProperties, 'microsoft.graph.contact');
        const top = c.req.query('$top') === undefined ? undefined : parseTop(c.req.query('$top'), defaultDeltaPageSize, maxDeltaPageSize);
        return { ...(select ? { select: select.join(',') } : {}), ...(top !== undefined ? { top } : {}) };
      },
      source: (position, preferences) => contactDeltaSource(book, folder, { ...(position.select ? { select: position.select.split(',') } : {}), immutableIds: preferences.immutableIds }),
    });
  });

  for (const base of ['/v1.0/users/:userId/contacts/:contactId', '/v1.0/users/:userId/contactFolders/:folderId/contacts/:contactId']) {
    app.get(base, (c) => {
      const located = locateContact(c, tenant);
      if (located instanceof Response) return located;
      const view = contactViewOf(c);
      if (view.immutableIds) applyPreferences(c, ['IdType="ImmutableId"']);
      return c.json({ '@odata.context': `${originOf(c)}/v1.0/$metadata#users('${located.user.id}')/contacts/$entity`, ...contactJson(located.book, located.record, view) });
    });

    // profilePhoto metadata: id, height, width and @odata.mediaContentType (profilephoto-get, "Response for getting the metadata of the photo").
    app.get(`${base}/photo`, (c) => {
      const located = locateContact(c, tenant);
      if (located instanceof Response) return located;
      const photo = located.record.photo;
      if (!photo) return photoNotFound(c);
      return c.json({
        '@odata.context': `${originOf(c)}/v1.0/$metadata#users('${located.user.id}')/contacts('${c.req.param('contactId') ?? ''}')/photo/$entity`,
        '@odata.mediaContentType': photo.contentType,
        id: `${photo.width}X${photo.height}`,
        height: photo.height,
        width: photo.width,
      });
    });

    app.get(`${base}/photo/$value`, (c) => {
      const located = locateContact(c, tenant);
      if (located instanceof Response) return located;
      const photo = located.record.photo;
      if (!photo) return photoNotFound(c);
      return c.body(new Uint8Array(photo.bytes), 200, { 'Content-Type': photo.contentType });
    });
  }

  return app;
}
