/**
 * sObject resources: describeGlobal, describe, getDeleted / getUpdated, single-record GET / PATCH /
 * DELETE / POST, and the sObject Collections (composite/sobjects) create / update / delete.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm
 */
import type { SandboxRequest, SandboxRouter } from '../common/sandbox-http';
import { SALESFORCE_NO_ACCESS_MESSAGE, salesforceApi, salesforceJsonBody, type SalesforceApiContext } from './salesforce-api';
import { parseSalesforceDateTime, toSalesforceDateTime } from './salesforce-datetime';
import { SalesforceRequestError, type SalesforceSaveError } from './salesforce-errors';
import { normalizeSalesforceId } from './salesforce-ids';
import { serializeSalesforceRecord } from './salesforce-query.routes';
import { describeSalesforceField } from './salesforce-schema';
import type { SalesforceActor, SalesforceStore, SalesforceTable, SalesforceValidation } from './salesforce-store';

/** Maximum records per sObject Collections request. */
export const SALESFORCE_COLLECTION_MAX = 200;
/** getDeleted only reaches back this far (the recycle bin window). */
const DELETED_WINDOW_MS = 15 * 24 * 3600 * 1000;

type SaveResult = { id?: string; success: boolean; errors: SalesforceSaveError[] };

export function describeSalesforceObject(
  store: SalesforceStore,
  table: SalesforceTable,
  actor: SalesforceActor,
  version: string,
): Record<string, unknown> {
  const base = `/services/data/${version}/sobjects/${table.name}`;
  return {
    actionOverrides: [],
    activateable: false,
    childRelationships: [],
    compactLayoutable: true,
    createable: true,
    custom: false,
    customSetting: false,
    deletable: true,
    deprecatedAndHidden: false,
    feedEnabled: false,
    fields: store.visibleFields(table, actor).map((def) => describeSalesforceField(def, store.access(table, def, actor).edit)),
    hasSubtypes: false,
    isSubtype: false,
    keyPrefix: table.keyPrefix,
    label: table.label,
    labelPlural: `${table.label}s`,
    layoutable: true,
    mergeable: table.name === 'Lead' || table.name === 'Case',
    mruEnabled: true,
    name: table.name,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    queryable: true,
    recordTypeInfos: [],
    replicateable: true,
    retrieveable: true,
    searchable: true,
    searchLayoutable: true,
    supportedScopes: [{ label: 'All leads', name: 'everything' }],
    triggerable: true,
    undeletable: true,
    updateable: true,
    urls: {
      compactLayouts: `${base}/describe/compactLayouts`,
      rowTemplate: `${base}/{ID}`,
      defaultValues: `${base}/defaultValues?recordTypeId&fields`,
      describe: `${base}/describe`,
      layouts: `${base}/describe/layouts`,
      sobject: base,
    },
  };
}

