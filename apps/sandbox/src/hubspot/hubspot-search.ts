/**
 * CRM search (POST /crm/v3/objects/{type}/search): filter groups ORed, filters inside a group ANDed,
 * sorts in all three forms the SDK and docs use ("prop", "-prop", {propertyName, direction}), limit
 * capped at 200, `after` as a numeric offset, and the 10,000-result cap (paging past it is a 400).
 * Sorted result lists are cached per query and store version so paging stays O(page).
 * https://developers.hubspot.com/docs/api/crm/search
 */
import type { HubSpotPropertyDefinition } from './hubspot-properties';
import type { HubSpotObjectStore } from './hubspot-store';
import { HubSpotRangeIndex, isRangeIndexable, rangeKey, type RangeBound } from './hubspot-range-index';
import type { HubSpotRecord } from './hubspot-sandbox.types';

export const HUBSPOT_SEARCH_MAX_LIMIT = 200;
export const HUBSPOT_SEARCH_RESULT_CAP = 10_000;
export const HUBSPOT_SEARCH_MAX_GROUPS = 5;
export const HUBSPOT_SEARCH_MAX_FILTERS_PER_GROUP = 10;
export const HUBSPOT_SEARCH_MAX_FILTERS = 25;

const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
type Operator = (typeof OPERATORS)[number];

interface Filter {
  property: HubSpotPropertyDefinition;
  operator: Operator;
  value?: string;
  highValue?: string;
  values?: string[];
}

interface Sort {
  property: HubSpotPropertyDefinition;
  descending: boolean;
}

export interface HubSpotSearchQuery {
  groups: Filter[][];
  sorts: Sort[];
  query?: string;
  limit: number;
  offset: number;
  properties: string[];
  /** Canonical key of the part that decides the result list (not limit/after/properties). */
  key: string;
}

const SEARCHABLE_BY_QUERY: Record<string, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'company', 'jobtitle'],
  deals: ['dealname'],
  tickets: ['subject', 'content'],
};

