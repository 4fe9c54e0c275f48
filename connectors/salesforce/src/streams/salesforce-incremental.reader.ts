/**
 * One page of an incremental (or full) sync of a Salesforce stream.
 *
 * - Order is `SystemModstamp, Id`; pages are keyset-paginated on that pair (`LIMIT pageSize`), so a
 *   run has no 10,000-record cap, needs no server-side query locator (they expire after 15 minutes
 *   idle) and resumes exactly from its saved cursor after a crash.
 * - An incremental run starts right after the committed (modstamp, id) and still drops anything at or
 *   before it (compound-cursor.ts), so records sharing one modstamp across a page boundary are neither
 *   missed nor duplicated. Re-reading a lookback window first would only re-fetch records that the
 *   cursor dedupe then drops (a bulk load puts thousands on one stamp), so the window (`lookbackMs`)
 *   is applied where it can still find something: the getDeleted range at the end of the run.
 * - It reads with queryAll, so soft-deleted rows (IsDeleted = true) arrive in the same order and become
 *   deletedIds; the last page of an incremental run adds getDeleted for the run's window (records
 *   already purged from the recycle bin). Deletes only ever come from those explicit vendor listings.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_queryall.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm
 */
import {
  ConnectorException,
  decodeCursor,
  encodeCursor,
  isAfterCursor,
  lookbackStart,
  type CompoundCursor,
  type FetchPageRequest,
  type FetchPageResult,
  type SyncedRecord,
} from '@fieldcast/connector-sdk';
import type { Connection } from 'jsforce';
import {
  isoToSoqlDateTime,
  mapSalesforceRecord,
  salesforceDateTimeToIso,
  type SalesforceRawRecord,
} from '../mappers/salesforce-record.mapper';
import type { SalesforceStreamDefinition } from './salesforce-stream.types';

/** The most records one SOQL batch returns. */
export const SALESFORCE_MAX_PAGE = 2000;
const SALESFORCE_ID = /^[a-zA-Z0-9]{15,18}$/;

type SalesforceCall = <T>(endpoint: string, call: (conn: Connection) => PromiseLike<T>) => Promise<T>;

interface ScanPhase {
  mode: 'full' | 'incremental';
  /** Keyset position: the last record scanned (emitted or not). */
  scanModstamp: string;
  scanId: string;
  /** Lower bound of this run's window, for getDeleted at the end (incremental runs only). */
  runStart: string;
}

function readPhase(cursor: CompoundCursor | null): ScanPhase | undefined {
  const p = cursor?.phase;
  if (!p || typeof p.scanModstamp !== 'string' || typeof p.scanId !== 'string') return undefined;
  return {
    mode: p.mode === 'full' ? 'full' : 'incremental',
    scanModstamp: p.scanModstamp,
    scanId: p.scanId,
    runStart: String(p.runStart ?? ''),
  };
}

function soqlId(id: string): string {
  if (!SALESFORCE_ID.test(id))
    throw new ConnectorException('INVALID_CURSOR', `the saved Salesforce cursor holds an invalid record id '${id}'`);
  return `'${id}'`;
}

