import type { GraphConnection } from '../../connectors/microsoft365/graph-client.js';
import { latestPerId } from './delta-replays.js';

/**
 * How the exports read Microsoft Graph, whatever the data type: immutable
 * ids, collections followed to their end, delta pages, and an item that is
 * gone answered as null.
 */

/** Every request asks for immutable ids: ordinary ids change when an item moves between folders, and the id map must survive moves. */
export const immutableIds = 'IdType="ImmutableId"';

/** Every item of a Graph collection, following @odata.nextLink. */
export async function allPages<T>(graph: GraphConnection, firstPath: string): Promise<T[]> {
  const items: T[] = [];
  let link: string | undefined = firstPath;
  while (link) {
    const body = (await graph.client.api(link).header('Prefer', immutableIds).get()) as { value: T[]; '@odata.nextLink'?: string };
    items.push(...body.value);
    link = body['@odata.nextLink'];
  }
  return items;
}

/** A delta entry as Graph sends it: the id, and either @removed or (some of) the item's properties. */
export interface RawDeltaEntry {
  id: string;
  '@removed'?: { reason?: string };
  [field: string]: unknown;
}

export interface RawDeltaPage<Entry> {
  /** Entries created or changed, the latest one per id. */
  changed: Entry[];
  /** Ids reported with @removed: deleted, or moved out of the container. */
  removedIds: string[];
  nextLink?: string;
  deltaLink?: string;
}

/** One page of a container's delta, from the initial path, a nextLink or a deltaLink; an id is in `changed` or `removedIds` at most once. */
export async function fetchRawDeltaPage<Entry extends RawDeltaEntry>(graph: GraphConnection, link: string, pageSize: number): Promise<RawDeltaPage<Entry>> {
  const body = (await graph.client.api(link).header('Prefer', `${immutableIds}, odata.maxpagesize=${pageSize}`).get()) as {
    value: Entry[];
    '@odata.nextLink'?: string;
    '@odata.deltaLink'?: string;
  };
  const changed: Entry[] = [];
  const removedIds: string[] = [];
  for (const entry of latestPerId(body.value)) {
    if (entry['@removed']) removedIds.push(entry.id);
    else changed.push(entry);
  }
  return { changed, removedIds, nextLink: body['@odata.nextLink'], deltaLink: body['@odata.deltaLink'] };
}

/** What `read` answers, or null when Graph says the item is gone (isNotFound). */
export async function unlessGone<T>(read: () => Promise<T>, isNotFound: (err: unknown) => boolean): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}
