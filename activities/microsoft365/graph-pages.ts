import type { GraphConnection } from '../../connectors/microsoft365/graph-client.js';

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