export async function fetchSalesforcePage(
  stream: SalesforceStreamDefinition,
  fields: string[],
  request: FetchPageRequest,
  options: { lookbackMs: number; now?: () => number },
  call: SalesforceCall,
): Promise<FetchPageResult> {
  const cursor = decodeCursor(request.cursor);
  if (request.cursor && !cursor) {
    throw new ConnectorException(
      'INVALID_CURSOR',
      `the saved cursor of stream ${stream.descriptor.name} is not a Salesforce (SystemModstamp, Id) cursor; start a full sync`,
    );
  }
  const pageSize = Math.max(1, Math.min(SALESFORCE_MAX_PAGE, Math.floor(request.pageSize) || SALESFORCE_MAX_PAGE));
  const phase = readPhase(cursor);
  const full = phase ? phase.mode === 'full' : request.mode === 'full' || cursor === null;
  const committed: CompoundCursor | null = cursor ? { modstamp: cursor.modstamp, id: cursor.id } : null;
  const baseline = full ? null : committed;

  // Keyset position: inside a run the last record scanned, at the start of an incremental run the
  // committed cursor itself, so ties on one modstamp are split by Id and nothing is scanned twice.
  const scan = phase ? { modstamp: phase.scanModstamp, id: phase.scanId } : !full ? committed : null;
  let runStart = phase?.runStart ?? '';
  if (!phase && !full && committed) runStart = lookbackStart(committed, options.lookbackMs)!.toISOString();
  let where = '';
  if (scan) {
    const t = isoToSoqlDateTime(scan.modstamp);
    where = ` WHERE (SystemModstamp > ${t} OR (SystemModstamp = ${t} AND Id > ${soqlId(scan.id)}))`;
  }
  const soql = `SELECT ${fields.join(', ')} FROM ${stream.sobject}${where} ORDER BY SystemModstamp, Id LIMIT ${pageSize}`;
  const result = await call(`GET queryAll ${stream.sobject}`, (conn) => conn.query<SalesforceRawRecord>(soql, { scanAll: true }));
  const scanned = result.records;

  const records: SyncedRecord[] = [];
  const deleted = new Set<string>();
  let last: CompoundCursor | null = null;
  for (const raw of scanned) {
    const record = mapSalesforceRecord(raw, stream.sobject);
    if (!afterCommitted(record, baseline)) continue;
    last = { modstamp: record.modstamp, id: record.externalId };
    if (raw.IsDeleted === true) deleted.add(record.externalId);
    else records.push(record);
  }
  const hasMore = scanned.length === pageSize;
  const nextCommitted = last ?? committed;

  if (!hasMore && !full && runStart) {
    for (const id of await purgedDeletes(stream, runStart, options.now?.() ?? Date.now(), call)) deleted.add(id);
  }

  let nextCursor: CompoundCursor | null = nextCommitted;
  if (hasMore) {
    const tail = scanned[scanned.length - 1];
    const tailModstamp = salesforceDateTimeToIso(tail.SystemModstamp as string);
    nextCursor = {
      ...(nextCommitted ?? { modstamp: tailModstamp, id: tail.Id }),
      phase: { mode: full ? 'full' : 'incremental', scanModstamp: tailModstamp, scanId: tail.Id, runStart },
    };
  }
  return { records, deletedIds: [...deleted], nextCursor: nextCursor ? encodeCursor(nextCursor) : null, hasMore };
}

/**
 * The compound-cursor dedupe (isAfterCursor), except that ties on one modstamp are decided by the
 * vendor: the keyset query already asked Salesforce for `Id > cursor.id` in its own ORDER BY Id
 * collation, and a second opinion from JavaScript string order could drop records if the two differ.
 */
function afterCommitted(record: SyncedRecord, baseline: CompoundCursor | null): boolean {
  if (!baseline) return true;
  if (Date.parse(record.modstamp) !== Date.parse(baseline.modstamp)) return isAfterCursor(record, baseline);
  return record.externalId !== baseline.id;
}

/** getDeleted over the run's window; a window older than the 15 days Salesforce keeps needs a full resync. */
async function purgedDeletes(stream: SalesforceStreamDefinition, runStart: string, now: number, call: SalesforceCall): Promise<string[]> {
  const startMs = Date.parse(runStart);
  // getDeleted ignores seconds and needs end after start.
  const start = new Date(Math.min(startMs, now - 120_000));
  const end = new Date(now);
  const result = await call(`GET sobjects/${stream.sobject}/deleted`, (conn) => conn.sobject(stream.sobject).deleted(start, end));
  const earliest = Date.parse(salesforceDateTimeToIso(result.earliestDateAvailable));
  if (earliest > start.getTime() + 60_000) {
    throw new ConnectorException(
      'INVALID_CURSOR',
      `Salesforce only keeps deleted ${stream.sobject} records since ${result.earliestDateAvailable}, but this sync resumes from ${runStart}; run a full sync to catch every delete`,
    );
  }
  return result.deletedRecords.map((r) => r.id);
}
