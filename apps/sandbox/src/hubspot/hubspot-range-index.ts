/**
 * A sorted index of one date or number property, for the search a sync runs on every page: a range
 * on that property, sorted by it (Fieldcast's keyset scan, `modified > t AND modified <= until`).
 * Without it every page filtered and sorted the whole store: a full sync of 1,000,000 contacts was
 * 5,000 sorts of up to a million records, and the sandbox, not the code under test, set the pace.
 *
 * Built once, then kept current cheaply: records changed since the build (the store's change log)
 * are set aside and merged in at query time, and the index is rebuilt when too many have changed.
 * Answers are exactly those of the full scan, ties in record order (hubspot-range-index.spec.ts
 * compares both on random stores, writes and queries).
 */
import type { HubSpotPropertyDefinition } from './hubspot-properties';
import type { HubSpotRecord } from './hubspot-sandbox.types';
import type { HubSpotObjectStore } from './hubspot-store';

export interface RangeBound {
  value: number;
  inclusive: boolean;
}

export interface RangeAnswer {
  total: number;
  /** Matches `offset` … `offset + limit - 1` in sort order. */
  page(offset: number, limit: number): HubSpotRecord[];
}

/** Changed records merged at query time before a rebuild is cheaper (each query walks them once). */
const REBUILD_AFTER_CHANGES = 30_000;

export function rangeKey(property: HubSpotPropertyDefinition, raw: string | null | undefined): number | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  const key = property.type === 'number' ? Number(raw) : /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isNaN(key) ? undefined : key;
}

/** Properties whose values order as numbers, one value per record (no multi-select checkboxes). */
export function isRangeIndexable(property: HubSpotPropertyDefinition): boolean {
  return (property.type === 'datetime' || property.type === 'date' || property.type === 'number') && property.fieldType !== 'checkbox';
}

export class HubSpotRangeIndex {
  private keys = new Float64Array(0);
  private records: HubSpotRecord[] = [];
  private position = new Map<HubSpotRecord, number>();
  private changed = new Set<HubSpotRecord>();
  private epoch = -1;
  private logRead = 0;

  constructor(
    private readonly store: HubSpotObjectStore,
    private readonly property: HubSpotPropertyDefinition,
  ) {}

  /** Matches in ascending order of the property, ties in record order. */
  query(lower: RangeBound | undefined, upper: RangeBound | undefined): RangeAnswer {
    this.catchUp();
    const from = lower ? this.firstIndex(lower.value, lower.inclusive) : 0;
    const to = upper ? this.firstIndex(upper.value, !upper.inclusive) : this.records.length;
    const inRange = (key: number | undefined): key is number =>
      key !== undefined &&
      (!lower || (lower.inclusive ? key >= lower.value : key > lower.value)) &&
      (!upper || (upper.inclusive ? key <= upper.value : key < upper.value));
    // Changed records: out of their indexed place, in at their current one if they still match.
    let movedOut = 0;
    const movedIn: Array<{ key: number; record: HubSpotRecord }> = [];
    for (const record of this.changed) {
      const at = this.position.get(record);
      if (at !== undefined && at >= from && at < to) movedOut += 1;
      const key = record.archived ? undefined : rangeKey(this.property, record.properties[this.property.name]);
      if (inRange(key)) movedIn.push({ key, record });
    }
    movedIn.sort((a, b) => a.key - b.key || a.record.seq - b.record.seq);
    const total = Math.max(0, to - from) - movedOut + movedIn.length;
    return {
      total,
      page: (offset, limit) => this.walk(from, to, movedIn, offset, limit),
    };
  }

  private walk(from: number, to: number, movedIn: Array<{ key: number; record: HubSpotRecord }>, offset: number, limit: number) {
    const out: HubSpotRecord[] = [];
    let i = from;
    let j = 0;
    let skipped = 0;
    while (out.length < limit) {
      while (i < to && this.changed.has(this.records[i]!)) i += 1;
      const fromIndex = i < to ? { key: this.keys[i]!, record: this.records[i]! } : undefined;
      const fromMoved = movedIn[j];
      if (!fromIndex && !fromMoved) break;
      const takeMoved =
        fromMoved !== undefined &&
        (!fromIndex || fromMoved.key < fromIndex.key || (fromMoved.key === fromIndex.key && fromMoved.record.seq < fromIndex.record.seq));
      const next = takeMoved ? fromMoved : fromIndex!;
      if (takeMoved) j += 1;
      else i += 1;
      if (skipped < offset) skipped += 1;
      else out.push(next.record);
    }
    return out;
  }

  /** First index whose key is >= value (or > value when `exclusive`). */
  private firstIndex(value: number, inclusive: boolean): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const key = this.keys[mid]!;
      if (inclusive ? key < value : key <= value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private catchUp(): void {
    const { epoch, log } = this.store.changes();
    if (epoch !== this.epoch) return this.build();
    for (; this.logRead < log.length; this.logRead++) this.changed.add(log[this.logRead]!);
    if (this.changed.size > REBUILD_AFTER_CHANGES) this.build();
  }

  private build(): void {
    const { epoch, log } = this.store.changes();
    const entries: Array<{ key: number; record: HubSpotRecord }> = [];
    for (const record of this.store.all()) {
      if (record.archived) continue;
      const key = rangeKey(this.property, record.properties[this.property.name]);
      if (key !== undefined) entries.push({ key, record });
    }
    entries.sort((a, b) => a.key - b.key || a.record.seq - b.record.seq);
    this.keys = Float64Array.from(entries, (e) => e.key);
    this.records = entries.map((e) => e.record);
    this.position = new Map(this.records.map((r, i) => [r, i]));
    this.changed = new Set();
    this.epoch = epoch;
    this.logRead = log.length;
  }
}
