/**
 * In-memory records of one HubSpot object type. Records live in a Map for id lookups and in an
 * append-only array in id order for `after` paging (ids only grow, so the array stays sorted and a
 * page is a binary search plus a slice). Every write bumps the modified-date property with
 * millisecond precision, keeps property history and reports the change to listeners (webhooks).
 */
import type { HubSpotPropertyProblem, HubSpotPropertyRegistry } from './hubspot-properties';
import {
  HUBSPOT_MODIFIED_PROPERTY,
  type HubSpotChange,
  type HubSpotChangeSource,
  type HubSpotObjectType,
  type HubSpotPropertyVersion,
  type HubSpotRecord,
} from './hubspot-sandbox.types';

export type HubSpotWriteOutcome =
  | { ok: true; record: HubSpotRecord; changed: Array<{ name: string; value: string | null }> }
  | { ok: false; reason: 'not-found'; id: string }
  | { ok: false; reason: 'invalid'; id: string; problems: HubSpotPropertyProblem[] };

/** First id per type: different ranges catch a connector mixing up object types, and the ids cross digit counts early. */
const FIRST_ID: Record<HubSpotObjectType, number> = { contacts: 51, deals: 701, tickets: 901 };
const MAX_CHANGE_LOG = 4_000_000;

export class HubSpotObjectStore {
  private readonly byId = new Map<string, HubSpotRecord>();
  private ordered: HubSpotRecord[] = [];
  private nextSeq: number;
  private archivedCount = 0;
  /** Increments on every write; search caches key on it. */
  version = 0;
  /**
   * Records in the order they changed (created, written, touched, archived), so a search index can
   * catch up without scanning the store. A new epoch (after clear(), or when the log is trimmed)
   * means: rebuild from scratch.
   */
  private changeLog: HubSpotRecord[] = [];
  private changeLogEpoch = 0;
  readonly modifiedProperty: string;
  private readonly listeners: Array<(change: HubSpotChange) => void> = [];

  constructor(
    readonly objectType: HubSpotObjectType,
    readonly properties: HubSpotPropertyRegistry,
  ) {
    this.nextSeq = FIRST_ID[objectType];
    this.modifiedProperty = HUBSPOT_MODIFIED_PROPERTY[objectType];
  }

  onChange(listener: (change: HubSpotChange) => void): void {
    this.listeners.push(listener);
  }

  clear(): void {
    this.byId.clear();
    this.ordered = [];
    this.nextSeq = FIRST_ID[this.objectType];
    this.archivedCount = 0;
    this.indexSettledAt = 0;
    this.version += 1;
    this.changeLog = [];
    this.changeLogEpoch += 1;
  }

  /** The change log (see changeLog): its epoch and the records changed so far, oldest first. */
  changes(): { epoch: number; log: readonly HubSpotRecord[] } {
    return { epoch: this.changeLogEpoch, log: this.changeLog };
  }

  private noteChange(record: HubSpotRecord): void {
    this.changeLog.push(record);
    if (this.changeLog.length > MAX_CHANGE_LOG) {
      this.changeLog = [];
      this.changeLogEpoch += 1;
    }
  }

  get size(): number {
    return this.byId.size - this.archivedCount;
  }

  get archivedSize(): number {
    return this.archivedCount;
  }

  get(id: string): HubSpotRecord | undefined {
    return this.byId.get(id);
  }

  /** All records in id order (archived included); callers filter. */
  all(): readonly HubSpotRecord[] {
    return this.ordered;
  }

  /**
   * HubSpot's search index lags writes ("it may take a few moments for updated objects to appear in
   * search"). With lagMs > 0, search keeps seeing the previous version of a written record (or nothing,
   * for a new one) for lagMs; `ids` limits the lag to some records, so tests can make a later write
   * searchable before an earlier one. Reads by id and listings are never stale.
   */
  searchIndexLag: { lagMs: number; ids: Set<string> | null } = { lagMs: 0, ids: null };
  /** The latest time any pending write becomes searchable (search caching is off until then). */
  indexSettledAt = 0;

  /** Derives history that seeding did not store (e.g. the lifecycle walk of seeded contacts). */
  historySynthesizer?: (record: HubSpotRecord, name: string) => HubSpotPropertyVersion[] | undefined;

  /**
   * Seeding: trusted values, no validation, no webhooks. Mappers put createdate and the modified date
   * in `properties` already (one object shape for all records); only the id is assigned here.
   */
  insertSeeded(
    properties: Record<string, string | null>,
    createdAt: number,
    updatedAt: number,
    history?: Record<string, HubSpotPropertyVersion[]>,
  ): HubSpotRecord {
    const seq = this.nextSeq++;
    const id = String(seq);
    properties.hs_object_id = id;
    properties.createdate ??= new Date(createdAt).toISOString();
    properties[this.modifiedProperty] ??= new Date(updatedAt).toISOString();
    const record: HubSpotRecord = { id, seq, properties, history, createdAt, updatedAt, seededUpdatedAt: updatedAt, archived: false };
    this.byId.set(id, record);
    this.ordered.push(record);
    this.version += 1;
    this.noteChange(record);
    return record;
  }

  /** Records after the given id (exclusive), in id order. */
  pageAfter(afterSeq: number, limit: number, archived: boolean): { records: HubSpotRecord[]; nextSeq?: number } {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ordered[mid]!.seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    const records: HubSpotRecord[] = [];
    let i = lo;
    for (; i < this.ordered.length && records.length < limit; i++) {
      const r = this.ordered[i]!;
      if (r.archived === archived) records.push(r);
    }
    // Only promise a next page when one really exists (HubSpot omits `paging` on the last page).
    for (; i < this.ordered.length; i++) if (this.ordered[i]!.archived === archived) return { records, nextSeq: records.at(-1)?.seq };
    return { records };
  }

