/**
 * CRM v3 batch endpoints (read, update, create, archive): at most 100 inputs, 200 when every input
 * succeeded, 207 with `numErrors` and `errors[]` (ids in `context.ids`) when some failed, results in no
 * promised order. https://developers.hubspot.com/docs/api-reference/crm-objects-v3/batch
 */
import type { SandboxResponse, SandboxRouter } from '../common/sandbox-http';
import { hubSpotError, hubSpotStandardError } from './hubspot-errors';
import {
  findLiveHubSpotRecord,
  hubSpotPropertyProblemsMessage,
  hubSpotWriterLabel,
  parseHubSpotBody,
  resolveHubSpotTarget,
  type HubSpotObjectsDeps,
} from './hubspot-objects.shared';
import { resolveHubSpotSelection, serializeHubSpotRecord } from './hubspot-record.serializer';

export const HUBSPOT_BATCH_MAX_INPUTS = 100;

export function mountHubSpotBatch(router: SandboxRouter, deps: HubSpotObjectsDeps): void {
  const { stores, guard } = deps;

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
    guard({ search: false, access: 'read' }, (req) => {
      const startedAt = Date.now();
      const target = resolveHubSpotTarget(stores, req);
      if ('error' in target) return target.error;
      const parsed = parseHubSpotBody(req);
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
        const record = id ? findLiveHubSpotRecord(store, id, idProperty, archived) : undefined;
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
    guard({ search: false, access: 'write' }, (req, source) => {
      const startedAt = Date.now();
      const target = resolveHubSpotTarget(stores, req);
      if ('error' in target) return target.error;
      const parsed = parseHubSpotBody(req);
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
              hubSpotStandardError('VALIDATION_ERROR', hubSpotPropertyProblemsMessage(outcome.problems), {
                ids: [input.id],
                propertyName: outcome.problems.map((p) => p.name),
              }),
            );
          return;
        }
        deps.writeLog.record(target.type, input.id, properties, hubSpotWriterLabel(source));
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
    guard({ search: false, access: 'write' }, (req, source) => {
      const startedAt = Date.now();
      const target = resolveHubSpotTarget(stores, req);
      if ('error' in target) return target.error;
      const parsed = parseHubSpotBody(req);
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
              outcome.reason === 'invalid' ? hubSpotPropertyProblemsMessage(outcome.problems) : 'invalid input',
              {
                index: [String(index)],
              },
            ),
          );
          return;
        }
        deps.writeLog.record(target.type, outcome.record.id, properties, hubSpotWriterLabel(source));
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
    guard({ search: false, access: 'write' }, (req, source) => {
      const target = resolveHubSpotTarget(stores, req);
      if ('error' in target) return target.error;
      const parsed = parseHubSpotBody(req);
      if ('error' in parsed) return parsed.error;
      const inputs = batchInputs(parsed.body);
      if (!Array.isArray(inputs)) return inputs;
      const now = Date.now();
      for (const input of inputs) target.store.archive(String((input as { id?: unknown })?.id ?? ''), source, now);
      return { status: 204 };
    }),
  );
}
