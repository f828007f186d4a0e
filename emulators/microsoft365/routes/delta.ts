import { Hono } from 'hono';
import { buildDeltaPage } from '../delta/delta-page.js';
import { decodeDeltaToken, encodeDeltaToken, type DeltaPosition } from '../delta/tokens.js';
import type { GraphContext, GraphEnv } from '../http/env.js';
import { originOf } from '../http/env.js';
import { graphError } from '../http/graph-error.js';
import { lookupFolder, lookupMailbox } from '../http/mailbox-lookup.js';
import { parsePrefer, parseSelect, parseTop } from '../http/odata.js';
import { messageProperties, parseMessageExpand, type MessageView } from '../serialize/message-json.js';
import type { MailFolder } from '../state/mail-folder.js';
import type { Mailbox } from '../state/mailbox.js';
import type { TenantState } from '../state/tenant.js';
import { applyPreferences } from './messages.js';

const defaultPageSize = 10;
const maxPageSize = 1000;

/** Graph's answer to a delta or next link it can no longer serve: the client must start over without a token. */
function syncStateNotFound(c: GraphContext, tokenGeneration: number, mailbox: Mailbox): Response {
  const highest = mailbox.deltaGeneration;
  return graphError(c, 410, 'SyncStateNotFound', `The sync state generation is not found; generation=${tokenGeneration};[highest=${highest}][${highest}].`);
}

/** $skiptoken / $deltatoken, whatever the case of the parameter name. */
function stateTokenOf(c: GraphContext): string | undefined {
  const url = new URL(c.req.url);
  for (const [name, value] of url.searchParams) {
    const lower = name.toLowerCase();
    if (lower === '$skiptoken' || lower === '$deltatoken') return value;
  }
  return undefined;
}

function usable(position: DeltaPosition, mailbox: Mailbox, folder: MailFolder): boolean {
  if (position.mailbox !== mailbox.number || position.folder !== folder.number || position.generation !== mailbox.deltaGeneration) return false;
  return position.phase === 'initial' || folder.log.canServe(position.seq);
}

/**
 * GET /users/{id}/mailFolders/{id}/messages/delta. Query options count on the
 * first request only and then travel inside the tokens; the page size comes
 * from `Prefer: odata.maxpagesize` on each request (else $top, else 10), and
 * `Prefer: IdType="ImmutableId"` picks the id form per request.
 */
export function createDeltaRoutes(tenant: TenantState): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();

  app.get('/v1.0/users/:userId/mailFolders/:folderId/messages/delta', (c) => {
    const found = lookupMailbox(c, tenant);
    if (found instanceof Response) return found;
    const { mailbox } = found;
    const folder = lookupFolder(c, mailbox, c.req.param('folderId'));
    if (folder instanceof Response) return folder;

    const token = stateTokenOf(c);
    let position: DeltaPosition;
    if (token !== undefined) {
      const decoded = decodeDeltaToken(tenant.stateKey, token);
      if (!decoded || !usable(decoded, mailbox, folder)) return syncStateNotFound(c, decoded?.generation ?? 0, mailbox);
      position = decoded;
    } else {
      const select = parseSelect(c.req.query('$select'), messageProperties, 'microsoft.graph.message');
      const expand = parseMessageExpand(c.req.query('$expand'));
      const top = c.req.query('$top') === undefined ? undefined : parseTop(c.req.query('$top'), defaultPageSize, maxPageSize);
      position = {
        mailbox: mailbox.number,
        folder: folder.number,
        generation: mailbox.deltaGeneration,
        phase: 'initial',
        seq: mailbox.currentSeq,
        ...(select ? { select: select.join(',') } : {}),
        ...(expand.length > 0 ? { expand } : {}),
        ...(top !== undefined ? { top } : {}),
      };
    }

    const preferences = parsePrefer(c.req.header('prefer'));
    const pageSize = Math.min(maxPageSize, preferences.maxPageSize ?? position.top ?? defaultPageSize);
    const view: MessageView = {
      ...(position.select ? { select: position.select.split(',') } : {}),
      extendedProperties: position.expand ?? [],
      immutableIds: preferences.immutableIds,
    };
    const page = buildDeltaPage(mailbox, folder, position, pageSize, view);
    applyPreferences(c, [...(preferences.maxPageSize !== undefined ? [`odata.maxpagesize=${pageSize}`] : []), ...(preferences.immutableIds ? ['IdType="ImmutableId"'] : [])]);
    const link = `${originOf(c)}${c.req.path}?${page.finished ? '$deltatoken' : '$skiptoken'}=${encodeDeltaToken(tenant.stateKey, page.next)}`;
    return c.json({
      '@odata.context': `${originOf(c)}/v1.0/$metadata#Collection(message)`,
      value: page.items,
      [page.finished ? '@odata.deltaLink' : '@odata.nextLink']: link,
    });
  });

  return app;
}
