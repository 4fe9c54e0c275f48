/**
 * CRM v3 objects, basic (page, read, create, update, archive) and search, for contacts, deals and
 * tickets, with HubSpot's paging, caps and error shapes. Batch endpoints: hubspot-batch.routes.ts.
 * https://developers.hubspot.com/docs/api/crm/understanding-the-crm
 */
import type { SandboxRequest, SandboxRouter } from '../common/sandbox-http';
import { hubSpotError } from './hubspot-errors';
import {
  findLiveHubSpotRecord,
  hubSpotPropertyProblemsMessage,
  hubSpotWriterLabel,
  parseHubSpotBody,
  resolveHubSpotTarget,
  type HubSpotObjectsDeps,
} from './hubspot-objects.shared';
import { resolveHubSpotSelection, serializeHubSpotRecord, type HubSpotReadSelection } from './hubspot-record.serializer';
import { HUBSPOT_SEARCH_RESULT_CAP, parseHubSpotSearch } from './hubspot-search';
import type { HubSpotObjectStore } from './hubspot-store';

export const HUBSPOT_PAGE_MAX_LIMIT = 100;
/** HubSpot lowers the page size when property history is requested. */
export const HUBSPOT_PAGE_MAX_LIMIT_WITH_HISTORY = 50;

/** Opaque `after` token for list paging (HubSpot's look like base64 too). */
export function encodeHubSpotAfter(seq: number): string {
  return Buffer.from(String(seq), 'utf8').toString('base64url');
}

