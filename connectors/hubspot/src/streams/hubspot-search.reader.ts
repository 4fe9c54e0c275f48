/**
 * One page of a HubSpot stream sync through CRM search, keyset-paginated so the 10,000-result cap
 * never applies and records sharing a modstamp are neither missed nor duplicated:
 *
 * - Scan step `A(t)`: `modified > t`, sorted by modified date, `after` never used. When the page is
 *   full, the records at its last modstamp may continue on the next page (HubSpot does not order ties),
 *   so they are held back, and the next A query starts AT that modstamp (`modified >= t`): sorted
 *   ascending, it returns the held-back group first and whole, as long as the page reaches a later
 *   modstamp. One search per page (the 5 searches/s limit is what bounds a full sync). Each A query
 *   starts a fresh result list, so no query ever pages towards the 10,000 cap.
 * - Tie step `B(t, id)`: only when a whole page shares one modstamp (the group may be bigger than a
 *   page): `modified = t AND hs_object_id > id`, sorted by hs_object_id, until exhausted. This also
 *   covers more than 10,000 records written in one millisecond.
 * - An incremental run starts `lookbackMs` before the committed cursor; records at or before it are
 *   dropped (numeric-aware id order). The cursor saved after every page carries the scan position, so an
 *   interrupted run resumes exactly where it stopped.
 * - A run stops at `searchSettleMs` before its start: HubSpot's search index lags writes, and a record
 *   indexed after the cursor passed its modstamp would otherwise never be read.
 * - The last page of a run lists archived records (only from a listing that completed) as deletes.
 * https://developers.hubspot.com/docs/api/crm/search
 */
import {
  compareExternalIds,
  ConnectorException,
  decodeCursor,
  encodeCursor,
  isAfterCursorNumericIds,
  type CompoundCursor,
  type FetchPageRequest,
  type FetchPageResult,
  type SyncedRecord,
} from '@fieldcast/connector-sdk';
import type { HubSpotConnectorOptions } from '../hubspot-connector.options';
import type { HubSpotSession } from '../hubspot-session';
import { hubSpotModstamp, mapHubSpotRecord, type HubSpotRawObject } from '../mappers/hubspot-record.mapper';
import type { HubSpotStreamDefinition } from './hubspot-stream.types';

interface ScanState {
  step: 'A' | 'B';
  /** A: scan after this modstamp ('' = from the beginning). B: the tied modstamp. */
  t: string;
  /** A: 1 = include records AT t (a held-back tie group is read first and whole). A number: cursors hold strings and numbers. */
  inclusive: 0 | 1;
  /** B: last hs_object_id read at t ('' = none yet). */
  afterId: string;
  /** Upper bound of this run (now - searchSettleMs at its start; '' = none), so late-indexed writes are not skipped. */
  until: string;
  mode: 'full' | 'incremental';
  /** Archived records since this time are reported as deletes at the end ('' = all). */
  deletesSince: string;
  /** The cursor committed before this run began: lookback records at or before it are dropped. */
  baseModstamp: string;
  baseId: string;
}

const MAX_STEPS_PER_PAGE = 4;

function readPhase(cursor: CompoundCursor | null): ScanState | undefined {
  const p = cursor?.phase;
  if (!p || (p.step !== 'A' && p.step !== 'B')) return undefined;
  return {
    step: p.step,
    t: String(p.t ?? ''),
    inclusive: p.inclusive === 1 ? 1 : 0,
    afterId: String(p.afterId ?? ''),
    until: String(p.until ?? ''),
    mode: p.mode === 'full' ? 'full' : 'incremental',
    deletesSince: String(p.deletesSince ?? ''),
    baseModstamp: String(p.baseModstamp ?? ''),
    baseId: String(p.baseId ?? ''),
  };
}

function ms(iso: string): string {
  return String(Date.parse(iso));
}

interface SearchPage {
  results: HubSpotRawObject[];
  paging?: { next?: { after?: string } };
}

export interface HubSpotReaderDeps {
  session: HubSpotSession;
  options: HubSpotConnectorOptions;
  /** Adds data the search cannot return (property history) to a page's records. */
  enrich?(records: SyncedRecord[]): Promise<void>;
}