function tableOf(store: SalesforceStore, request: SandboxRequest): SalesforceTable {
  const table = store.table(request.params.type);
  if (!table) throw new SalesforceRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return table;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Splits a collection record into its type, id and field values (jsforce sends lowercase `id`). */
function splitCollectionRecord(raw: unknown): { type?: string; id?: unknown; fields: Record<string, unknown> } {
  if (!isRecord(raw)) return { fields: {} };
  const { attributes, id, Id, ...fields } = raw;
  const type = isRecord(attributes) && typeof attributes.type === 'string' ? attributes.type : undefined;
  return { type, id: id ?? Id, fields };
}

function parseRange(request: SandboxRequest): { start: number; end: number } {
  const read = (name: 'start' | 'end'): number => {
    const raw = request.query.get(name);
    if (raw === null)
      throw new SalesforceRequestError(400, 'MISSING_ARGUMENT', `${name} was not specified: pass ?start=<ISO-8601>&end=<ISO-8601>`);
    const ms = parseSalesforceDateTime(raw);
    if (ms === undefined)
      throw new SalesforceRequestError(
        400,
        'INVALID_PARAMETER_VALUE',
        `${name}: '${raw}' is not a valid ISO-8601 dateTime, e.g. 2024-05-05T00:00:00+00:00`,
      );
    // The API ignores seconds: both ends are truncated to the minute.
    return ms - (ms % 60_000);
  };
  const start = read('start');
  const end = read('end');
  if (end <= start) throw new SalesforceRequestError(400, 'INVALID_REPLICATION_DATE', 'end date must be after start date');
  return { start, end };
}

export function mountSalesforceSObjects(router: SandboxRouter, ctx: SalesforceApiContext): void {
  const { store } = ctx;

  const applyUpdate = (
    table: SalesforceTable,
    valid: Array<{ id: string; changes: Record<string, unknown> }>,
    actor: SalesforceActor,
  ): void => {
    if (!valid.length) return;
    store.applyUpdates(table, valid, actor.userId);
    for (const v of valid) ctx.writeLog.record(table.name, v.id, v.changes, actor.userId);
  };

  router.add(
    'GET',
    '/services/data/:version/sobjects',
    salesforceApi(ctx, (req) => ({
      status: 200,
      body: {
        encoding: 'UTF-8',
        maxBatchSize: SALESFORCE_COLLECTION_MAX,
        sobjects: store.allTables().map((t) => ({
          name: t.name,
          label: t.label,
          keyPrefix: t.keyPrefix,
          custom: false,
          queryable: true,
          updateable: true,
          urls: {
            sobject: `/services/data/${req.params.version}/sobjects/${t.name}`,
            describe: `/services/data/${req.params.version}/sobjects/${t.name}/describe`,
          },
        })),
      },
    })),
  );

  router.add(
    'GET',
    '/services/data/:version/sobjects/:type/describe',
    salesforceApi(ctx, (req, actor) => ({
      status: 200,
      body: describeSalesforceObject(store, tableOf(store, req), actor, req.params.version),
    })),
  );

  router.add(
    'GET',
    '/services/data/:version/sobjects/:type/deleted',
    salesforceApi(ctx, (req) => {
      const table = tableOf(store, req);
      const { start, end } = parseRange(req);
      const earliest = Date.now() - DELETED_WINDOW_MS;
      const deletedRecords: Array<{ id: string; deletedDate: string }> = [];
      for (const [id, at] of table.deletedAt) {
        if (at >= start && at <= end + 59_999 && at >= earliest) deletedRecords.push({ id, deletedDate: toSalesforceDateTime(at) });
      }
      return {
        status: 200,
        body: {
          deletedRecords,
          earliestDateAvailable: toSalesforceDateTime(earliest - (earliest % 60_000)),
          latestDateCovered: toSalesforceDateTime(Math.min(end, Date.now() - (Date.now() % 60_000))),
        },
      };
    }),
  );

  router.add(
    'GET',
    '/services/data/:version/sobjects/:type/updated',
    salesforceApi(ctx, (req) => {
      const table = tableOf(store, req);
      const { start, end } = parseRange(req);
      const from = toSalesforceDateTime(start);
      const to = toSalesforceDateTime(end + 59_999);
      const ids = table.records
        .filter((r) => !r.IsDeleted && (r.SystemModstamp as string) >= from && (r.SystemModstamp as string) <= to)
        .map((r) => r.Id);
      return { status: 200, body: { ids, latestDateCovered: toSalesforceDateTime(Math.min(end, Date.now() - (Date.now() % 60_000))) } };
    }),
  );

  router.add(
    'GET',
    '/services/data/:version/sobjects/:type/:id',
    salesforceApi(ctx, (req, actor) => {
      const table = tableOf(store, req);
      const id = normalizeSalesforceId(req.params.id);
      const record = id ? table.get(id) : undefined;
      if (!record) throw new SalesforceRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');
      if (record.IsDeleted) throw new SalesforceRequestError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
      const requested = req.query.get('fields');
      const visible = store.visibleFields(table, actor);
      let fields = visible.map((d) => d.name);
      if (requested) {
        fields = requested.split(',').map((name) => {
          const def = table.field(name.trim());
          if (!def || !store.access(table, def, actor).read)
            throw new SalesforceRequestError(400, 'INVALID_FIELD', `No such column '${name.trim()}' on sobject of type ${table.name}`);
          return def.name;
        });
      }
      return { status: 200, body: serializeSalesforceRecord(record, table.name, fields, req.params.version) };
    }),
  );

  router.add(
    'PATCH',
    '/services/data/:version/sobjects/:type/:id',
    salesforceApi(ctx, (req, actor) => {
      const table = tableOf(store, req);
      const body = salesforceJsonBody(req);
      if (!isRecord(body))
        throw new SalesforceRequestError(400, 'JSON_PARSER_ERROR', 'Expected a JSON object with the field values to update');
      const { attributes: _attributes, ...fields } = body;
      const id = normalizeSalesforceId(req.params.id);
      if (!id || !table.get(id)) throw new SalesforceRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');
      if (table.name === 'FieldPermissions' && !ctx.rights.managePermissionSets) {
        throw new SalesforceRequestError(400, 'INSUFFICIENT_ACCESS_OR_READONLY', SALESFORCE_NO_ACCESS_MESSAGE, []);
      }
      const result = store.validateUpdate(table, id, fields, actor);
      if (!result.ok) {
        const e = result.errors[0];
        throw new SalesforceRequestError(e.statusCode === 'ENTITY_IS_DELETED' ? 404 : 400, e.statusCode, e.message, e.fields);
      }
      applyUpdate(table, [{ id: result.id, changes: result.changes }], actor);
      return { status: 204 };
    }),
  );

  router.add(
    'DELETE',
    '/services/data/:version/sobjects/:type/:id',
    salesforceApi(ctx, (req, actor) => {
      const table = tableOf(store, req);
      const id = normalizeSalesforceId(req.params.id);
      const record = id ? table.get(id) : undefined;
      if (!record) throw new SalesforceRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');
      if (record.IsDeleted) throw new SalesforceRequestError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
      store.softDelete(table, record.Id, actor.userId);
      return { status: 204 };
    }),
  );

  const create = (table: SalesforceTable, fields: Record<string, unknown>, actor: SalesforceActor): SaveResult => {
    if (table.name === 'FieldPermissions' && !ctx.rights.managePermissionSets) {
      return {
        success: false,
        errors: [{ statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: SALESFORCE_NO_ACCESS_MESSAGE, fields: [] }],
      };
    }
    const check = table.name === 'FieldPermissions' ? validateFieldPermission(store, fields) : undefined;
    if (check) return { success: false, errors: [check] };
    const result = store.validateCreate(table, fields, actor);
    if (!result.ok) return { success: false, errors: result.errors };
    const record = store.insert(table, result.changes, actor.userId);
    ctx.writeLog.record(table.name, record.Id, result.changes, actor.userId);
    return { id: record.Id, success: true, errors: [] };
  };

  router.add(
    'POST',
    '/services/data/:version/sobjects/:type',
    salesforceApi(ctx, (req, actor) => {
      const table = tableOf(store, req);
      const body = salesforceJsonBody(req);
      if (!isRecord(body)) throw new SalesforceRequestError(400, 'JSON_PARSER_ERROR', 'Expected a JSON object with the new record');
      const { attributes: _attributes, ...fields } = body;
      const result = create(table, fields, actor);
      if (!result.success) {
        const e = result.errors[0];
        throw new SalesforceRequestError(400, e.statusCode, e.message, e.fields);
      }
      return { status: 201, body: result };
    }),
  );

  const collectionBody = (req: SandboxRequest): { allOrNone: boolean; records: unknown[] } => {
    const body = salesforceJsonBody(req);
    if (!isRecord(body) || !Array.isArray(body.records)) {
      throw new SalesforceRequestError(
        400,
        'JSON_PARSER_ERROR',
        'Expected {"allOrNone": boolean, "records": [...]} with each record carrying attributes.type',
      );
    }
    if (body.records.length > SALESFORCE_COLLECTION_MAX) {
      throw new SalesforceRequestError(
        400,
        'EXCEEDED_ID_LIMIT',
        'record limit reached. cannot submit more than 200 records into this call',
      );
    }
    return { allOrNone: body.allOrNone === true, records: body.records };
  };

  router.add(
    'PATCH',
    '/services/data/:version/composite/sobjects',
    salesforceApi(ctx, (req, actor) => {
      const { allOrNone, records } = collectionBody(req);
      const checks: Array<{ table?: SalesforceTable; result: SalesforceValidation }> = records.map((raw) => {
        const { type, id, fields } = splitCollectionRecord(raw);
        const table = type ? store.table(type) : undefined;
        if (!type || !table) {
          return {
            result: {
              ok: false,
              errors: [
                {
                  statusCode: 'INVALID_TYPE',
                  message: type ? `sObject type '${type}' is not supported.` : 'Must send a concrete entity type.',
                  fields: [],
                },
              ],
            },
          };
        }
        if (id === undefined)
          return {
            table,
            result: { ok: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }] },
          };
        return { table, result: store.validateUpdate(table, id, fields, actor) };
      });
      const anyFailed = checks.some((c) => !c.result.ok);
      if (allOrNone && anyFailed) return { status: 200, body: checks.map((c) => rolledBack(c.result)) };
      // One transaction per request: every record written by this call shares one SystemModstamp.
      const byTable = new Map<SalesforceTable, Array<{ id: string; changes: Record<string, unknown> }>>();
      for (const c of checks) {
        if (!c.result.ok) continue;
        const list = byTable.get(c.table!) ?? [];
        list.push({ id: c.result.id, changes: c.result.changes });
        byTable.set(c.table!, list);
      }
      for (const [table, valid] of byTable) applyUpdate(table, valid, actor);
      return {
        status: 200,
        body: checks.map((c): SaveResult =>
          c.result.ok ? { id: c.result.id, success: true, errors: [] } : { success: false, errors: c.result.errors },
        ),
      };
    }),
  );

  router.add(
    'POST',
    '/services/data/:version/composite/sobjects',
    salesforceApi(ctx, (req, actor) => {
      const { allOrNone, records } = collectionBody(req);
      const parsed = records.map((raw) => {
        const { type, fields } = splitCollectionRecord(raw);
        return { table: type ? store.table(type) : undefined, type, fields };
      });
      const precheck = parsed.map((p): SalesforceValidation => {
        if (!p.table)
          return { ok: false, errors: [{ statusCode: 'INVALID_TYPE', message: 'Must send a concrete entity type.', fields: [] }] };
        return store.validateCreate(p.table, p.fields, actor);
      });
      if (allOrNone && precheck.some((r) => !r.ok)) return { status: 200, body: precheck.map(rolledBack) };
      return {
        status: 200,
        body: parsed.map((p, i): SaveResult =>
          precheck[i].ok
            ? create(p.table!, p.fields, actor)
            : { success: false, errors: (precheck[i] as { errors: SalesforceSaveError[] }).errors },
        ),
      };
    }),
  );

  router.add(
    'DELETE',
    '/services/data/:version/composite/sobjects',
    salesforceApi(ctx, (req, actor) => {
      const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
      if (ids.length > SALESFORCE_COLLECTION_MAX)
        throw new SalesforceRequestError(
          400,
          'EXCEEDED_ID_LIMIT',
          'record limit reached. cannot submit more than 200 records into this call',
        );
      return {
        status: 200,
        body: ids.map((raw): SaveResult => {
          const id = normalizeSalesforceId(raw);
          const table = id ? store.allTables().find((t) => id.startsWith(t.keyPrefix)) : undefined;
          const record = id && table ? table.get(id) : undefined;
          if (!record || !table)
            return { success: false, errors: [{ statusCode: 'MALFORMED_ID', message: `malformed id ${raw}`, fields: [] }] };
          if (record.IsDeleted)
            return { success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] };
          store.softDelete(table, record.Id, actor.userId);
          return { id: record.Id, success: true, errors: [] };
        }),
      };
    }),
  );
}

