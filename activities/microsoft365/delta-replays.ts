/**
 * Graph may report the same message more than once in one delta response
 * ("It's possible that a single entity will be contained multiple times in
 * the response, if that entity was changed multiple times",
 * concepts/delta-query-overview.md). Within a page only the last word on each
 * id counts: the later entry is the later state. A changed entry after an
 * earlier changed one keeps the earlier one's properties the later one does
 * not repeat; a removal after a change, or a change after a removal, replaces
 * it. Each id then appears once, where it last appeared.
 *
 * Replays across pages need no merging here: the id map already knows the
 * message from its first page, so the replay is an update, not an import.
 */
export interface DeltaEntryLike {
  id: string;
  '@removed'?: unknown;
}

export function latestPerId<T extends DeltaEntryLike>(entries: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const entry of entries) {
    const earlier = latest.get(entry.id);
    latest.delete(entry.id);
    latest.set(entry.id, earlier && !earlier['@removed'] && !entry['@removed'] ? withDefinedFrom(earlier, entry) : entry);
  }
  return [...latest.values()];
}

function withDefinedFrom<T extends object>(earlier: T, later: T): T {
  const merged: Record<string, unknown> = { ...(earlier as Record<string, unknown>) };
  for (const [key, value] of Object.entries(later)) if (value !== undefined) merged[key] = value;
  return merged as T;
}
