/**
 * The in-memory org: one table per sObject (array + id → index map), field-level security for fields
 * created through the Tooling API, and the write path that stamps SystemModstamp / LastModifiedById.
 * Records are plain objects replaced copy-on-write, so a query snapshot (an array of references) never
 * sees later writes and nothing is cloned on the read path.
 */
import { normalizeSalesforceId, salesforceId } from './salesforce-ids';
import { isSalesforceDate, parseSalesforceDateTime, toSalesforceDateTime } from './salesforce-datetime';
import type { SalesforceSaveError } from './salesforce-errors';
import { SalesforceModstampIndex } from './salesforce-modstamp.index';
import type { SalesforceFieldDef } from './salesforce-schema';

export type SalesforceRecord = Record<string, unknown> & { Id: string };

export interface SalesforceActor {
  userId: string;
  /** API calls run as the integration user and see only permitted fields; the control API is an admin. */
  enforceFieldSecurity: boolean;
}

export type SalesforceValidation =
  { ok: true; id: string; changes: Record<string, unknown> } | { ok: false; errors: SalesforceSaveError[] };

export class SalesforceTable {
  readonly fields = new Map<string, SalesforceFieldDef>();
  private readonly fieldByLowerName = new Map<string, string>();
  records: SalesforceRecord[] = [];
  private index = new Map<string, number>();
  /** Deleted ids → deletion time (epoch ms), for getDeleted. */
  readonly deletedAt = new Map<string, number>();
  private counter = 0;
  private autoNumber = 1000;
  /** (SystemModstamp, Id) order for the incremental-sync query shape. */
  readonly modstamps = new SalesforceModstampIndex(() => this.records);

  constructor(
    readonly name: string,
    readonly label: string,
    readonly keyPrefix: string,
    fields: SalesforceFieldDef[],
  ) {
    for (const def of fields) this.addField(def);
  }

  addField(def: SalesforceFieldDef): void {
    this.fields.set(def.name, def);
    this.fieldByLowerName.set(def.name.toLowerCase(), def.name);
  }

  /** Case-insensitive, like SOQL and the REST API. */
  field(name: string): SalesforceFieldDef | undefined {
    const canonical = this.fieldByLowerName.get(name.toLowerCase());
    return canonical === undefined ? undefined : this.fields.get(canonical);
  }

  get(id: string): SalesforceRecord | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.records[i];
  }

  nextId(): string {
    this.counter += 1;
    return salesforceId(this.keyPrefix, this.counter);
  }

  nextAutoNumber(): string {
    this.autoNumber += 1;
    return String(this.autoNumber).padStart(8, '0');
  }

  insert(record: SalesforceRecord): void {
    this.index.set(record.Id, this.records.length);
    this.records.push(record);
    this.modstamps.note(record.Id, record.SystemModstamp);
  }

  replace(record: SalesforceRecord): void {
    const i = this.index.get(record.Id);
    if (i === undefined) throw new Error(`${this.name} ${record.Id} does not exist`);
    this.records[i] = record;
    this.modstamps.note(record.Id, record.SystemModstamp);
  }

  clear(): void {
    this.records = [];
    this.index = new Map();
    this.deletedAt.clear();
    this.counter = 0;
    this.autoNumber = 1000;
    this.modstamps.invalidate();
  }

  /** Bulk replace used by seeding: one pass, no per-record map churn beyond the index. */
  load(records: SalesforceRecord[], counter: number): void {
    this.records = records;
    this.index = new Map();
    for (let i = 0; i < records.length; i++) this.index.set(records[i].Id, i);
    this.deletedAt.clear();
    this.counter = counter;
    this.modstamps.invalidate();
  }

  liveCount(): number {
    return this.records.length - this.deletedAt.size;
  }
}

export interface SalesforceFieldAccess {
  read: boolean;
  edit: boolean;
}

export class SalesforceStore {
  private readonly tables = new Map<string, SalesforceTable>();
  private readonly tablesByLowerName = new Map<string, SalesforceTable>();
  private readonly toolingTables = new Map<string, SalesforceTable>();
  private lastStampMs = 0;
  private fieldAccess = new Map<string, SalesforceFieldAccess>();
  private readonly listeners: Array<(object: string, ids: string[]) => void> = [];
  /** Permission sets assigned to the integration user: FieldPermissions on these grant it field access. */
  integrationPermissionSetIds = new Set<string>();

  addTable(table: SalesforceTable, tooling = false): SalesforceTable {
    if (tooling) {
      this.toolingTables.set(table.name.toLowerCase(), table);
    } else {
      this.tables.set(table.name, table);
      this.tablesByLowerName.set(table.name.toLowerCase(), table);
    }
    return table;
  }

  /** Drops every table (reset); the org builder adds them again. */
  clearTables(): void {
    this.tables.clear();
    this.tablesByLowerName.clear();
    this.toolingTables.clear();
    this.fieldAccess = new Map();
    this.integrationPermissionSetIds = new Set();
  }

  table(name: string): SalesforceTable | undefined {
    return this.tablesByLowerName.get(name.toLowerCase());
  }

