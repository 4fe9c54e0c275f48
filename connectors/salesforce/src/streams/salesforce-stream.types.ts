import type { StreamDescriptor } from '@fieldcast/connector-sdk';

/** A Salesforce stream as data: which sObject, which fields to read, what Fieldcast writes back. */
export interface SalesforceStreamDefinition {
  descriptor: StreamDescriptor;
  sobject: string;
  /** Standard fields every org has; the sync fails with CONFIG when one is not readable. */
  requiredFields: string[];
  /** Org-specific fields read when the describe shows them (engagement, tier, Fieldcast's own fields). */
  optionalFields: string[];
}
