/**
 * Properties API v3: list, read and create properties and property groups per object type.
 * https://developers.hubspot.com/docs/api/crm/properties
 */
import { parseJson, type SandboxRequest, type SandboxResponse, type SandboxRouter } from '../common/sandbox-http';
import { hubSpotError } from './hubspot-errors';
import { serializeHubSpotProperty, type HubSpotPropertyCreateInput, type HubSpotPropertyRegistry } from './hubspot-properties';
import { resolveHubSpotObjectType, type HubSpotObjectType } from './hubspot-sandbox.types';
import type { HubSpotGuard } from './hubspot-objects.shared';

export interface HubSpotPropertiesDeps {
  registries: Record<HubSpotObjectType, HubSpotPropertyRegistry>;
  guard: HubSpotGuard;
}

export function mountHubSpotProperties(router: SandboxRouter, deps: HubSpotPropertiesDeps): void {
  const { guard } = deps;
  const registryFor = (req: SandboxRequest): HubSpotPropertyRegistry | SandboxResponse => {
    const type = resolveHubSpotObjectType(req.params.type ?? '');
    return type ? deps.registries[type] : hubSpotError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${req.params.type}`);
  };
  const bodyOf = (req: SandboxRequest): Record<string, unknown> | SandboxResponse => {
    try {
      const body = parseJson<unknown>(req.rawBody);
      if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
    } catch {
      // fall through to the same answer as a non-object body
    }
    return hubSpotError(400, 'VALIDATION_ERROR', 'Invalid input JSON: the request body must be a JSON object.');
  };
  const isRegistry = (value: HubSpotPropertyRegistry | SandboxResponse): value is HubSpotPropertyRegistry => 'objectType' in value;
  const isResponse = (value: Record<string, unknown> | SandboxResponse): value is SandboxResponse =>
    'status' in value && typeof value.status === 'number';

  // Groups first: the router matches in order and /groups would otherwise be read as a property name.
  // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/groups/get-crm-v3-properties-objectType-groups
  router.add(
    'GET',
    '/crm/v3/properties/:type/groups',
    guard({ search: false, access: 'read' }, (req) => {
      const registry = registryFor(req);
      if (!isRegistry(registry)) return registry;
      return { status: 200, body: { results: registry.listGroups() } };
    }),
  );
  router.add(
    'GET',
    '/crm/v3/properties/:type/groups/:name',
    guard({ search: false, access: 'read' }, (req) => {
      const registry = registryFor(req);
      if (!isRegistry(registry)) return registry;
      const group = registry.getGroup(req.params.name!);
      return group
        ? { status: 200, body: group }
        : hubSpotError(404, 'OBJECT_NOT_FOUND', `Unable to find property group ${req.params.name}`);
    }),
  );
  // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/groups/post-crm-v3-properties-objectType-groups
  router.add(
    'POST',
    '/crm/v3/properties/:type/groups',
    guard({ search: false, access: 'schema' }, (req) => {
      const registry = registryFor(req);
      if (!isRegistry(registry)) return registry;
      const body = bodyOf(req);
      if (isResponse(body)) return body;
      const outcome = registry.createGroup(body);
      if (!outcome.ok) return hubSpotError(outcome.status, outcome.category, outcome.message);
      return { status: 201, body: outcome.value };
    }),
  );

  // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/core/get-crm-v3-properties-objectType
  router.add(
    'GET',
    '/crm/v3/properties/:type',
    guard({ search: false, access: 'read' }, (req) => {
      const registry = registryFor(req);
      if (!isRegistry(registry)) return registry;
      return { status: 200, body: { results: registry.list().map(serializeHubSpotProperty) } };
    }),
  );
  router.add(
    'GET',
    '/crm/v3/properties/:type/:name',
    guard({ search: false, access: 'read' }, (req) => {
      const registry = registryFor(req);
      if (!isRegistry(registry)) return registry;
      const property = registry.get(req.params.name!);
      return property
        ? { status: 200, body: serializeHubSpotProperty(property) }
        : hubSpotError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${req.params.name} on ${registry.objectType}`);
    }),
  );
  // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/core/post-crm-v3-properties-objectType
  router.add(
    'POST',
    '/crm/v3/properties/:type',
    guard({ search: false, access: 'schema' }, (req) => {
      const registry = registryFor(req);
      if (!isRegistry(registry)) return registry;
      const body = bodyOf(req);
      if (isResponse(body)) return body;
      const outcome = registry.create(body as HubSpotPropertyCreateInput);
      if (!outcome.ok)
        return hubSpotError(outcome.status, outcome.category, outcome.message, outcome.errors ? { errors: outcome.errors } : {});
      return { status: 201, body: serializeHubSpotProperty(outcome.value) };
    }),
  );
}
