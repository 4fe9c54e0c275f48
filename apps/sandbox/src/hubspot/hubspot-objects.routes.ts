/**
 * CRM v3 objects: basic (page, read, create, update, archive), search and batch (read, create,
 * update, archive) for contacts, deals and tickets, with HubSpot's paging, caps and error shapes.
 * https://developers.hubspot.com/docs/api/crm/understanding-the-crm
 */
import { parseJson, type SandboxRequest, type SandboxResponse, type SandboxRouter } from '../common/sandbox-http';
import type { SandboxWriteLog } from '../common/sandbox-write-log';
import { hubSpotError, hubSpotStandardError } from './hubspot-errors';
import type { HubSpotPropertyProblem } from './hubspot-properties';
import { resolveHubSpotSelection, serializeHubSpotRecord, type HubSpotReadSelection } from './hubspot-record.serializer';
import { resolveHubSpotObjectType, type HubSpotChangeSource, type HubSpotObjectType, type HubSpotRecord } from './hubspot-sandbox.types';
import { HUBSPOT_SEARCH_RESULT_CAP, parseHubSpotSearch, type HubSpotSearchEngine } from './hubspot-search';
import type { HubSpotObjectStore } from './hubspot-store';

export const HUBSPOT_BATCH_MAX_INPUTS = 100;
export const HUBSPOT_PAGE_MAX_LIMIT = 100;
/** HubSpot lowers the page size when property history is requested. */
export const HUBSPOT_PAGE_MAX_LIMIT_WITH_HISTORY = 50;

/** A route handler that runs after authentication and the rate limit, with who is calling. */
export type HubSpotApiHandler = (request: SandboxRequest, source: HubSpotChangeSource) => SandboxResponse;

export interface HubSpotObjectsDeps {
  stores: Record<HubSpotObjectType, HubSpotObjectStore>;
  search: Record<HubSpotObjectType, HubSpotSearchEngine>;
  writeLog: SandboxWriteLog;
  /** Wraps a handler with bearer authentication and the rate limit (search has its own per-second policy). */
  guard(options: { search: boolean }, handler: HubSpotApiHandler): (request: SandboxRequest) => SandboxResponse;
}

/** Opaque `after` token for list paging (HubSpot's look like base64 too). */
export function encodeHubSpotAfter(seq: number): string {
  return Buffer.from(String(seq), 'utf8').toString('base64url');
}

