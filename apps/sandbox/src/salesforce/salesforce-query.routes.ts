/**
 * query, queryAll and queryMore. A query runs once; its rows (references to the immutable record
 * objects) are kept under a locator and served in batches of up to 2,000. Continuations of both query
 * and queryAll are served at /query/<locator>, which is the only form jsforce ever requests.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_queryall.htm
 */
import type { SandboxRequest, SandboxRouter } from '../common/sandbox-http';
import { salesforceApi, type SalesforceApiContext } from './salesforce-api';
import { SalesforceRequestError } from './salesforce-errors';
import { salesforceId } from './salesforce-ids';
import { executeSoql } from './salesforce-soql.executor';
import { formatSoqlError, parseSoql, SoqlError } from './salesforce-soql.parser';
import type { SalesforceActor, SalesforceRecord, SalesforceTable } from './salesforce-store';

const DEFAULT_BATCH = 2000;
const MIN_BATCH = 200;
/** Open cursors kept; older ones answer INVALID_QUERY_LOCATOR like an expired server-side cursor. */
const MAX_OPEN_CURSORS = 200;

interface QueryCursor {
  type: string;
  fields: string[];
  rows: SalesforceRecord[];
  batchSize: number;
}

export class SalesforceQueryCursors {
  private readonly open = new Map<string, QueryCursor>();
  private counter = 0;

  create(cursor: QueryCursor): string {
    this.counter += 1;
    const id = salesforceId('01g', this.counter);
    this.open.set(id, cursor);
    if (this.open.size > MAX_OPEN_CURSORS) this.open.delete(this.open.keys().next().value!);
    return id;
  }

  get(id: string): QueryCursor | undefined {
    return this.open.get(id);
  }

  close(id: string): void {
    this.open.delete(id);
  }

  clear(): void {
    this.open.clear();
  }
}

/** Serializes one record the way the REST API does: `attributes` first, then the selected fields. */
export function serializeSalesforceRecord(
  record: SalesforceRecord,
  type: string,
  fields: string[],
  version: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type, url: `/services/data/${version}/sobjects/${type}/${record.Id}` } };
  for (let i = 0; i < fields.length; i++) {
    const v = record[fields[i]];
    out[fields[i]] = v === undefined ? null : v;
  }
  return out;
}

function batchSizeOf(request: SandboxRequest): number {
  const m = /batchSize\s*=\s*(\d+)/i.exec(request.headers['sforce-query-options'] ?? '');
  if (!m) return DEFAULT_BATCH;
  return Math.min(DEFAULT_BATCH, Math.max(MIN_BATCH, Number(m[1])));
}

function page(
  cursors: SalesforceQueryCursors,
  locator: string,
  cursor: QueryCursor,
  offset: number,
  version: string,
): Record<string, unknown> {
  const end = Math.min(cursor.rows.length, offset + cursor.batchSize);
  const records = new Array<Record<string, unknown>>(end - offset);
  for (let i = offset; i < end; i++) records[i - offset] = serializeSalesforceRecord(cursor.rows[i], cursor.type, cursor.fields, version);
  const done = end >= cursor.rows.length;
  if (done) cursors.close(locator);
  return done
    ? { totalSize: cursor.rows.length, done: true, records }
    : { totalSize: cursor.rows.length, done: false, nextRecordsUrl: `/services/data/${version}/query/${locator}-${end}`, records };
}

export function runSalesforceQuery(
  ctx: SalesforceApiContext,
  cursors: SalesforceQueryCursors,
  request: SandboxRequest,
  actor: SalesforceActor,
  resolveTable: (name: string) => SalesforceTable | undefined,
  includeDeleted: boolean,
): Record<string, unknown> {
  const soql = request.query.get('q');
  if (soql === null || soql.trim() === '') throw new SalesforceRequestError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  try {
    const parsed = parseSoql(soql);
    const table = resolveTable(parsed.from.name);
    if (!table) {
      throw new SoqlError(
        `sObject type '${parsed.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
        parsed.from.column,
        'INVALID_TYPE',
      );
    }
    const result = executeSoql(parsed, table, (def) => ctx.store.access(table, def, actor).read, { includeDeleted });
    if (result.countOnly) return { totalSize: result.rows.length, done: true, records: [] };
    const cursor: QueryCursor = { type: table.name, fields: result.fields, rows: result.rows, batchSize: batchSizeOf(request) };
    const locator = cursors.create(cursor);
    return page(cursors, locator, cursor, 0, request.params.version);
  } catch (error) {
    if (error instanceof SoqlError) throw new SalesforceRequestError(400, error.errorCode, formatSoqlError(soql, error));
    throw error;
  }
}

export function mountSalesforceQuery(router: SandboxRouter, ctx: SalesforceApiContext, cursors: SalesforceQueryCursors): void {
  const data = (name: string) => ctx.store.table(name);
  const tooling = (name: string) => ctx.store.toolingTable(name);
  router.add(
    'GET',
    '/services/data/:version/query',
    salesforceApi(ctx, (req, actor) => ({ status: 200, body: runSalesforceQuery(ctx, cursors, req, actor, data, false) })),
  );
  router.add(
    'GET',
    '/services/data/:version/queryAll',
    salesforceApi(ctx, (req, actor) => ({ status: 200, body: runSalesforceQuery(ctx, cursors, req, actor, data, true) })),
  );
  router.add(
    'GET',
    '/services/data/:version/tooling/query',
    salesforceApi(ctx, (req, actor) => ({ status: 200, body: runSalesforceQuery(ctx, cursors, req, actor, tooling, false) })),
  );
  const more = salesforceApi(ctx, (req) => {
    const m = /^(01g[0-9A-Za-z]{15})-(\d+)$/.exec(req.params.locator);
    const cursor = m ? cursors.get(m[1]) : undefined;
    if (!m || !cursor || Number(m[2]) >= cursor.rows.length)
      throw new SalesforceRequestError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return { status: 200, body: page(cursors, m[1], cursor, Number(m[2]), req.params.version) };
  });
  router.add('GET', '/services/data/:version/query/:locator', more);
  router.add('GET', '/services/data/:version/tooling/query/:locator', more);
}