export type HubSpotSearchParse =
  { ok: true; query: HubSpotSearchQuery } | { ok: false; message: string; errors: Array<{ message: string; in: string }> };

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Validates a search body; every problem is listed with where it is. */
export function parseHubSpotSearch(store: HubSpotObjectStore, raw: unknown): HubSpotSearchParse {
  const errors: Array<{ message: string; in: string }> = [];
  const body = (raw ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      message: 'Invalid input JSON: the search body must be a JSON object',
      errors: [{ message: 'expected an object', in: 'body' }],
    };
  }
  const lookup = (name: unknown, where: string): HubSpotPropertyDefinition | undefined => {
    if (typeof name !== 'string' || !name) {
      errors.push({ message: 'propertyName is required', in: where });
      return undefined;
    }
    const property = store.properties.get(name);
    if (!property) errors.push({ message: `property "${name}" does not exist on ${store.objectType}`, in: where });
    return property;
  };

  const groups: Filter[][] = [];
  const rawGroups = body.filterGroups ?? [];
  if (!Array.isArray(rawGroups)) errors.push({ message: 'filterGroups must be an array', in: 'filterGroups' });
  else {
    if (rawGroups.length > HUBSPOT_SEARCH_MAX_GROUPS)
      errors.push({
        message: `at most ${HUBSPOT_SEARCH_MAX_GROUPS} filterGroups are allowed, got ${rawGroups.length}`,
        in: 'filterGroups',
      });
    let total = 0;
    rawGroups.forEach((g: unknown, gi) => {
      const rawFilters = (g as { filters?: unknown })?.filters;
      if (!Array.isArray(rawFilters)) {
        errors.push({ message: 'each filter group needs a filters array', in: `filterGroups[${gi}]` });
        return;
      }
      if (rawFilters.length > HUBSPOT_SEARCH_MAX_FILTERS_PER_GROUP)
        errors.push({
          message: `at most ${HUBSPOT_SEARCH_MAX_FILTERS_PER_GROUP} filters per group, got ${rawFilters.length}`,
          in: `filterGroups[${gi}].filters`,
        });
      total += rawFilters.length;
      const group: Filter[] = [];
      rawFilters.forEach((f: unknown, fi) => {
        const where = `filterGroups[${gi}].filters[${fi}]`;
        const filter = (f ?? {}) as Record<string, unknown>;
        const property = lookup(filter.propertyName, `${where}.propertyName`);
        const operator = (typeof filter.operator === 'string' ? filter.operator : 'EQ') as Operator;
        if (!OPERATORS.includes(operator)) {
          errors.push({
            message: `operator ${JSON.stringify(filter.operator)} is not one of ${OPERATORS.join(', ')}`,
            in: `${where}.operator`,
          });
          return;
        }
        const value = asString(filter.value);
        const highValue = asString(filter.highValue);
        const values = Array.isArray(filter.values) ? filter.values.map(asString).filter((v): v is string => v !== undefined) : undefined;
        if (
          ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN', 'BETWEEN'].includes(operator) &&
          value === undefined
        )
          errors.push({ message: `operator ${operator} needs a value`, in: `${where}.value` });
        if (operator === 'BETWEEN' && highValue === undefined)
          errors.push({ message: 'operator BETWEEN needs value and highValue', in: `${where}.highValue` });
        if ((operator === 'IN' || operator === 'NOT_IN') && (!values || values.length === 0))
          errors.push({ message: `operator ${operator} needs a non-empty values array`, in: `${where}.values` });
        if (property) group.push({ property, operator, value, highValue, values });
      });
      groups.push(group);
    });
    if (total > HUBSPOT_SEARCH_MAX_FILTERS)
      errors.push({ message: `at most ${HUBSPOT_SEARCH_MAX_FILTERS} filters in total, got ${total}`, in: 'filterGroups' });
  }

  const sorts: Sort[] = [];
  const rawSorts = body.sorts ?? [];
  if (!Array.isArray(rawSorts)) errors.push({ message: 'sorts must be an array', in: 'sorts' });
  else
    rawSorts.forEach((s: unknown, i) => {
      if (typeof s === 'string') {
        const descending = s.startsWith('-');
        const property = lookup(descending ? s.slice(1) : s, `sorts[${i}]`);
        if (property) sorts.push({ property, descending });
        return;
      }
      const sort = (s ?? {}) as { propertyName?: unknown; direction?: unknown };
      const direction = sort.direction ?? 'ASCENDING';
      if (direction !== 'ASCENDING' && direction !== 'DESCENDING')
        errors.push({
          message: `direction must be ASCENDING or DESCENDING, got ${JSON.stringify(direction)}`,
          in: `sorts[${i}].direction`,
        });
      const property = lookup(sort.propertyName, `sorts[${i}].propertyName`);
      if (property) sorts.push({ property, descending: direction === 'DESCENDING' });
    });

  let limit = 10;
  if (body.limit !== undefined) {
    if (typeof body.limit !== 'number' || !Number.isInteger(body.limit) || body.limit < 1)
      errors.push({ message: `limit must be a whole number >= 1, got ${JSON.stringify(body.limit)}`, in: 'limit' });
    // HubSpot caps the page size at 200 instead of rejecting larger values.
    else limit = Math.min(body.limit, HUBSPOT_SEARCH_MAX_LIMIT);
  }
  let offset = 0;
  if (body.after !== undefined && body.after !== null && body.after !== '') {
    const after = asString(body.after);
    if (after === undefined || !/^\d+$/.test(after))
      errors.push({ message: `after must be the numeric string from paging.next.after, got ${JSON.stringify(body.after)}`, in: 'after' });
    else offset = Number(after);
  }
  const query = body.query === undefined ? undefined : asString(body.query);
  if (query !== undefined && query.length > 3000) errors.push({ message: 'query may be at most 3000 characters', in: 'query' });
  const properties = Array.isArray(body.properties) ? body.properties.filter((p): p is string => typeof p === 'string') : [];

  if (errors.length)
    return { ok: false, message: `Invalid search request: ${errors.map((e) => `${e.in}: ${e.message}`).join('; ')}`, errors };
  const key = JSON.stringify([
    groups.map((g) => g.map((f) => [f.property.name, f.operator, f.value, f.highValue, f.values])),
    sorts.map((s) => [s.property.name, s.descending]),
    query ?? null,
  ]);
  return { ok: true, query: { groups, sorts, query, limit, offset, properties, key } };
}

