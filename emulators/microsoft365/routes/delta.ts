import { Hono } from 'hono';
import { defaultDeltaPageSize, maxDeltaPageSize, serveDelta } from '../delta/delta-route.js';
import { messageDeltaSource } from '../delta/message-delta.js';
import type { GraphEnv } from '../http/env.js';
import { lookupFolder, lookupMailbox } from '../http/mailbox-lookup.js';
import { parseSelect, parseTop } from '../http/odata.js';
import { messageProperties, parseMessageExpand } from '../serialize/message-json.js';
import type { TenantState } from '../state/tenant.js';

/** GET /users/{id}/mailFolders/{id}/messages/delta (learn.microsoft.com/graph/api/message-delta); paging and tokens in delta/delta-route.ts. */
export function createDeltaRoutes(tenant: TenantState): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();

  app.get('/v1.0/users/:userId/mailFolders/:folderId/messages/delta', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const { mailbox } = found;
    const folder = lookupFolder(c, mailbox, c.req.param('folderId'));
    if (folder instanceof Response) return folder;
    return serveDelta(c, tenant, {
      mailbox,
      collection: undefined,
      folderNumber: folder.number,
      log: folder.log,
      currentSeq: mailbox.currentSeq,
      entityType: 'message',
      firstRequestOptions: () => {
        const select = parseSelect(c.req.query('$select'), messageProperties, 'microsoft.graph.message');
        const expand = parseMessageExpand(c.req.query('$expand'));
        const top = c.req.query('$top') === undefined ? undefined : parseTop(c.req.query('$top'), defaultDeltaPageSize, maxDeltaPageSize);
        return { ...(select ? { select: select.join(',') } : {}), ...(expand.length > 0 ? { expand } : {}), ...(top !== undefined ? { top } : {}) };
      },
      source: (position, preferences) =>
        messageDeltaSource(mailbox, folder, {
          ...(position.select ? { select: position.select.split(',') } : {}),
          extendedProperties: position.expand ?? [],
          immutableIds: preferences.immutableIds,
        }),
    });
  });

  return app;
}
