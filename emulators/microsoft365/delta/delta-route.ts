import type { GraphContext } from '../http/env.js';
import { originOf } from '../http/env.js';
import { graphError } from '../http/graph-error.js';
import { parsePrefer, type Preferences } from '../http/odata.js';
import type { FolderChangeLog } from '../state/change-log.js';
import type { Mailbox } from '../state/mailbox.js';
import type { TenantState } from '../state/tenant.js';
import { buildDeltaPage, type DeltaSource } from './delta-page.js';
import { decodeDeltaToken, encodeDeltaToken, type DeltaPosition } from './tokens.js';

export const defaultDeltaPageSize = 10;
export const maxDeltaPageSize = 1000;

/** What a per-folder delta route tells the shared handling below. */
export interface DeltaRequest {
  mailbox: Mailbox;
  collection: DeltaPosition['collection'];
  folderNumber: number;
  log: FolderChangeLog;
  currentSeq: number;
  /** OData type of the items, for @odata.context. */
  entityType: 'message' | 'contact';
  /** Query options of a first request (no token), to travel inside the tokens; parsed by the route, which throws on bad ones. */
  firstRequestOptions(): Pick<DeltaPosition, 'select' | 'expand' | 'top'>;
  source(position: DeltaPosition, preferences: Preferences): DeltaSource;
}

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

function usable(position: DeltaPosition, request: DeltaRequest): boolean {
  if (position.mailbox !== request.mailbox.number || position.collection !== request.collection || position.folder !== request.folderNumber) return false;
  if (position.generation !== request.mailbox.deltaGeneration) return false;
  return position.phase === 'initial' || request.log.canServe(position.seq);
}

/**
 * A page of per-folder delta (messages or contacts). Query options count on
 * the first request only and then travel inside the tokens
 * (learn.microsoft.com/graph/api/message-delta, .../contact-delta); the page
 * size comes from `Prefer: odata.maxpagesize` on each request (else $top,
 * else 10), and `Prefer: IdType="ImmutableId"` picks the id form per request.
 * A token this store cannot serve (unknown, tampered, from another folder,
 * expired) answers 410 SyncStateNotFound.
 */
export function serveDelta(c: GraphContext, tenant: TenantState, request: DeltaRequest): Response {
  const { mailbox } = request;
  const token = stateTokenOf(c);
  let position: DeltaPosition;
  if (token !== undefined) {
    const decoded = decodeDeltaToken(tenant.stateKey, token);
    if (!decoded || !usable(decoded, request)) return syncStateNotFound(c, decoded?.generation ?? 0, mailbox);
    position = decoded;
  } else {
    const options = request.firstRequestOptions();
    position = {
      mailbox: mailbox.number,
      ...(request.collection ? { collection: request.collection } : {}),
      folder: request.folderNumber,
      generation: mailbox.deltaGeneration,
      phase: 'initial',
      seq: request.currentSeq,
      ...options,
    };
  }

  const preferences = parsePrefer(c.req.header('prefer'));
  const pageSize = Math.min(maxDeltaPageSize, preferences.maxPageSize ?? position.top ?? defaultDeltaPageSize);
  const page = buildDeltaPage(request.source(position, preferences), position, pageSize);
  const applied = [...(preferences.maxPageSize !== undefined ? [`odata.maxpagesize=${pageSize}`] : []), ...(preferences.immutableIds ? ['IdType="ImmutableId"'] : [])];
  if (applied.length > 0) c.header('Preference-Applied', applied.join(', '));
  const link = `${originOf(c)}${c.req.path}?${page.finished ? '$deltatoken' : '$skiptoken'}=${encodeDeltaToken(tenant.stateKey, page.next)}`;
  return c.json({
    '@odata.context': `${originOf(c)}/v1.0/$metadata#Collection(${request.entityType})`,
    value: page.items,
    [page.finished ? '@odata.deltaLink' : '@odata.nextLink']: link,
  });
}