export async function fetchHubSpotPage(
  stream: HubSpotStreamDefinition,
  properties: string[],
  request: FetchPageRequest,
  deps: HubSpotReaderDeps,
): Promise<FetchPageResult> {
  const { session, options } = deps;
  const cursor = decodeCursor(request.cursor);
  if (request.cursor && !cursor) {
    throw new ConnectorException(
      'INVALID_CURSOR',
      `the saved cursor of stream ${stream.descriptor.name} is not a HubSpot (modified date, id) cursor; start a full sync`,
    );
  }
  const limit = Math.max(1, Math.min(options.pageSize, 200, Math.floor(request.pageSize) || 200));
  let state = readPhase(cursor);
  let committed: CompoundCursor | null = cursor ? { modstamp: cursor.modstamp, id: cursor.id } : null;
  if (!state) {
    const until = options.searchSettleMs > 0 ? new Date(Date.now() - options.searchSettleMs).toISOString() : '';
    if (request.mode === 'full' || !committed) {
      state = { step: 'A', t: '', inclusive: 0, afterId: '', until, mode: 'full', deletesSince: '', baseModstamp: '', baseId: '' };
      committed = null;
    } else {
      const start = Date.parse(committed.modstamp) - options.lookbackMs;
      const base = {
        until,
        mode: 'incremental' as const,
        deletesSince: new Date(start).toISOString(),
        baseModstamp: committed.modstamp,
        baseId: committed.id,
      };
      state =
        options.lookbackMs === 0
          ? { step: 'B', t: committed.modstamp, inclusive: 0, afterId: committed.id, ...base }
          : { step: 'A', t: new Date(start - 1).toISOString(), inclusive: 0, afterId: '', ...base };
    }
  }
  const baseline: CompoundCursor | null =
    state.mode === 'incremental' && state.baseModstamp ? { modstamp: state.baseModstamp, id: state.baseId } : null;
  const readProperties = [...new Set([...properties, stream.modifiedProperty, 'hs_object_id'])];
  const search = (body: Record<string, unknown>) =>
    // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/search/post-crm-v3-objects-objectType-search
    session.call<SearchPage>(`POST /crm/v3/objects/${stream.objectType}/search`, { kind: 'read', search: true }, (client) =>
      client.crm.objects.searchApi.doSearchWithHttpInfo(stream.objectType, {
        ...body,
        properties: readProperties,
        limit,
        after: '0',
      } as never),
    );

  const emitted: SyncedRecord[] = [];
  let done = false;
  for (let steps = 0; steps < MAX_STEPS_PER_PAGE && emitted.length === 0 && !done; steps++) {
    if (state.step === 'B') {
      const filters = [
        { propertyName: stream.modifiedProperty, operator: 'EQ', value: ms(state.t) },
        ...(state.afterId ? [{ propertyName: 'hs_object_id', operator: 'GT', value: state.afterId }] : []),
      ];
      const page = await search({ filterGroups: [{ filters }], sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] });
      const records = page.results.map((r) => mapHubSpotRecord(r, stream.objectType, stream.modifiedProperty));
      emitted.push(...records);
      const lastId: string = records.reduce<string>(
        (max, r) => (compareExternalIds(r.externalId, max) > 0 ? r.externalId : max),
        state.afterId || '0',
      );
      state = page.paging?.next?.after ? { ...state, afterId: lastId } : { ...state, step: 'A', inclusive: 0, afterId: '' };
      continue;
    }
    const window = [
      ...(state.t ? [{ propertyName: stream.modifiedProperty, operator: state.inclusive === 1 ? 'GTE' : 'GT', value: ms(state.t) }] : []),
      ...(state.until ? [{ propertyName: stream.modifiedProperty, operator: 'LTE', value: ms(state.until) }] : []),
    ];
    const page = await search({
      filterGroups: window.length ? [{ filters: window }] : [],
      sorts: [{ propertyName: stream.modifiedProperty, direction: 'ASCENDING' }],
    });
    if (!page.paging?.next?.after) {
      emitted.push(...page.results.map((r) => mapHubSpotRecord(r, stream.objectType, stream.modifiedProperty)));
      done = true;
      break;
    }
    // A full page: the last modstamp may continue beyond it, so that group is held back for the next
    // query, which starts at it. A page that is all one modstamp: that group is read by id (step B).
    let firstStamp = '';
    let lastStamp = '';
    for (const r of page.results) {
      const stamp = hubSpotModstamp(r, stream.modifiedProperty);
      if (!firstStamp || stamp < firstStamp) firstStamp = stamp;
      if (stamp > lastStamp) lastStamp = stamp;
    }
    if (firstStamp === lastStamp) {
      state = { ...state, step: 'B', t: lastStamp, inclusive: 0, afterId: '' };
      continue;
    }
    for (const r of page.results) {
      if (hubSpotModstamp(r, stream.modifiedProperty) < lastStamp)
        emitted.push(mapHubSpotRecord(r, stream.objectType, stream.modifiedProperty));
    }
    state = { ...state, step: 'A', t: lastStamp, inclusive: 1, afterId: '' };
  }

  const fresh = emitted.filter((r) => isAfterCursorNumericIds(r, baseline));
  fresh.sort((a, b) => (a.modstamp === b.modstamp ? compareExternalIds(a.externalId, b.externalId) : a.modstamp < b.modstamp ? -1 : 1));
  for (const r of fresh) if (isAfterCursorNumericIds(r, committed)) committed = { modstamp: r.modstamp, id: r.externalId };
  if (deps.enrich && fresh.length) await deps.enrich(fresh);

  if (!done) {
    return {
      records: fresh,
      deletedIds: [],
      nextCursor: committed
        ? encodeCursor({ ...committed, phase: { ...state } })
        : encodeCursor({ modstamp: new Date(0).toISOString(), id: '0', phase: { ...state } }),
      hasMore: true,
    };
  }
  const deletedIds = await listArchivedIds(stream, state.deletesSince, session);
  return { records: fresh, deletedIds, nextCursor: committed ? encodeCursor(committed) : null, hasMore: false };
}

/**
 * Archived (deleted) records since a time, from the complete archived listing: any failure throws
 * before a single id is returned, so a partial listing never produces deletes.
 * https://developers.hubspot.com/docs/api-reference/crm-objects-v3/basic/get-crm-v3-objects-objectType
 */
async function listArchivedIds(stream: HubSpotStreamDefinition, since: string, session: HubSpotSession): Promise<string[]> {
  const ids: string[] = [];
  const sinceMs = since ? Date.parse(since) : -Infinity;
  let after: string | undefined;
  do {
    const page = await session.call<SearchPage>(`GET /crm/v3/objects/${stream.objectType}?archived=true`, { kind: 'read' }, (client) =>
      client.crm.objects.basicApi.getPageWithHttpInfo(stream.objectType, 100, after, ['hs_object_id'], undefined, undefined, true),
    );
    for (const r of page.results) {
      const archivedAt = r.archivedAt?.getTime() ?? r.updatedAt?.getTime() ?? Infinity;
      if (archivedAt >= sinceMs) ids.push(r.id);
    }
    after = page.paging?.next?.after;
  } while (after);
  return ids;
}
