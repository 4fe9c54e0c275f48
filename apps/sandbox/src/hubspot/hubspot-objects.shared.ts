/**
 * Pieces the CRM v3 object routes share (basic, search, batch): the dependencies they are mounted
 * with, object-type resolution, body parsing and record lookup.
 */
import { parseJson, type SandboxRequest, type SandboxResponse } from '../common/sandbox-http';
import type { SandboxWriteLog } from '../common/sandbox-write-log';
import { hubSpotError } from './hubspot-errors';
import type { HubSpotPropertyProblem } from './hubspot-properties';
import { resolveHubSpotObjectType, type HubSpotChangeSource, type HubSpotObjectType, type HubSpotRecord } from './hubspot-sandbox.types';
import type { HubSpotSearchEngine } from './hubspot-search';
import type { HubSpotObjectStore } from './hubspot-store';

/** A route handler that runs after authentication, the scope check and the rate limit, with who is calling. */
export type HubSpotApiHandler = (request: SandboxRequest, source: HubSpotChangeSource) => SandboxResponse;

/** What a route needs from the caller's token: reading or writing records, or changing the schema (properties). */
export type HubSpotAccess = 'read' | 'write' | 'schema';

export interface HubSpotGuardOptions {
  /** Search has its own per-second policy. */
  search: boolean;
  access: HubSpotAccess;
}

/** Wraps a handler with bearer authentication, the scope check and the rate limit. */
export type HubSpotGuard = (options: HubSpotGuardOptions, handler: HubSpotApiHandler) => (request: SandboxRequest) => SandboxResponse;

export interface HubSpotObjectsDeps {
  stores: Record<HubSpotObjectType, HubSpotObjectStore>;
  search: Record<HubSpotObjectType, HubSpotSearchEngine>;
  writeLog: SandboxWriteLog;
  guard: HubSpotGuard;
}

export function hubSpotPropertyProblemsMessage(problems: HubSpotPropertyProblem[]): string {
  return `Property values were not valid: ${JSON.stringify(problems)}`;
}

/** How the write log names a writer: `INTEGRATION:<appId>`, `API:<privateAppId>`, `CRM_UI:userId:<n>`. */
export function hubSpotWriterLabel(source: HubSpotChangeSource): string {
  return `${source.changeSource}:${source.sourceId}`;
}

export function parseHubSpotBody(request: SandboxRequest): { body: Record<string, unknown> } | { error: SandboxResponse } {
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

export function resolveHubSpotTarget(
  stores: Record<HubSpotObjectType, HubSpotObjectStore>,
  request: SandboxRequest,
): { store: HubSpotObjectStore; type: HubSpotObjectType } | { error: SandboxResponse } {
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
}

export function findLiveHubSpotRecord(
  store: HubSpotObjectStore,
  id: string,
  idProperty: string | null,
  archived: boolean,
): HubSpotRecord | undefined {
  if (idProperty && idProperty !== 'hs_object_id') {
    // Unique-property lookups (idProperty=email) are rare; a scan keeps the store simple.
    return store.all().find((r) => r.archived === archived && r.properties[idProperty] === id);
  }
  const record = store.get(id);
  return record && record.archived === archived ? record : undefined;
}
