/**
 * OAuth scopes each kind of call needs, and the 403 MISSING_SCOPES HubSpot answers without them —
 * HubSpot's equivalent of a missing field permission: an app installed without `…write` can read
 * but not write back, and without `crm.schemas.…write` it cannot create its properties.
 * https://developers.hubspot.com/docs/api/scopes
 */
import type { SandboxResponse } from '../common/sandbox-http';
import { hubSpotError } from './hubspot-errors';
import type { HubSpotAccess } from './hubspot-objects.shared';
import type { HubSpotObjectType } from './hubspot-sandbox.types';

const REQUIRED: Record<HubSpotObjectType, Record<HubSpotAccess, string>> = {
  contacts: { read: 'crm.objects.contacts.read', write: 'crm.objects.contacts.write', schema: 'crm.schemas.contacts.write' },
  deals: { read: 'crm.objects.deals.read', write: 'crm.objects.deals.write', schema: 'crm.schemas.deals.write' },
  tickets: { read: 'tickets', write: 'tickets', schema: 'tickets' },
};

export function hubSpotRequiredScope(type: HubSpotObjectType, access: HubSpotAccess): string {
  return REQUIRED[type][access];
}

export function hubSpotMissingScopes(scope: string): SandboxResponse {
  return hubSpotError(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGrantedScopes: [scope] } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}
