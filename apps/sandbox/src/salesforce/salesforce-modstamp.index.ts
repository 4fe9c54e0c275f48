/**
 * An ordered index on (SystemModstamp, Id) per table, so the incremental-sync query shape
 * (`WHERE SystemModstamp … ORDER BY SystemModstamp, Id LIMIT n`) costs a binary search plus n steps
 * instead of a filter and sort of the whole table on every page.
 * Writes only ever move a record to a newer stamp (stamps increase between calls), so they are
 * appended; the entry a record leaves behind goes stale and is skipped, and compacted away later.
 */
export class SalesforceModstampIndex {
  private stamps: string[] = [];
  private ids: string[] = [];
  private readonly indexed = new Map<string, string>();
  private dirty = true;
  /** Entries from here on were appended and may need sorting among themselves (one call, many ids). */
  private sortFrom = 0;
  private stale = 0;

  constructor(private readonly source: () => Array<{ Id: string; SystemModstamp?: unknown }>) {}

  /** Bulk load: rebuild on next use. */
  invalidate(): void {
    this.dirty = true;
  }

  /** A record was inserted or replaced. */
  note(id: string, stamp: unknown): void {
    if (this.dirty || typeof stamp !== 'string') return;
    const previous = this.indexed.get(id);
    if (previous === stamp) return;
    const last = this.stamps[this.stamps.length - 1];
    if (last !== undefined && stamp < last) {
      // Only a bulk load with historic stamps can go backwards; rebuild rather than mis-order.
      this.dirty = true;
      return;
    }
    if (previous !== undefined) this.stale++;
    this.indexed.set(id, stamp);
    this.stamps.push(stamp);
    this.ids.push(id);
  }

  /** Sorted, compacted view; valid entries are those whose stamp is still the record's. */
  view(): { stamps: string[]; ids: string[] } {
    if (this.dirty) this.rebuild();
    else {
      if (this.stale > 1000 && this.stale * 2 > this.stamps.length) this.compact();
      if (this.sortFrom < this.stamps.length) this.sortTail();
    }
    return { stamps: this.stamps, ids: this.ids };
  }

  /** First position whose stamp is >= bound. */
  lowerBound(bound: string): number {
    const { stamps } = this.view();
    let lo = 0;
    let hi = stamps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (stamps[mid] < bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private rebuild(): void {
    const entries: Array<[string, string]> = [];
    this.indexed.clear();
    for (const r of this.source()) {
      if (typeof r.SystemModstamp !== 'string') continue;
      entries.push([r.SystemModstamp, r.Id]);
      this.indexed.set(r.Id, r.SystemModstamp);
    }
    entries.sort(compareEntries);
    this.stamps = entries.map((e) => e[0]);
    this.ids = entries.map((e) => e[1]);
    this.sortFrom = this.stamps.length;
    this.stale = 0;
    this.dirty = false;
  }

  private sortTail(): void {
    const tail: Array<[string, string]> = [];
    for (let i = this.sortFrom; i < this.stamps.length; i++) tail.push([this.stamps[i], this.ids[i]]);
    tail.sort(compareEntries);
    for (let i = 0; i < tail.length; i++) {
      this.stamps[this.sortFrom + i] = tail[i][0];
      this.ids[this.sortFrom + i] = tail[i][1];
    }
    this.sortFrom = this.stamps.length;
  }

  private compact(): void {
    const stamps: string[] = [];
    const ids: string[] = [];
    for (let i = 0; i < this.stamps.length; i++) {
      if (this.indexed.get(this.ids[i]) !== this.stamps[i]) continue;
      stamps.push(this.stamps[i]);
      ids.push(this.ids[i]);
    }
    // Compaction keeps relative order, so the unsorted tail is whatever survived of it.
    const survivedBeforeTail = this.countValid(0, this.sortFrom);
    this.stamps = stamps;
    this.ids = ids;
    this.sortFrom = survivedBeforeTail;
    this.stale = 0;
  }

  private countValid(from: number, to: number): number {
    let n = 0;
    for (let i = from; i < to; i++) if (this.indexed.get(this.ids[i]) === this.stamps[i]) n++;
    return n;
  }

  /** True when the entry at i is the record's current position. */
  isCurrent(i: number): boolean {
    return this.indexed.get(this.ids[i]) === this.stamps[i];
  }
}

function compareEntries(a: [string, string], b: [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}
