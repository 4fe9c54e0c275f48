/**
 * Runs a parsed SOQL query against a table: resolves field names case-insensitively (only the fields
 * the caller may see), type-checks literals against field types like the platform, compiles WHERE into
 * a predicate and ORDER BY into one comparator. Stored datetimes share one string format, so datetime
 * comparisons are plain string comparisons.
 */
import { toSalesforceDateTime } from './salesforce-datetime';
import type { SalesforceFieldDef } from './salesforce-schema';
import type { SalesforceRecord, SalesforceTable } from './salesforce-store';
import { SoqlError, type SoqlCondition, type SoqlQuery, type SoqlValue } from './salesforce-soql.parser';

export interface SoqlResult {
  /** Canonical field names to return, in SELECT order. */
  fields: string[];
  rows: SalesforceRecord[];
  /** SELECT COUNT(): only totalSize is returned. */
  countOnly: boolean;
}

type Predicate = (record: SalesforceRecord) => boolean;

export function executeSoql(
  query: SoqlQuery,
  table: SalesforceTable,
  canRead: (def: SalesforceFieldDef) => boolean,
  options: { includeDeleted: boolean },
): SoqlResult {
  const resolve = (name: string, column: number): SalesforceFieldDef => {
    const def = table.field(name);
    if (!def || !canRead(def)) {
      throw new SoqlError(
        `No such column '${name}' on entity '${table.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        column,
        'INVALID_FIELD',
      );
    }
    return def;
  };
  const fields = query.fields.map((f) => resolve(f.name, f.column).name);
  const predicate = query.where ? compile(query.where, resolve) : undefined;
  const includeDeleted = options.includeDeleted;
  if (ordersByModstamp(query, resolve))
    return { fields, rows: scanModstampIndex(query, table, predicate, includeDeleted), countOnly: query.count };
  let rows: SalesforceRecord[] = [];
  const source = table.records;
  for (let i = 0; i < source.length; i++) {
    const r = source[i];
    if (!includeDeleted && r.IsDeleted === true) continue;
    if (predicate && !predicate(r)) continue;
    rows.push(r);
  }
  if (query.orderBy.length) rows.sort(comparator(query, resolve));
  if (query.offset) rows = rows.slice(query.offset);
  if (query.limit !== undefined && rows.length > query.limit) rows = rows.slice(0, query.limit);
  return { fields, rows, countOnly: query.count };
}

/** `ORDER BY SystemModstamp [ASC][, Id [ASC]]`: the shape the modstamp index serves. */
function ordersByModstamp(query: SoqlQuery, resolve: (name: string, column: number) => SalesforceFieldDef): boolean {
  const [first, second, ...rest] = query.orderBy;
  if (!first || rest.length || first.descending || resolve(first.field, first.column).name !== 'SystemModstamp') return false;
  return !second || (!second.descending && resolve(second.field, second.column).name === 'Id');
}

function scanModstampIndex(
  query: SoqlQuery,
  table: SalesforceTable,
  predicate: Predicate | undefined,
  includeDeleted: boolean,
): SalesforceRecord[] {
  const index = table.modstamps;
  const bound = query.where ? modstampLowerBound(query.where) : undefined;
  const { stamps, ids } = index.view();
  const wanted = query.limit === undefined ? Infinity : (query.offset ?? 0) + query.limit;
  const rows: SalesforceRecord[] = [];
  for (let i = bound === undefined ? 0 : index.lowerBound(bound); i < stamps.length && rows.length < wanted; i++) {
    if (!index.isCurrent(i)) continue;
    const r = table.get(ids[i]);
    if (!r || (!includeDeleted && r.IsDeleted === true)) continue;
    if (predicate && !predicate(r)) continue;
    rows.push(r);
  }
  return query.offset ? rows.slice(query.offset) : rows;
}

/** The smallest SystemModstamp a matching record can have, when the WHERE clause implies one. */
function modstampLowerBound(condition: SoqlCondition): string | undefined {
  switch (condition.kind) {
    case 'compare':
      if (condition.field.toLowerCase() !== 'systemmodstamp' || condition.value.kind !== 'datetime') return undefined;
      return condition.op === '>' || condition.op === '>=' || condition.op === '='
        ? toSalesforceDateTime(condition.value.value)
        : undefined;
    case 'and': {
      const bounds = condition.items.map(modstampLowerBound).filter((b): b is string => b !== undefined);
      return bounds.length ? bounds.reduce((a, b) => (a > b ? a : b)) : undefined;
    }
    case 'or': {
      const bounds = condition.items.map(modstampLowerBound);
      if (bounds.some((b) => b === undefined)) return undefined;
      return (bounds as string[]).reduce((a, b) => (a < b ? a : b));
    }
    default:
      return undefined;
  }
}

function compile(condition: SoqlCondition, resolve: (name: string, column: number) => SalesforceFieldDef): Predicate {
  switch (condition.kind) {
    case 'and': {
      const parts = condition.items.map((c) => compile(c, resolve));
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      const parts = condition.items.map((c) => compile(c, resolve));
      return (r) => parts.some((p) => p(r));
    }
    case 'not': {
      const inner = compile(condition.item, resolve);
      return (r) => !inner(r);
    }
    case 'like': {
      const def = resolve(condition.field, condition.column);
      if (!isText(def))
        throw new SoqlError(`invalid operator on ${def.type} field: LIKE`, condition.column, 'INVALID_QUERY_FILTER_OPERATOR');
      const source = condition.pattern
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/%/g, '.*')
        .replace(/_/g, '.');
      const re = new RegExp(`^${source}$`, 'is');
      const name = def.name;
      return (r) => typeof r[name] === 'string' && re.test(r[name] as string);
    }
    case 'in': {
      const def = resolve(condition.field, condition.column);
      const keys = new Set(condition.values.map((v) => literalKey(def, v, condition.column)));
      const name = def.name;
      const negated = condition.negated;
      const text = isText(def);
      return (r) => {
        const v = r[name];
        const key = v === null || v === undefined ? null : text ? String(v).toLowerCase() : (v as string | number | boolean);
        return keys.has(key) !== negated;
      };
    }
    case 'compare': {
      const def = resolve(condition.field, condition.column);
      const name = def.name;
      const op = condition.op;
      if (condition.value.kind === 'null') {
        if (op !== '=' && op !== '!=')
          throw new SoqlError(`invalid operator for null: ${op}`, condition.column, 'INVALID_QUERY_FILTER_OPERATOR');
        return op === '=' ? (r) => r[name] == null : (r) => r[name] != null;
      }
      if (def.type === 'boolean' && op !== '=' && op !== '!=') {
        throw new SoqlError(`invalid operator on boolean field: ${op}`, condition.column, 'INVALID_QUERY_FILTER_OPERATOR');
      }
      const key = literalKey(def, condition.value, condition.column);
      const text = isText(def);
      return (r) => {
        const raw = r[name];
        if (raw === null || raw === undefined) return op === '!=';
        const v = text ? String(raw).toLowerCase() : (raw as string | number | boolean);
        switch (op) {
          case '=':
            return v === key;
          case '!=':
            return v !== key;
          case '<':
            return v! < key!;
          case '<=':
            return v! <= key!;
          case '>':
            return v! > key!;
          case '>=':
            return v! >= key!;
        }
      };
    }
  }
}

function isText(def: SalesforceFieldDef): boolean {
  return ['string', 'textarea', 'email', 'phone', 'url', 'picklist'].includes(def.type);
}

/** Literal → the comparable form stored in records; the type must match the field like on the platform. */
function literalKey(def: SalesforceFieldDef, value: SoqlValue, column: number): string | number | boolean | null {
  const mismatch = (expected: string, hint = '') =>
    new SoqlError(
      `value of filter criterion for field '${def.name}' must be of type ${expected}${hint}`,
      column,
      'INVALID_QUERY_FILTER_OPERATOR',
    );
  if (value.kind === 'null') return null;
  switch (def.type) {
    case 'datetime':
      if (value.kind !== 'datetime') throw mismatch('dateTime', ' and should not be enclosed in quotes');
      return toSalesforceDateTime(value.value);
    case 'date':
      if (value.kind !== 'date') throw mismatch('date', ' and should not be enclosed in quotes');
      return value.value;
    case 'boolean':
      if (value.kind !== 'boolean') throw mismatch('boolean', ' and should not be enclosed in quotes');
      return value.value;
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      if (value.kind !== 'number') throw mismatch('double', ' and should not be enclosed in quotes');
      return value.value;
    case 'id':
    case 'reference':
      if (value.kind !== 'string') throw mismatch('id', ' and should be enclosed in quotes');
      return value.value;
    default:
      if (value.kind !== 'string') throw mismatch('string', ' and should be enclosed in quotes');
      return value.value.toLowerCase();
  }
}

function comparator(
  query: SoqlQuery,
  resolve: (name: string, column: number) => SalesforceFieldDef,
): (a: SalesforceRecord, b: SalesforceRecord) => number {
  const keys = query.orderBy.map((o) => {
    const def = resolve(o.field, o.column);
    return { name: def.name, text: isText(def), dir: o.descending ? -1 : 1, nullsLast: o.nullsLast };
  });
  return (a, b) => {
    for (const k of keys) {
      const x = a[k.name];
      const y = b[k.name];
      if (x === y) continue;
      if (x == null || y == null) {
        if (x == null && y == null) continue;
        return (x == null) === k.nullsLast ? 1 : -1;
      }
      let c: number;
      if (k.text) {
        const xl = (x as string).toLowerCase();
        const yl = (y as string).toLowerCase();
        c = xl < yl ? -1 : xl > yl ? 1 : x < y ? -1 : x > y ? 1 : 0;
      } else {
        c = (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
      }
      if (c !== 0) return c * k.dir;
    }
    return 0;
  };
}
