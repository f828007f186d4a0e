import { Hono } from 'hono';
import type { GraphContext, GraphEnv } from '../http/env.js';
import { originOf } from '../http/env.js';
import { lookupContactFolder } from '../http/contact-lookup.js';
import { lookupMailbox } from '../http/mailbox-lookup.js';
import { linkWith, parseSelect, parseSkip, parseTop } from '../http/odata.js';
import { contactFolderJson, contactFolderProperties } from '../serialize/contact-json.js';
import type { ContactBook } from '../state/contact-book.js';
import type { TenantState } from '../state/tenant.js';

/** Paged by 10 unless $top says otherwise, as the mail folder listings. */
const defaultPageSize = 10;
const maxPageSize = 1000;

function folderCollection(c: GraphContext, book: ContactBook, parent: number): Response {
  const select = parseSelect(c.req.query('$select'), contactFolderProperties, 'microsoft.graph.contactFolder');
  const top = parseTop(c.req.query('$top'), defaultPageSize, maxPageSize);
  const skip = parseSkip(c.req.query('$skip'));
  const children = book.childFolders(parent);
  const page = children.slice(skip, skip + top);
  return c.json({
    '@odata.context': `${originOf(c)}/v1.0/$metadata#Collection(contactFolder)`,
    value: page.map((folder) => contactFolderJson(book, folder, select)),
    ...(skip + top < children.length ? { '@odata.nextLink': linkWith(c, { $skip: String(skip + top), $top: String(top) }) } : {}),
  });
}

/**
 * Contact folders as Graph has them:
 *  - GET /users/{id}/contactFolders is "the contact folder collection in the
 *    default Contacts folder" (learn.microsoft.com/graph/api/user-list-contactfolders):
 *    the folders directly below it, not the default folder itself;
 *  - GET /users/{id}/contactFolders/{id} (contactfolder-get) answers any
 *    folder by id, the default one included;
 *  - GET /users/{id}/contactFolders/{id}/childFolders (contactfolder-list-childfolders).
 * Graph documents no route that names the default folder; its id is the
 * parentFolderId of the folders /contactFolders lists and of the contacts
 * /contacts lists (contacts "from the default contacts folder",
 * user-list-contacts).
 */
export function createContactFolderRoutes(tenant: TenantState): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();

  app.get('/v1.0/users/:userId/contactFolders', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const book = found.mailbox.contacts;
    return folderCollection(c, book, book.defaultFolder.number);
  });

  app.get('/v1.0/users/:userId/contactFolders/:folderId', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const book = found.mailbox.contacts;
    const folder = lookupContactFolder(c, book, c.req.param('folderId'));
    if (folder instanceof Response) return folder;
    const select = parseSelect(c.req.query('$select'), contactFolderProperties, 'microsoft.graph.contactFolder');
    return c.json({ '@odata.context': `${originOf(c)}/v1.0/$metadata#users('${found.user.id}')/contactFolders/$entity`, ...contactFolderJson(book, folder, select) });
  });

  app.get('/v1.0/users/:userId/contactFolders/:folderId/childFolders', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const book = found.mailbox.contacts;
    const folder = lookupContactFolder(c, book, c.req.param('folderId'));
    if (folder instanceof Response) return folder;
    return folderCollection(c, book, folder.number);
  });

  return app;
}