  toolingTable(name: string): SalesforceTable | undefined {
    return this.toolingTables.get(name.toLowerCase());
  }

  allTables(): SalesforceTable[] {
    return [...this.tables.values()];
  }

  onChange(listener: (object: string, ids: string[]) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Millisecond stamps, strictly increasing between calls so a write always moves SystemModstamp
   * forward; everything written by one call (a collection, a bulk touch, a seed) shares one stamp.
   */
  nextStamp(): string {
    this.lastStampMs = Math.max(Date.now(), this.lastStampMs + 1);
    return toSalesforceDateTime(this.lastStampMs);
  }

  access(table: SalesforceTable, def: SalesforceFieldDef, actor: SalesforceActor): SalesforceFieldAccess {
    if (!def.needsFieldPermission || !actor.enforceFieldSecurity) return { read: true, edit: def.updateable };
    const granted = this.fieldAccess.get(`${table.name}.${def.name}`);
    return { read: granted?.read ?? false, edit: (granted?.edit ?? false) && def.updateable };
  }

  /** The fields an actor can see, in definition order (describe, SELECT lists, GET record). */
  visibleFields(table: SalesforceTable, actor: SalesforceActor): SalesforceFieldDef[] {
    const out: SalesforceFieldDef[] = [];
    for (const def of table.fields.values()) if (this.access(table, def, actor).read) out.push(def);
    return out;
  }

  /** Rebuilt after every FieldPermissions write (they are few; reads stay a map lookup). */
  recomputeFieldAccess(): void {
    const access = new Map<string, SalesforceFieldAccess>();
    const permissions = this.table('FieldPermissions');
    for (const row of permissions?.records ?? []) {
      if (row.IsDeleted || !this.integrationPermissionSetIds.has(row.ParentId as string)) continue;
      const key = row.Field as string;
      const current = access.get(key) ?? { read: false, edit: false };
      access.set(key, { read: current.read || row.PermissionsRead === true, edit: current.edit || row.PermissionsEdit === true });
    }
    this.fieldAccess = access;
  }

  validateUpdate(table: SalesforceTable, rawId: unknown, fields: Record<string, unknown>, actor: SalesforceActor): SalesforceValidation {
    const id = normalizeSalesforceId(rawId);
    if (id === undefined || !id.startsWith(table.keyPrefix)) {
      return fail('MALFORMED_ID', `${table.label} ID: id value of incorrect type: ${String(rawId)}`, ['Id']);
    }
    const existing = table.get(id);
    if (!existing) return fail('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
    if (existing.IsDeleted) return fail('ENTITY_IS_DELETED', 'entity is deleted', []);
    return this.validateFields(table, id, fields, actor, 'update');
  }

  validateCreate(table: SalesforceTable, fields: Record<string, unknown>, actor: SalesforceActor): SalesforceValidation {
    const result = this.validateFields(table, '', fields, actor, 'create');
    if (!result.ok) return result;
    const missing = [...table.fields.values()].filter(
      (def) =>
        !def.nillable &&
        def.createable &&
        def.type !== 'boolean' &&
        def.defaultValue === undefined &&
        def.name !== 'OwnerId' &&
        result.changes[def.name] == null,
    );
    if (missing.length)
      return fail(
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.map((d) => d.name).join(', ')}]`,
        missing.map((d) => d.name),
      );
    return result;
  }

  applyUpdates(
    table: SalesforceTable,
    updates: Array<{ id: string; changes: Record<string, unknown> }>,
    userId: string,
    stamp = this.nextStamp(),
  ): string {
    const ids: string[] = [];
    for (const { id, changes } of updates) {
      const current = table.get(id)!;
      const next: SalesforceRecord = {
        ...current,
        ...changes,
        Id: id,
        LastModifiedDate: stamp,
        LastModifiedById: userId,
        SystemModstamp: stamp,
      };
      deriveFields(table.name, next, stamp);
      table.replace(next);
      ids.push(id);
    }
    if (table.name === 'FieldPermissions') this.recomputeFieldAccess();
    this.emit(table.name, ids);
    return stamp;
  }

  insert(table: SalesforceTable, changes: Record<string, unknown>, userId: string, stamp = this.nextStamp()): SalesforceRecord {
    const record = {} as SalesforceRecord;
    for (const def of table.fields.values()) {
      record[def.name] = def.defaultValue ?? (def.type === 'boolean' ? false : null);
    }
    Object.assign(record, changes);
    record.Id = table.nextId();
    record.IsDeleted = false;
    record.CreatedDate = stamp;
    record.CreatedById = userId;
    record.LastModifiedDate = stamp;
    record.LastModifiedById = userId;
    record.SystemModstamp = stamp;
    if (table.fields.has('OwnerId') && record.OwnerId == null) record.OwnerId = userId;
    if (table.fields.has('CaseNumber')) record.CaseNumber = table.nextAutoNumber();
    deriveFields(table.name, record, stamp);
    table.insert(record);
    if (table.name === 'FieldPermissions') this.recomputeFieldAccess();
    this.emit(table.name, [record.Id]);
    return record;
  }

  /** Soft delete: the record stays for queryAll (IsDeleted = true) and getDeleted until purged. */
  softDelete(table: SalesforceTable, id: string, userId: string): void {
    const current = table.get(id);
    if (!current || current.IsDeleted) return;
    const stamp = this.nextStamp();
    table.replace({ ...current, IsDeleted: true, LastModifiedById: userId, LastModifiedDate: stamp, SystemModstamp: stamp });
    table.deletedAt.set(id, Date.parse(stamp.replace('+0000', 'Z')));
    if (table.name === 'FieldPermissions') this.recomputeFieldAccess();
  }

  private emit(object: string, ids: string[]): void {
    for (const listener of this.listeners) listener(object, ids);
  }

  private validateFields(
    table: SalesforceTable,
    id: string,
    fields: Record<string, unknown>,
    actor: SalesforceActor,
    mode: 'create' | 'update',
  ): SalesforceValidation {
    const changes: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields)) {
      const def = table.field(name);
      const access = def ? this.access(table, def, actor) : undefined;
      if (!def || !access!.read) return fail('INVALID_FIELD', `No such column '${name}' on sobject of type ${table.name}`, [name]);
      const writable =
        mode === 'create' ? def.createable && (access!.edit || !def.needsFieldPermission || !actor.enforceFieldSecurity) : access!.edit;
      if (!writable) {
        return fail(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${def.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [def.name],
        );
      }
      const coerced = coerceSalesforceValue(def, value);
      if ('error' in coerced) return { ok: false, errors: [coerced.error] };
      changes[def.name] = coerced.value;
    }
    return { ok: true, id, changes };
  }
}

function fail(statusCode: string, message: string, fields: string[]): SalesforceValidation {
  return { ok: false, errors: [{ statusCode, message, fields }] };
}

/** Fields the platform computes: a Lead's Name, a Case's IsClosed / ClosedDate. */
function deriveFields(object: string, record: SalesforceRecord, stamp: string): void {
  if (object === 'Lead' || object === 'User') {
    record.Name = [record.FirstName, record.LastName].filter((p) => typeof p === 'string' && p !== '').join(' ');
  } else if (object === 'Case') {
    const closed = record.Status === 'Closed';
    if (closed && !record.IsClosed) record.ClosedDate = stamp;
    if (!closed) record.ClosedDate = null;
    record.IsClosed = closed;
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Type checks of the REST API, with the platform's messages (field label first). */
export function coerceSalesforceValue(def: SalesforceFieldDef, value: unknown): { value: unknown } | { error: SalesforceSaveError } {
  const bad = (statusCode: string, message: string) => ({ error: { statusCode, message, fields: [def.name] } });
  if (value === null || value === undefined) {
    if (!def.nillable) return bad('REQUIRED_FIELD_MISSING', `Required fields are missing: [${def.name}]`);
    return { value: null };
  }
  if (typeof value === 'object')
    return bad(
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of ${def.type} from ${Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT'} value for field ${def.name}`,
    );
  switch (def.type) {
    case 'boolean':
      if (typeof value === 'boolean') return { value };
      if (value === 'true' || value === 'false') return { value: value === 'true' };
      return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `${def.label}: value not of required type: ${String(value)}`);
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `${def.label}: value not of required type: ${String(value)}`);
      const scale = def.type === 'int' ? 0 : (def.scale ?? 0);
      const precision = def.precision ?? 18;
      const rounded = Number(n.toFixed(scale));
      if (Math.abs(Math.trunc(rounded)).toString().length > precision - scale && Math.trunc(rounded) !== 0) {
        return bad('NUMBER_OUTSIDE_VALID_RANGE', `${def.label}: value outside of valid range on numeric field: ${String(value)}`);
      }
      return { value: rounded };
    }
    case 'date': {
      const text = String(value);
      if (!isSalesforceDate(text.slice(0, 10)))
        return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `${def.label}: value not of required type: ${text}`);
      return { value: text.slice(0, 10) };
    }
    case 'datetime': {
      const ms = parseSalesforceDateTime(String(value));
      if (ms === undefined) return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `${def.label}: value not of required type: ${String(value)}`);
      return { value: toSalesforceDateTime(ms) };
    }
    case 'id':
    case 'reference': {
      const id = normalizeSalesforceId(value);
      if (!id) return bad('MALFORMED_ID', `${def.label}: id value of incorrect type: ${String(value)}`);
      return { value: id };
    }
    default: {
      const text = typeof value === 'string' ? value : String(value);
      const max = def.length ?? 255;
      if (text.length > max)
        return bad('STRING_TOO_LONG', `${def.label}: data value too large: ${text.slice(0, 40)}... (max length=${max})`);
      if (def.type === 'email' && text !== '' && !EMAIL.test(text))
        return bad('INVALID_EMAIL_ADDRESS', `${def.label}: invalid email address: ${text}`);
      if (def.type === 'picklist' && def.restrictedPicklist && !(def.picklistValues ?? []).includes(text)) {
        return bad('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${def.label}: bad value for restricted picklist field: ${text}`);
      }
      return { value: text };
    }
  }
}