function decodeAfter(raw: string): number | undefined {
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

export function mountHubSpotObjects(router: SandboxRouter, deps: HubSpotObjectsDeps): void {
  const { stores, guard } = deps;

  const selectionFrom = (store: HubSpotObjectStore, request: SandboxRequest): HubSpotReadSelection =>
    resolveHubSpotSelection(store, request.query.getAll('properties'), request.query.getAll('propertiesWithHistory'));

  // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/basic/get-crm-v3-objects-objectType
  router.add(
    'GET',
    '/crm/v3/objects/:type',
    guard({ search: false, access: 'read' }, (req) => {
      const target = resolveHubSpotTarget(stores, req);
      if ('error' in target) return target.error;
      const { store } = target;
      const selection = selectionFrom(store, req);
      const maxLimit = selection.propertiesWithHistory.length ? HUBSPOT_PAGE_MAX_LIMIT_WITH_HISTORY : HUBSPOT_PAGE_MAX_LIMIT;
      const rawLimit = req.query.get('limit');
      const limit = rawLimit === null ? 10 : Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1)
        return hubSpotError(400, 'VALIDATION_ERROR', `limit must be a whole number >= 1, got ${JSON.stringify(rawLimit)}`);
      const rawAfter = req.query.get('after');
      let afterSeq = 0;
      if (rawAfter) {
        const decoded = decodeAfter(rawAfter);
        if (decoded === undefined)
          return hubSpotError(
            400,
            'VALIDATION_ERROR',
            `after ${JSON.stringify(rawAfter)} is not a paging token this API issued; use paging.next.after.`,
          );
        afterSeq = decoded;
      }
      const archived = req.query.get('archived') === 'true';
      const page = store.pageAfter(afterSeq, Math.min(limit, maxLimit), archived);
      const body: Record<string, unknown> = { results: page.records.map((r) => serializeHubSpotRecord(store, r, selection)) };
      if (page.nextSeq !== undefined) {
        const after = encodeHubSpotAfter(page.nextSeq);
        body.paging = { next: { after, link: `${req.baseUrl}${req.path}?after=${after}` } };
      }
      return { status: 200, body };
    }),
  );

  // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/basic/get-crm-v3-objects-objectType-objectId
  router.add(
    'GET',
    '/crm/v3/objects/:type/:id',
    guard({ search: false, access: 'read' }, (req) => {
      const target = resolveHubSpotTarget(stores, req);
      if ('error' in target) return target.error;
      const record = findLiveHubSpotRecord(target.store, req.params.id!, req.query.get('idProperty'), req.query.get('archived') === 'true');
      if (!record)
        return hubSpotError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', {
          context: { id: [req.params.id!] },
        });
      return { status: 200, body: serializeHubSpotRecord(target.store, record, selectionFrom(target.store, req)) };
    }),
  );

  // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/basic/post-crm-v3-objects-objectType
  router.add(
    'POST',
    '/crm/v3/objects/:type',
    guard({ search: false, access: 'write' }, (req, source) => {
      const target = resolveHubSpotTarget(stores, req);
      if ('error' in target) return target.error;
      const parsed = parseHubSpotBody(req);
      if ('error' in parsed) return parsed.error;
      const outcome = target.store.create((parsed.body.properties ?? {}) as Record<string, unknown>, source, Date.now());
      if (!outcome.ok)
        return hubSpotError(
          400,
          'VALIDATION_ERROR',
          outcome.reason === 'invalid' ? hubSpotPropertyProblemsMessage(outcome.problems) : 'Object not found.',
        );
      deps.writeLog.record(
        target.type,
        outcome.record.id,
        Object.fromEntries(outcome.changed.map((c) => [c.name, c.value])),
        hubSpotWriterLabel(source),
      );
      const selection = resolveHubSpotSelection(target.store, Object.keys(outcome.record.properties), []);
      return { status: 201, body: serializeHubSpotRecord(target.store, outcome.record, selection) };
    }),
  );

  // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/basic/patch-crm-v3-objects-objectType-objectId
  router.add(
    'PATCH',
    '/crm/v3/objects/:type/:id',
    guard({ search: false, access: 'write' }, (req, source) => {
      const target = resolveHubSpotTarget(stores, req);
      if ('error' in target) return target.error;
      const parsed = parseHubSpotBody(req);
      if ('error' in parsed) return parsed.error;
      const input = (parsed.body.properties ?? {}) as Record<string, unknown>;
      const outcome = target.store.update(req.params.id!, input, source, Date.now());
      if (!outcome.ok) {
        return outcome.reason === 'not-found'
          ? hubSpotError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { context: { id: [req.params.id!] } })
          : hubSpotError(400, 'VALIDATION_ERROR', hubSpotPropertyProblemsMessage(outcome.problems));
      }
      deps.writeLog.record(target.type, outcome.record.id, input, hubSpotWriterLabel(source));
      const selection = resolveHubSpotSelection(target.store, Object.keys(input), []);
      return { status: 200, body: serializeHubSpotRecord(target.store, outcome.record, selection) };
    }),
  );

  // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/basic/delete-crm-v3-objects-objectType-objectId
  router.add(
    'DELETE',
    '/crm/v3/objects/:type/:id',
    guard({ search: false, access: 'write' }, (req, source) => {
      const target = resolveHubSpotTarget(stores, req);
      if ('error' in target) return target.error;
      // HubSpot answers 204 whether or not the record existed.
      target.store.archive(req.params.id!, source, Date.now());
      return { status: 204 };
    }),
  );

  // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/search/post-crm-v3-objects-objectType-search
  router.add(
    'POST',
    '/crm/v3/objects/:type/search',
    guard({ search: true, access: 'read' }, (req) => {
      const target = resolveHubSpotTarget(stores, req);
      if ('error' in target) return target.error;
      const parsed = parseHubSpotBody(req);
      if ('error' in parsed) return parsed.error;
      const search = parseHubSpotSearch(target.store, parsed.body);
      if (!search.ok) return hubSpotError(400, 'VALIDATION_ERROR', search.message, { errors: search.errors });
      const { query } = search;
      if (query.offset >= HUBSPOT_SEARCH_RESULT_CAP) {
        return hubSpotError(
          400,
          'VALIDATION_ERROR',
          `Search results are capped at ${HUBSPOT_SEARCH_RESULT_CAP}; after=${query.offset} is beyond the cap. Narrow the filters (for example a GTE filter on the last modified date you reached) instead of paging further.`,
          { errors: [{ message: `after must be below ${HUBSPOT_SEARCH_RESULT_CAP}`, in: 'after' }] },
        );
      }
      const answer = deps.search[target.type].search(query);
      const end = Math.min(query.offset + query.limit, answer.total, HUBSPOT_SEARCH_RESULT_CAP);
      const selection = resolveHubSpotSelection(target.store, query.properties, []);
      const results = answer
        .page(query.offset, Math.max(0, end - query.offset))
        .map((record) => serializeHubSpotRecord(target.store, record, selection));
      const body: Record<string, unknown> = { total: answer.total, results };
      // Like HubSpot, the next page is offered even when it lies beyond the cap; asking for it is the 400.
      if (end < answer.total) body.paging = { next: { after: String(end) } };
      return { status: 200, body };
    }),
  );
}