function decodeAfter(raw: string): number | undefined {
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function propertyProblemsMessage(problems: HubSpotPropertyProblem[]): string {
  return `Property values were not valid: ${JSON.stringify(problems)}`;
}

function writerLabel(source: HubSpotChangeSource): string {
  return `${source.changeSource}:${source.sourceId}`;
}

function parseBody(request: SandboxRequest): { body: Record<string, unknown> } | { error: SandboxResponse } {
  try {
    const body = parseJson<unknown>(request.rawBody);
    if (body === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { error: hubSpotError(400, 'VALIDATION_ERROR', 'Invalid input JSON: the request body must be a JSON object.') };
    }
    return { body: body as Record<string, unknown> };
  } catch (error) {
    return { error: hubSpotError(400, 'VALIDATION_ERROR', `Invalid input JSON on line 1: ${(error as Error).message}`) };
  }
}

export function mountHubSpotObjects(router: SandboxRouter, deps: HubSpotObjectsDeps): void {
  const { stores, guard } = deps;

  const resolve = (request: SandboxRequest): { store: HubSpotObjectStore; type: HubSpotObjectType } | { error: SandboxResponse } => {
    const type = resolveHubSpotObjectType(request.params.type ?? '');
    if (!type) {
      return {
        error: hubSpotError(
          400,
          'VALIDATION_ERROR',
          `Unable to infer object type from: ${request.params.type}. This sandbox serves contacts (0-1), deals (0-3) and tickets (0-5).`,
        ),
      };
    }
    return { store: stores[type], type };
  };

  const selectionFrom = (store: HubSpotObjectStore, request: SandboxRequest): HubSpotReadSelection =>
    resolveHubSpotSelection(store, request.query.getAll('properties'), request.query.getAll('propertiesWithHistory'));

  const findLive = (store: HubSpotObjectStore, id: string, idProperty: string | null, archived: boolean): HubSpotRecord | undefined => {
    if (idProperty && idProperty !== 'hs_object_id') {
      // Unique-property lookups (idProperty=email) are rare; a scan keeps the store simple.
      return store.all().find((r) => r.archived === archived && r.properties[idProperty] === id);
    }
    const record = store.get(id);
    return record && record.archived === archived ? record : undefined;
  };

  // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/basic/get-crm-v3-objects-objectType
  router.add(
    'GET',
    '/crm/v3/objects/:type',
    guard({ search: false }, (req) => {
      const target = resolve(req);
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
    guard({ search: false }, (req) => {
      const target = resolve(req);
      if ('error' in target) return target.error;
      const record = findLive(target.store, req.params.id!, req.query.get('idProperty'), req.query.get('archived') === 'true');
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
    guard({ search: false }, (req, source) => {
      const target = resolve(req);
      if ('error' in target) return target.error;
      const parsed = parseBody(req);
      if ('error' in parsed) return parsed.error;
      const outcome = target.store.create((parsed.body.properties ?? {}) as Record<string, unknown>, source, Date.now());
      if (!outcome.ok)
        return hubSpotError(
          400,
          'VALIDATION_ERROR',
          outcome.reason === 'invalid' ? propertyProblemsMessage(outcome.problems) : 'Object not found.',
        );
      deps.writeLog.record(
        target.type,
        outcome.record.id,
        Object.fromEntries(outcome.changed.map((c) => [c.name, c.value])),
        writerLabel(source),
      );
      const selection = resolveHubSpotSelection(target.store, Object.keys(outcome.record.properties), []);
      return { status: 201, body: serializeHubSpotRecord(target.store, outcome.record, selection) };
    }),
  );

  // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/basic/patch-crm-v3-objects-objectType-objectId
  router.add(
    'PATCH',
    '/crm/v3/objects/:type/:id',
    guard({ search: false }, (req, source) => {
      const target = resolve(req);
      if ('error' in target) return target.error;
      const parsed = parseBody(req);
      if ('error' in parsed) return parsed.error;
      const input = (parsed.body.properties ?? {}) as Record<string, unknown>;
      const outcome = target.store.update(req.params.id!, input, source, Date.now());
      if (!outcome.ok) {
        return outcome.reason === 'not-found'
          ? hubSpotError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { context: { id: [req.params.id!] } })
          : hubSpotError(400, 'VALIDATION_ERROR', propertyProblemsMessage(outcome.problems));
      }
      deps.writeLog.record(target.type, outcome.record.id, input, writerLabel(source));
      const selection = resolveHubSpotSelection(target.store, Object.keys(input), []);
      return { status: 200, body: serializeHubSpotRecord(target.store, outcome.record, selection) };
    }),
  );

  // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/basic/delete-crm-v3-objects-objectType-objectId
  router.add(
    'DELETE',
    '/crm/v3/objects/:type/:id',
    guard({ search: false }, (req, source) => {
      const target = resolve(req);
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
    guard({ search: true }, (req) => {
      const target = resolve(req);
      if ('error' in target) return target.error;
      const parsed = parseBody(req);
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
      const all = deps.search[target.type].run(query);
      const end = Math.min(query.offset + query.limit, all.length, HUBSPOT_SEARCH_RESULT_CAP);
      const selection = resolveHubSpotSelection(target.store, query.properties, []);
      const results: Array<Record<string, unknown>> = [];
      for (let i = query.offset; i < end; i++) results.push(serializeHubSpotRecord(target.store, all[i]!, selection));
      const body: Record<string, unknown> = { total: all.length, results };
      // Like HubSpot, the next page is offered even when it lies beyond the cap; asking for it is the 400.
      if (end < all.length) body.paging = { next: { after: String(end) } };
      return { status: 200, body };
    }),
  );

  const batchInputs = (body: Record<string, unknown>): unknown[] | SandboxResponse => {
    const inputs = body.inputs;
    if (!Array.isArray(inputs)) return hubSpotError(400, 'VALIDATION_ERROR', 'Invalid input JSON: inputs must be an array.');
    if (inputs.length > HUBSPOT_BATCH_MAX_INPUTS) {
      return hubSpotError(
        400,
        'VALIDATION_ERROR',
        `The maximum number of inputs supported in a batch request is ${HUBSPOT_BATCH_MAX_INPUTS}, but ${inputs.length} were given. Split the request into batches of ${HUBSPOT_BATCH_MAX_INPUTS}.`,
        { context: { limit: [String(HUBSPOT_BATCH_MAX_INPUTS)], size: [String(inputs.length)] } },
      );
    }
    return inputs;
  };

  const batchResponse = (
    startedAt: number,
    results: Array<Record<string, unknown>>,
    errors: Array<Record<string, unknown>>,
    okStatus: number,
  ): SandboxResponse => {
    // HubSpot does not promise result order; the sandbox returns them sorted by id so clients cannot lean on input order.
    results.sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
    const body: Record<string, unknown> = {
      status: 'COMPLETE',
      results,
      startedAt: new Date(startedAt).toISOString(),
      completedAt: new Date().toISOString(),
    };
    if (errors.length) {
      body.numErrors = errors.length;
      body.errors = errors;
    }
    return { status: errors.length ? 207 : okStatus, body };
  };

  const notFoundError = (ids: string[]) =>
    hubSpotStandardError('OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { ids });

  // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/batch/post-crm-v3-objects-objectType-batch-read
  router.add(
    'POST',
    '/crm/v3/objects/:type/batch/read',
    guard({ search: false }, (req) => {
      const startedAt = Date.now();
      const target = resolve(req);
      if ('error' in target) return target.error;
      const parsed = parseBody(req);
      if ('error' in parsed) return parsed.error;
      const inputs = batchInputs(parsed.body);
      if (!Array.isArray(inputs)) return inputs;
      const { store } = target;
      const selection = resolveHubSpotSelection(
        store,
        Array.isArray(parsed.body.properties) ? (parsed.body.properties as string[]) : [],
        Array.isArray(parsed.body.propertiesWithHistory) ? (parsed.body.propertiesWithHistory as string[]) : [],
      );
      const idProperty = typeof parsed.body.idProperty === 'string' ? parsed.body.idProperty : null;
      const archived = req.query.get('archived') === 'true';
      const results: Array<Record<string, unknown>> = [];
      const missing: string[] = [];
      for (const input of inputs) {
        const id = String((input as { id?: unknown })?.id ?? '');
        const record = id ? findLive(store, id, idProperty, archived) : undefined;
        if (record) results.push(serializeHubSpotRecord(store, record, selection));
        else missing.push(id);
      }
      return batchResponse(startedAt, results, missing.length ? [notFoundError(missing)] : [], 200);
    }),
  );

  // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/batch/post-crm-v3-objects-objectType-batch-update
  router.add(
    'POST',
    '/crm/v3/objects/:type/batch/update',
    guard({ search: false }, (req, source) => {
      const startedAt = Date.now();
      const target = resolve(req);
      if ('error' in target) return target.error;
      const parsed = parseBody(req);
      if ('error' in parsed) return parsed.error;
      const inputs = batchInputs(parsed.body);
      if (!Array.isArray(inputs)) return inputs;
      const ids = inputs.map((i) => (i as { id?: unknown })?.id).filter((id): id is string => typeof id === 'string' && id !== '');
      const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
      if (duplicates.length) {
        return hubSpotError(400, 'VALIDATION_ERROR', `Duplicate IDs found in batch input: [${duplicates.join(', ')}]. IDs must be unique`, {
          context: { ids: duplicates },
        });
      }
      const { store } = target;
      const now = Date.now();
      const results: Array<Record<string, unknown>> = [];
      const errors: Array<Record<string, unknown>> = [];
      const missing: string[] = [];
      inputs.forEach((raw, index) => {
        const input = (raw ?? {}) as { id?: unknown; properties?: unknown };
        if (typeof input.id !== 'string' || input.id === '') {
          errors.push(
            hubSpotStandardError(
              'VALIDATION_ERROR',
              `inputs[${index}]: id is required and must be a string (the record id, e.g. "${store.all()[0]?.id ?? '51'}")`,
              {
                index: [String(index)],
              },
            ),
          );
          return;
        }
        const properties = (input.properties ?? {}) as Record<string, unknown>;
        if (typeof properties !== 'object' || Array.isArray(properties)) {
          errors.push(
            hubSpotStandardError('VALIDATION_ERROR', `inputs[${index}].properties must be an object of name → string value`, {
              ids: [input.id],
            }),
          );
          return;
        }
        const outcome = store.update(input.id, properties, source, now);
        if (!outcome.ok) {
          if (outcome.reason === 'not-found') missing.push(input.id);
          else
            errors.push(
              hubSpotStandardError('VALIDATION_ERROR', propertyProblemsMessage(outcome.problems), {
                ids: [input.id],
                propertyName: outcome.problems.map((p) => p.name),
              }),
            );
          return;
        }
        deps.writeLog.record(target.type, input.id, properties, writerLabel(source));
        results.push(serializeHubSpotRecord(store, outcome.record, resolveHubSpotSelection(store, Object.keys(properties), [])));
      });
      if (missing.length) errors.push(notFoundError(missing));
      return batchResponse(startedAt, results, errors, 200);
    }),
  );

  // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/batch/post-crm-v3-objects-objectType-batch-create
  router.add(
    'POST',
    '/crm/v3/objects/:type/batch/create',
    guard({ search: false }, (req, source) => {
      const startedAt = Date.now();
      const target = resolve(req);
      if ('error' in target) return target.error;
      const parsed = parseBody(req);
      if ('error' in parsed) return parsed.error;
      const inputs = batchInputs(parsed.body);
      if (!Array.isArray(inputs)) return inputs;
      const now = Date.now();
      const results: Array<Record<string, unknown>> = [];
      const errors: Array<Record<string, unknown>> = [];
      inputs.forEach((raw, index) => {
        const properties = ((raw as { properties?: unknown })?.properties ?? {}) as Record<string, unknown>;
        const outcome = target.store.create(properties, source, now);
        if (!outcome.ok) {
          errors.push(
            hubSpotStandardError(
              'VALIDATION_ERROR',
              outcome.reason === 'invalid' ? propertyProblemsMessage(outcome.problems) : 'invalid input',
              {
                index: [String(index)],
              },
            ),
          );
          return;
        }
        deps.writeLog.record(target.type, outcome.record.id, properties, writerLabel(source));
        results.push(
          serializeHubSpotRecord(target.store, outcome.record, resolveHubSpotSelection(target.store, Object.keys(properties), [])),
        );
      });
      return batchResponse(startedAt, results, errors, 201);
    }),
  );

  // https://developers.hubspot.com/docs/api-reference/crm-objects-v3/batch/post-crm-v3-objects-objectType-batch-archive
  router.add(
    'POST',
    '/crm/v3/objects/:type/batch/archive',
    guard({ search: false }, (req, source) => {
      const target = resolve(req);
      if ('error' in target) return target.error;
      const parsed = parseBody(req);
      if ('error' in parsed) return parsed.error;
      const inputs = batchInputs(parsed.body);
      if (!Array.isArray(inputs)) return inputs;
      const now = Date.now();
      for (const input of inputs) target.store.archive(String((input as { id?: unknown })?.id ?? ''), source, now);
      return { status: 204 };
    }),
  );
}
