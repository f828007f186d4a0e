import { Hono } from 'hono';
import { renderMessage } from '../../mime/render.js';
import type { GraphContext, GraphEnv } from '../http/env.js';
import { originOf } from '../http/env.js';
import { graphError, itemNotFound, malformedId } from '../http/graph-error.js';
import { lookupFolder, lookupMailbox } from '../http/mailbox-lookup.js';
import { linkWith, parsePrefer, parseSelect, parseSkip, parseTop } from '../http/odata.js';
import { messageJson, messageProperties, parseMessageExpand, type MessageView } from '../serialize/message-json.js';
import { decodeMessageId } from '../state/ids.js';
import type { Mailbox, MessageRecord } from '../state/mailbox.js';
import type { TenantState } from '../state/tenant.js';

const defaultPageSize = 10;
const maxPageSize = 1000;

export function messageViewOf(c: GraphContext): MessageView {
  return {
    select: parseSelect(c.req.query('$select'), messageProperties, 'microsoft.graph.message'),
    extendedProperties: parseMessageExpand(c.req.query('$expand')),
    immutableIds: parsePrefer(c.req.header('prefer')).immutableIds,
  };
}

/** Echoes the preferences a route honoured, as Graph does in Preference-Applied. */
export function applyPreferences(c: GraphContext, applied: string[]): void {
  if (applied.length > 0) c.header('Preference-Applied', applied.join(', '));
}

function findMessage(c: GraphContext, mailbox: Mailbox, id: string): MessageRecord | Response {
  if (!decodeMessageId(id)) return malformedId(c);
  return mailbox.findMessage(id) ?? itemNotFound(c);
}

function messageCollection(c: GraphContext, mailbox: Mailbox, numbers: readonly number[]): Response {
  const view = messageViewOf(c);
  const preferredPageSize = parsePrefer(c.req.header('prefer')).maxPageSize;
  const top = Math.min(maxPageSize, preferredPageSize ?? parseTop(c.req.query('$top'), defaultPageSize, maxPageSize));
  const skip = parseSkip(c.req.query('$skip'));
  const page = numbers.slice(skip, skip + top);
  const items = page.map((number) => mailbox.message(number)).filter((record): record is MessageRecord => record !== undefined);
  applyPreferences(c, [...(preferredPageSize !== undefined ? [`odata.maxpagesize=${top}`] : []), ...(view.immutableIds ? ['IdType="ImmutableId"'] : [])]);
  return c.json({
    '@odata.context': `${originOf(c)}/v1.0/$metadata#Collection(message)`,
    value: items.map((record) => messageJson(mailbox, record, view)),
    ...(skip + top < numbers.length ? { '@odata.nextLink': linkWith(c, { $skip: String(skip + top), $top: String(top) }) } : {}),
  });
}

/**
 * Message metadata, listings and MIME content. $value answers with the
 * RFC 822 bytes: those stored for a message given as raw MIME, otherwise
 * rendered on demand (same bytes every time); like Graph, it
 * labels them text/plain: clients must read the body as bytes, not as text.
 */
export function createMessageRoutes(tenant: TenantState): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();

  app.get('/v1.0/users/:userId/messages', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const numbers = [...found.mailbox.allMessages()].map((record) => record.number);
    return messageCollection(c, found.mailbox, numbers);
  });

  app.get('/v1.0/users/:userId/mailFolders/:folderId/messages', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const folder = lookupFolder(c, found.mailbox, c.req.param('folderId'));
    if (folder instanceof Response) return folder;
    return messageCollection(c, found.mailbox, folder.members.toArray());
  });

  app.get('/v1.0/users/:userId/messages/:messageId', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const record = findMessage(c, found.mailbox, c.req.param('messageId'));
    if (record instanceof Response) return record;
    const view = messageViewOf(c);
    if (view.immutableIds) applyPreferences(c, ['IdType="ImmutableId"']);
    return c.json({ '@odata.context': `${originOf(c)}/v1.0/$metadata#users('${found.user.id}')/messages/$entity`, ...messageJson(found.mailbox, record, view) });
  });

  app.get('/v1.0/users/:userId/messages/:messageId/$value', async (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const record = findMessage(c, found.mailbox, c.req.param('messageId'));
    if (record instanceof Response) return record;
    // A message given as raw MIME is served exactly as stored; seeded ones are rendered.
    const bytes = found.mailbox.rawMime(record)?.bytes ?? (await renderMessage(found.mailbox.plan(record)));
    return c.body(new Uint8Array(bytes), 200, { 'Content-Type': 'text/plain' });
  });

  // Graph does not serve MIME content below a folder path; it answers 405 ErrorInvalidRequest there.
  app.get('/v1.0/users/:userId/mailFolders/:folderId/messages/:messageId/$value', (c) => graphError(c, 405, 'ErrorInvalidRequest', 'The OData request is not supported.'));

  return app;
}