/** A comparable form of a stored value for the property's type (numbers and dates compare numerically). */
function comparable(property: HubSpotPropertyDefinition, value: string): number | string {
  if (property.type === 'number') return Number(value);
  if (property.type === 'datetime' || property.type === 'date') return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return value.toLowerCase();
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function tokens(value: string): string[] {
  return value
    .toLowerCase()
    .split(/[^\p{L}\p{N}@._-]+/u)
    .filter(Boolean);
}

function tokenMatcher(pattern: string): (value: string) => boolean {
  const p = pattern.toLowerCase();
  if (!p.includes('*')) return (value) => tokens(value).includes(p);
  const re = new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return (value) => tokens(value).some((t) => re.test(t));
}

function matches(properties: Record<string, string | null>, filter: Filter): boolean {
  const raw = properties[filter.property.name];
  const has = raw !== null && raw !== undefined && raw !== '';
  const { operator, property } = filter;
  if (operator === 'HAS_PROPERTY') return has;
  if (operator === 'NOT_HAS_PROPERTY') return !has;
  const multi = property.fieldType === 'checkbox' ? (raw ?? '').split(';') : [raw ?? ''];
  switch (operator) {
    case 'EQ':
      return has && multi.some((v) => compare(comparable(property, v), comparable(property, filter.value!)) === 0);
    case 'NEQ':
      return !has || !multi.some((v) => compare(comparable(property, v), comparable(property, filter.value!)) === 0);
    case 'IN': {
      const wanted = filter.values!.map((v) => comparable(property, v));
      return has && multi.some((v) => wanted.some((w) => compare(comparable(property, v), w) === 0));
    }
    case 'NOT_IN': {
      const wanted = filter.values!.map((v) => comparable(property, v));
      return !has || !multi.some((v) => wanted.some((w) => compare(comparable(property, v), w) === 0));
    }
    case 'CONTAINS_TOKEN':
      return has && tokenMatcher(filter.value!)(raw!);
    case 'NOT_CONTAINS_TOKEN':
      return !has || !tokenMatcher(filter.value!)(raw!);
    default: {
      if (!has) return false;
      const c = compare(comparable(property, raw!), comparable(property, filter.value!));
      if (operator === 'LT') return c < 0;
      if (operator === 'LTE') return c <= 0;
      if (operator === 'GT') return c > 0;
      if (operator === 'GTE') return c >= 0;
      return c >= 0 && compare(comparable(property, raw!), comparable(property, filter.highValue!)) <= 0;
    }
  }
}

/** A range on one indexable property, sorted ascending by it: answered from a HubSpotRangeIndex. */
function rangePlan(query: HubSpotSearchQuery): { property: HubSpotPropertyDefinition; lower?: RangeBound; upper?: RangeBound } | undefined {
  const [sort] = query.sorts;
  if (query.query || query.sorts.length !== 1 || sort!.descending || query.groups.length !== 1) return undefined;
  const property = sort!.property;
  if (!isRangeIndexable(property)) return undefined;
  let lower: RangeBound | undefined;
  let upper: RangeBound | undefined;
  const tighten = (bound: RangeBound, side: 'lower' | 'upper') => {
    const current = side === 'lower' ? lower : upper;
    const tighter =
      !current ||
      (side === 'lower' ? bound.value > current.value : bound.value < current.value) ||
      (bound.value === current.value && !bound.inclusive);
    if (tighter) {
      if (side === 'lower') lower = bound;
      else upper = bound;
    }
  };
  for (const filter of query.groups[0]!) {
    if (filter.property.name !== property.name) return undefined;
    const value = rangeKey(property, filter.value);
    if (value === undefined) return undefined;
    if (filter.operator === 'GT' || filter.operator === 'GTE') tighten({ value, inclusive: filter.operator === 'GTE' }, 'lower');
    else if (filter.operator === 'LT' || filter.operator === 'LTE') tighten({ value, inclusive: filter.operator === 'LTE' }, 'upper');
    else if (filter.operator === 'EQ' || filter.operator === 'BETWEEN') {
      const high = filter.operator === 'BETWEEN' ? rangeKey(property, filter.highValue) : value;
      if (high === undefined) return undefined;
      tighten({ value, inclusive: true }, 'lower');
      tighten({ value: high, inclusive: true }, 'upper');
    } else return undefined;
  }
  return lower || upper ? { property, lower, upper } : undefined;
}

/** The matches of a search: how many, and one page of them in order. */
export interface HubSpotSearchAnswer {
  total: number;
  page(offset: number, limit: number): HubSpotRecord[];
}

/**
 * Evaluates and sorts. A range on a date or number property sorted by it (every page of a sync's
 * scan) is answered from a sorted index; anything else is a full scan, cached per (query, store version).
 */
export class HubSpotSearchEngine {
  private readonly cache = new Map<string, { version: number; records: HubSpotRecord[] }>();
  private readonly indexes = new Map<string, HubSpotRangeIndex>();

  constructor(private readonly store: HubSpotObjectStore) {}

  search(query: HubSpotSearchQuery): HubSpotSearchAnswer {
    // While writes wait to be indexed (searchView), the indexed values are not the stored ones: scan.
    const plan = this.store.indexSettledAt <= Date.now() ? rangePlan(query) : undefined;
    if (plan) {
      let index = this.indexes.get(plan.property.name);
      if (!index) this.indexes.set(plan.property.name, (index = new HubSpotRangeIndex(this.store, plan.property)));
      return index.query(plan.lower, plan.upper);
    }
    const records = this.run(query);
    return { total: records.length, page: (offset, limit) => records.slice(offset, offset + limit) };
  }

  /** The full scan: every match, sorted. */
  run(query: HubSpotSearchQuery): HubSpotRecord[] {
    const now = Date.now();
    // While writes are waiting to be indexed, results change with time alone: no caching then.
    const settled = this.store.indexSettledAt <= now;
    const cached = this.cache.get(query.key);
    if (settled && cached && cached.version === this.store.version) return cached.records;
    const queryMatcher = query.query ? tokenMatcher(`*${query.query.toLowerCase()}*`) : undefined;
    const searchable = SEARCHABLE_BY_QUERY[this.store.objectType] ?? [];
    const records: HubSpotRecord[] = [];
    for (const stored of this.store.all()) {
      if (stored.archived) continue;
      const view = settled ? stored.properties : this.store.searchView(stored, now);
      if (!view) continue;
      if (query.groups.length && !query.groups.some((g) => g.every((f) => matches(view, f)))) continue;
      if (
        queryMatcher &&
        !searchable.some((p) => view[p] && (view[p]!.toLowerCase().includes(query.query!.toLowerCase()) || queryMatcher(view[p]!)))
      )
        continue;
      // Search answers with the indexed (possibly stale) values, as HubSpot does.
      records.push(view === stored.properties ? stored : { ...stored, properties: view });
    }
    if (query.sorts.length) {
      // Comparable keys are computed once per record, not once per comparison (dates parse slowly).
      const keyed = records.map((r) => ({
        r,
        keys: query.sorts.map((s) => {
          const v = r.properties[s.property.name];
          return v == null || v === '' ? null : comparable(s.property, v);
        }),
      }));
      keyed.sort((a, b) => {
        for (let i = 0; i < query.sorts.length; i++) {
          const av = a.keys[i];
          const bv = b.keys[i];
          // Records without a value sort last, whatever the direction.
          if (av == null || bv == null) {
            if (av == null && bv == null) continue;
            return av == null ? 1 : -1;
          }
          const c = compare(av, bv);
          if (c !== 0) return query.sorts[i]!.descending ? -c : c;
        }
        return a.r.seq - b.r.seq;
      });
      for (let i = 0; i < keyed.length; i++) records[i] = keyed[i]!.r;
    }
    if (this.cache.size > 16) this.cache.clear();
    if (settled) this.cache.set(query.key, { version: this.store.version, records });
    return records;
  }
}