  private validate(input: Record<string, unknown>): { values: Record<string, string | null> } | { problems: HubSpotPropertyProblem[] } {
    const values: Record<string, string | null> = {};
    const problems: HubSpotPropertyProblem[] = [];
    for (const [name, raw] of Object.entries(input)) {
      const normalized = this.properties.normalizeValue(name, raw);
      if ('problem' in normalized) problems.push(normalized.problem);
      else values[name] = normalized.value;
    }
    return problems.length ? { problems } : { values };
  }

  create(input: Record<string, unknown>, source: HubSpotChangeSource, now: number): HubSpotWriteOutcome {
    const checked = this.validate(input);
    if ('problems' in checked) return { ok: false, reason: 'invalid', id: '', problems: checked.problems };
    const properties: Record<string, string | null> = { ...checked.values };
    const history: Record<string, HubSpotPropertyVersion[]> = {};
    for (const [name, value] of Object.entries(checked.values)) {
      if (value !== null) history[name] = [{ value, timestamp: now, sourceType: source.changeSource, sourceId: source.sourceId }];
    }
    const record = this.insertSeeded(properties, now, now, history);
    this.lagIndex(record, now, true);
    this.emit({ objectType: this.objectType, kind: 'creation', id: record.id, source, occurredAt: now });
    const changed = Object.entries(checked.values).map(([name, value]) => ({ name, value }));
    return { ok: true, record, changed };
  }

  /** Validates every value first: a record with one bad value is not changed at all. */
  update(id: string, input: Record<string, unknown>, source: HubSpotChangeSource, now: number): HubSpotWriteOutcome {
    const record = this.byId.get(id);
    if (!record || record.archived) return { ok: false, reason: 'not-found', id };
    const checked = this.validate(input);
    if ('problems' in checked) return { ok: false, reason: 'invalid', id, problems: checked.problems };
    this.lagIndex(record, now, false);
    const changed: Array<{ name: string; value: string | null }> = [];
    for (const [name, value] of Object.entries(checked.values)) {
      const previous = record.properties[name] ?? null;
      if (previous === value) continue;
      this.pushHistory(record, name, previous, value, source, now);
      record.properties[name] = value;
      changed.push({ name, value });
    }
    // HubSpot bumps the modified date on every accepted write, even one that changed no value.
    record.updatedAt = now;
    record.properties[this.modifiedProperty] = new Date(now).toISOString();
    this.version += 1;
    this.noteChange(record);
    if (changed.length) this.emit({ objectType: this.objectType, kind: 'propertyChange', id, changes: changed, source, occurredAt: now });
    return { ok: true, record, changed };
  }

  archive(id: string, source: HubSpotChangeSource, now: number): boolean {
    const record = this.byId.get(id);
    if (!record || record.archived) return false;
    record.archived = true;
    record.archivedAt = now;
    record.updatedAt = now;
    this.archivedCount += 1;
    this.version += 1;
    this.noteChange(record);
    this.emit({ objectType: this.objectType, kind: 'deletion', id, source, occurredAt: now });
    return true;
  }

  /** Sets the modified date without changing values (the control API's "touch", to simulate activity). */
  touch(id: string, now: number): boolean {
    const record = this.byId.get(id);
    if (!record || record.archived) return false;
    this.lagIndex(record, now, false);
    record.updatedAt = now;
    record.properties[this.modifiedProperty] = new Date(now).toISOString();
    this.version += 1;
    this.noteChange(record);
    return true;
  }

  /** The properties search sees for a record now: the last indexed version while a write is pending. */
  searchView(record: HubSpotRecord, now: number): Record<string, string | null> | null {
    return record.indexed && now < record.indexed.visibleAt ? record.indexed.properties : record.properties;
  }

  private lagIndex(record: HubSpotRecord, now: number, created: boolean): void {
    const { lagMs, ids } = this.searchIndexLag;
    if (lagMs <= 0 || (ids && !ids.has(record.id))) return;
    // A write on top of a pending one keeps the older indexed version: that is all search has.
    const pending = record.indexed && now < record.indexed.visibleAt;
    const properties = pending ? record.indexed!.properties : created ? null : { ...record.properties };
    record.indexed = { properties, visibleAt: now + lagMs };
    this.indexSettledAt = Math.max(this.indexSettledAt, now + lagMs);
  }

  /** Versions of a property, newest first, as propertiesWithHistory shows them. */
  historyOf(record: HubSpotRecord, name: string): HubSpotPropertyVersion[] {
    const kept = record.history?.[name] ?? this.historySynthesizer?.(record, name);
    if (kept) return kept;
    const value = record.properties[name];
    if (value === null || value === undefined) return [];
    return [{ value, timestamp: record.createdAt, sourceType: 'CRM_UI' }];
  }

  private pushHistory(
    record: HubSpotRecord,
    name: string,
    previous: string | null,
    value: string | null,
    source: HubSpotChangeSource,
    now: number,
  ): void {
    const versions =
      record.history?.[name] ?? (previous === null ? [] : [{ value: previous, timestamp: record.createdAt, sourceType: 'CRM_UI' }]);
    versions.unshift({ value: value ?? '', timestamp: now, sourceType: source.changeSource, sourceId: source.sourceId });
    if (versions.length > 20) versions.length = 20;
    record.history = { ...(record.history ?? {}), [name]: versions };
  }

  private emit(change: HubSpotChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