function rolledBack(result: SalesforceValidation): SaveResult {
  if (!result.ok) return { success: false, errors: result.errors };
  return {
    id: result.id || undefined,
    success: false,
    errors: [
      {
        statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
        message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
        fields: [],
      },
    ],
  };
}

/** FieldPermissions rules the platform enforces: a real permission set, an existing permissionable field, Edit needs Read, one row per field. */
function validateFieldPermission(store: SalesforceStore, fields: Record<string, unknown>): SalesforceSaveError | undefined {
  const parentId = normalizeSalesforceId(fields.ParentId);
  const permissionSets = store.table('PermissionSet')!;
  if (!parentId || !permissionSets.get(parentId)) {
    return {
      statusCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: `invalid cross reference id: ParentId must be a PermissionSet id, got ${String(fields.ParentId)}`,
      fields: ['ParentId'],
    };
  }
  const fullName = String(fields.Field ?? '');
  const [objectName, fieldName] = fullName.split('.');
  const table = objectName ? store.table(objectName) : undefined;
  const def = table && fieldName ? table.field(fieldName) : undefined;
  if (!table || !def || String(fields.SobjectType ?? '').toLowerCase() !== table.name.toLowerCase()) {
    return {
      statusCode: 'INVALID_FIELD',
      message: `Field must be '<SobjectType>.<FieldName>' of an existing field with SobjectType matching; got Field='${fullName}', SobjectType='${String(fields.SobjectType)}'`,
      fields: ['Field'],
    };
  }
  if (!def.custom)
    return { statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: `Field ${fullName} is not permissionable`, fields: ['Field'] };
  if (fields.PermissionsEdit === true && fields.PermissionsRead !== true) {
    return {
      statusCode: 'FIELD_INTEGRITY_EXCEPTION',
      message: `Permission Edit ${fullName} depends on permission(s): Read ${fullName}`,
      fields: ['PermissionsRead'],
    };
  }
  const duplicate = store
    .table('FieldPermissions')!
    .records.find((r) => !r.IsDeleted && r.ParentId === parentId && String(r.Field).toLowerCase() === fullName.toLowerCase());
  if (duplicate)
    return {
      statusCode: 'DUPLICATE_VALUE',
      message: `duplicate value found: Field duplicates value on record with id: ${duplicate.Id}`,
      fields: [],
    };
  return undefined;
}
