/**
 * One page of the tickets stream from the cursor-based incremental export.
 * https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
 *
 * The saved cursor is compound: (modstamp, id) of the last committed ticket plus Zendesk's
 * after_cursor as `continuation`. Normally the run continues from after_cursor, which neither loses
 * nor repeats tickets that share one timestamp across a page boundary. If Zendesk no longer accepts
 * it (or there is none), the run restarts from start_time = modstamp − lookback and drops what the
 * compound cursor says was already committed. Tickets exported with status "deleted" are tombstones;
 * they are held in the cursor (phase.pendingDeletes) and reported only on the page that ends the
 * stream, so an interrupted run reports no deletes, and a ticket restored later in the same run is
 * not reported as deleted.
 */
import {
  ConnectorException,
  compareExternalIds,
  decodeCursor,
  encodeCursor,
  isAfterCursorNumericIds,
  type CompoundCursor,
  type ConnectorLogger,
  type FetchPageRequest,
  type FetchPageResult,
  type SyncedRecord,
} from '@fieldcast/connector-sdk';
import { mapZendeskTicket, type ZendeskMappingContext } from '../mappers/zendesk-ticket.mapper';
import type { ZendeskCall } from '../zendesk-call';
import type { ZendeskRawExportPage } from '../zendesk-raw.types';

export const ZENDESK_EXPORT_ENDPOINT = 'GET /api/v2/incremental/tickets/cursor';
const MAX_PER_PAGE = 1000;
/** Zendesk refuses a start_time from the last minute. */
const EXPORT_BUFFER_S = 61;

function later(a: SyncedRecord, b: { modstamp: string; id: string }): boolean {
  const x = Date.parse(a.modstamp);
  const y = Date.parse(b.modstamp);
  return x !== y ? x > y : compareExternalIds(a.externalId, b.id) > 0;
}

export async function fetchZendeskTicketsPage(
  call: ZendeskCall,
  request: FetchPageRequest,
  mapping: ZendeskMappingContext,
  log: ConnectorLogger,
  now: () => number = Date.now,
): Promise<FetchPageResult> {
  // A full run starts with no cursor (the engine passes none at its start) and then follows its own
  // cursor page by page like any run: ignoring it in full mode re-read the first page forever.
  const cursor: CompoundCursor | null = decodeCursor(request.cursor);
  if (request.cursor && !cursor)
    throw new ConnectorException('INVALID_CURSOR', `the saved Zendesk cursor is not readable: ${request.cursor.slice(0, 80)}`);
  const perPage = Math.max(1, Math.min(MAX_PER_PAGE, Math.floor(request.pageSize) || MAX_PER_PAGE));
  const exportPage = (query: Record<string, string | number>) =>
    call<ZendeskRawExportPage>(ZENDESK_EXPORT_ENDPOINT, 'read', (client) =>
      client.ticketexport.get(['incremental', 'tickets', 'cursor', { ...query, per_page: perPage }]),
    );

  let page: ZendeskRawExportPage | undefined;
  let overlap = false;
  if (cursor?.continuation) {
    try {
      page = await exportPage({ cursor: cursor.continuation });
    } catch (error) {
      if (!(error instanceof ConnectorException) || error.code !== 'INVALID_CURSOR') throw error;
      log.warn('Zendesk no longer accepts the saved export cursor; re-reading from the committed modstamp minus the lookback', {
        modstamp: cursor.modstamp,
      });
    }
  }
  if (!page) {
    const from = cursor ? Math.floor((Date.parse(cursor.modstamp) - mapping.options.lookbackMs) / 1000) : 0;
    const startTime = Math.max(0, Math.min(from, Math.floor(now() / 1000) - EXPORT_BUFFER_S));
    overlap = cursor !== null;
    page = await exportPage({ start_time: startTime });
  }

  // The export can list a ticket more than once (changed again during the run): the last one wins.
  const latest = new Map<string, SyncedRecord>();
  for (const raw of page.tickets) {
    const record = mapZendeskTicket(raw, mapping);
    latest.delete(record.externalId);
    latest.set(record.externalId, record);
  }
  const records: SyncedRecord[] = [];
  const pending = new Set((cursor?.phase?.pendingDeletes as string | undefined)?.split(',').filter(Boolean) ?? []);
  let last: { modstamp: string; id: string } | null = cursor ? { modstamp: cursor.modstamp, id: cursor.id } : null;
  for (const record of latest.values()) {
    if (overlap && !isAfterCursorNumericIds(record, cursor)) continue;
    if (record.fields.status === 'deleted') pending.add(record.externalId);
    else {
      pending.delete(record.externalId);
      records.push(record);
    }
    if (!last || later(record, last)) last = { modstamp: record.modstamp, id: record.externalId };
  }
  const complete = page.end_of_stream;
  const phase = !complete && pending.size ? { phase: { pendingDeletes: [...pending].join(',') } } : {};
  const next: CompoundCursor | null = last
    ? { modstamp: last.modstamp, id: last.id, ...(page.after_cursor ? { continuation: page.after_cursor } : {}), ...phase }
    : page.after_cursor
      ? { modstamp: new Date(0).toISOString(), id: '0', continuation: page.after_cursor, ...phase }
      : null;
  return { records, deletedIds: complete ? [...pending] : [], nextCursor: next ? encodeCursor(next) : null, hasMore: !complete };
}
