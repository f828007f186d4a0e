import type { Store } from '../../store/index.js';

/**
 * Gmail merges an import whose Message-ID it already holds into the existing
 * message (google/import-mailbox-to-gmail#56), so two Outlook messages with
 * one Message-ID (a message sent to oneself, a copy in two folders) become
 * one Gmail message. That message carries the union of what its source
 * messages want; each source message changes only its own share of it.
 */
export interface SharedCopies {
  /** Labels the other live source messages of this Gmail message want (empty when none shares it). */
  othersLabels(googleMessageId: string, sourceItemId: string): string[];
  /** Whether another live source message still maps to this Gmail message. */
  isShared(googleMessageId: string, sourceItemId: string): boolean;
  /** Records a row's new labels or state, so later rows of the same page see them. */
  update(sourceItemId: string, googleMessageId: string, change: { labelIds?: string[]; state?: string }): void;
}

interface Row {
  sourceItemId: string;
  googleMessageId: string | null;
  state: string;
  labelIds: string[];
}

/** Reads, in one query, every row that shares a Gmail message with the given rows. */
export async function loadSharedCopies(store: Store, syncUserId: string, rows: Iterable<Row>): Promise<SharedCopies> {
  const googleIds = [...rows].flatMap((row) => (row.googleMessageId ? [row.googleMessageId] : []));
  const byGoogleId = googleIds.length ? await store.messageMap.findByGoogleMessageIds(syncUserId, googleIds) : new Map<string, Row[]>();
  const others = (googleMessageId: string, sourceItemId: string) => (byGoogleId.get(googleMessageId) ?? []).filter((row) => row.sourceItemId !== sourceItemId && row.state === 'imported');
  return {
    othersLabels: (googleMessageId, sourceItemId) => [...new Set(others(googleMessageId, sourceItemId).flatMap((row) => row.labelIds))],
    isShared: (googleMessageId, sourceItemId) => others(googleMessageId, sourceItemId).length > 0,
    update: (sourceItemId, googleMessageId, change) => {
      const row = byGoogleId.get(googleMessageId)?.find((candidate) => candidate.sourceItemId === sourceItemId);
      if (row) Object.assign(row, change);
    },
  };
}

/** `labels` with the others' labels added: what the Gmail message as a whole carries or should carry. */
export function withOthers(labels: readonly string[], othersLabels: readonly string[]): string[] {
  return [...new Set([...labels, ...othersLabels])].sort();
}
