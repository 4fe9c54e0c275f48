import type { StreamDescriptor } from '@fieldcast/connector-sdk';

export interface HubSpotStreamDefinition {
  descriptor: StreamDescriptor;
  /** CRM object type in /crm/v3/objects/{objectType}. */
  objectType: 'contacts' | 'tickets';
  /** `lastmodifieddate` on contacts, `hs_lastmodifieddate` on tickets (vendor-apis.md §2.2). */
  modifiedProperty: string;
  /** Properties read on every sync (write-back properties are added per connection). */
  properties: string[];
}
