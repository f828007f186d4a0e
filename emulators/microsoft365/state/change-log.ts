/**
 * Per-folder change log behind message delta. Each entry says "at mailbox
 * change number `seq`, message `item` (as id version `version`) entered, left
 * or changed in this folder" and, for a change in place, which properties it
 * touched; what to report is decided from the message's current state when a
 * delta page is built. Entries live in four parallel number arrays because a busy folder can hold many thousands of them.
 *
 * Only the newest `retention` entries are kept. A delta token older than the
 * oldest kept entry can no longer be served: that is Graph's 410
 * SyncStateNotFound, after which the client starts a new initial sync.
 */
export interface ChangeLogEntry {
  seq: number;
  item: number;
  version: number;
  /** Which properties an in-place update changed (ChangedAspect bits); 0 = the message entered, left or was deleted. */
  aspects: number;
}

/**
 * What an in-place update changed. Graph returns an updated message with "its
 * id and at least the properties that have been updated" (delta query
 * overview, learn.microsoft.com/graph/delta-query-overview); a read toggle
 * comes back as only id, isRead and parentFolderId even with a full $select
 * (microsoftgraph/microsoft-graph-docs#7776). The log remembers which
 * properties each update touched so a page can answer the same way.
 */
export const ChangedAspect = { isRead: 1, flag: 2, categories: 4 } as const;

export interface ChangeLogSnapshot {
  floorSeq: number;
  seqs: number[];
  items: number[];
  versions: number[];
  /** Absent in snapshots saved before aspects were logged: those entries count as whole. */
  aspects?: number[];
}

export class FolderChangeLog {
  private seqs: number[] = [];
  private items: number[] = [];
  private versions: number[] = [];
  private aspects: number[] = [];
  /** Tokens at or after this change number can still be served. */
  floorSeq = 0;

  constructor(private readonly retention: number) {}

  get length(): number {
    return this.seqs.length;
  }

  append(seq: number, item: number, version: number, aspects = 0): void {
    this.seqs.push(seq);
    this.items.push(item);
    this.versions.push(version);
    this.aspects.push(aspects);
    if (this.seqs.length > this.retention) this.dropOldest(Math.ceil(this.retention / 2));
  }

  /** Forgets everything up to `seq`: older tokens become unusable. */
  truncateThrough(seq: number): void {
    let count = 0;
    while (count < this.seqs.length && (this.seqs[count] as number) <= seq) count++;
    this.dropOldest(count);
    this.floorSeq = Math.max(this.floorSeq, seq);
  }

  canServe(seq: number): boolean {
    return seq >= this.floorSeq;
  }

  /** Entries with fromSeq < seq <= untilSeq, oldest first, from the first one on. */
  *entriesBetween(fromSeq: number, untilSeq: number): Generator<ChangeLogEntry> {
    let low = 0;
    let high = this.seqs.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.seqs[middle] as number) <= fromSeq) low = middle + 1;
      else high = middle;
    }
    for (let i = low; i < this.seqs.length; i++) {
      const seq = this.seqs[i] as number;
      if (seq > untilSeq) return;
      yield { seq, item: this.items[i] as number, version: this.versions[i] as number, aspects: this.aspects[i] as number };
    }
  }

  toSnapshot(): ChangeLogSnapshot {
    return { floorSeq: this.floorSeq, seqs: this.seqs.slice(), items: this.items.slice(), versions: this.versions.slice(), aspects: this.aspects.slice() };
  }

  restore(snapshot: ChangeLogSnapshot): void {
    this.floorSeq = snapshot.floorSeq;
    this.seqs = snapshot.seqs.slice();
    this.items = snapshot.items.slice();
    this.versions = snapshot.versions.slice();
    this.aspects = snapshot.aspects?.slice() ?? snapshot.seqs.map(() => 0);
  }

  private dropOldest(count: number): void {
    if (count <= 0) return;
    this.floorSeq = Math.max(this.floorSeq, this.seqs[count - 1] as number);
    this.seqs.splice(0, count);
    this.items.splice(0, count);
    this.versions.splice(0, count);
    this.aspects.splice(0, count);
  }
}
