import { Hono } from 'hono';
import type { GraphContext, GraphEnv } from '../http/env.js';
import { originOf } from '../http/env.js';
import { lookupFolder, lookupMailbox } from '../http/mailbox-lookup.js';
import { linkWith, parseSelect, parseSkip, parseTop } from '../http/odata.js';
import { folderJson, folderProperties } from '../serialize/folder-json.js';
import type { MailFolder } from '../state/mail-folder.js';
import { rootFolderNumber } from '../state/mail-folder.js';
import type { Mailbox } from '../state/mailbox.js';
import type { TenantState } from '../state/tenant.js';

/** Graph pages folder collections by 10 unless $top says otherwise. */
const defaultPageSize = 10;
const maxPageSize = 1000;

function folderCollection(c: GraphContext, mailbox: Mailbox, parent: number): Response {
  const select = parseSelect(c.req.query('$select'), folderProperties, 'microsoft.graph.mailFolder');
  const top = parseTop(c.req.query('$top'), defaultPageSize, maxPageSize);
  const skip = parseSkip(c.req.query('$skip'));
  const includeHidden = c.req.query('includeHiddenFolders') === 'true';
  const children = mailbox.childFolders(parent, includeHidden);
  const page = children.slice(skip, skip + top);
  const more = skip + top < children.length;
  return c.json({
    '@odata.context': `${originOf(c)}/v1.0/$metadata#Collection(mailFolder)`,
    value: page.map((folder) => folderJson(mailbox, folder, select)),
    ...(more ? { '@odata.nextLink': linkWith(c, { $skip: String(skip + top), $top: String(top) }) } : {}),
  });
}

/**
 * Folder listing as Graph has it: /mailFolders gives the children of the
 * root only (hidden ones with includeHiddenFolders=true); clients walk
 * /childFolders for the rest. Well-known names work in place of ids.
 */
export function createMailFolderRoutes(tenant: TenantState): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();

  app.get('/v1.0/users/:userId/mailFolders', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    return folderCollection(c, found.mailbox, rootFolderNumber);
  });

  app.get('/v1.0/users/:userId/mailFolders/:folderId', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const folder: MailFolder | Response = lookupFolder(c, found.mailbox, c.req.param('folderId'));
    if (folder instanceof Response) return folder;
    const select = parseSelect(c.req.query('$select'), folderProperties, 'microsoft.graph.mailFolder');
    return c.json({ '@odata.context': `${originOf(c)}/v1.0/$metadata#mailFolders/$entity`, ...folderJson(found.mailbox, folder, select) });
  });

  app.get('/v1.0/users/:userId/mailFolders/:folderId/childFolders', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const folder = lookupFolder(c, found.mailbox, c.req.param('folderId'));
    if (folder instanceof Response) return folder;
    return folderCollection(c, found.mailbox, folder.number);
  });

  return app;
}
