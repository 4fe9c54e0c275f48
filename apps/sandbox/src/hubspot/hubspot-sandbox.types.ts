/** Shapes shared by the HubSpot sandbox modules (wire shapes follow vendor-apis.md §2). */

export const HUBSPOT_OBJECT_TYPES = ['contacts', 'deals', 'tickets'] as const;
export type HubSpotObjectType = (typeof HUBSPOT_OBJECT_TYPES)[number];

/** The CRM accepts object type ids as well as names in /crm/v3/objects/{objectType}. */
const OBJECT_TYPE_ALIASES: Record<string, HubSpotObjectType> = {
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  deals: 'deals',
  deal: 'deals',
  '0-3': 'deals',
  tickets: 'tickets',
  ticket: 'tickets',
  '0-5': 'tickets',
};

export function resolveHubSpotObjectType(raw: string): HubSpotObjectType | undefined {
  return OBJECT_TYPE_ALIASES[raw.toLowerCase()];
}

/** Webhook subscription prefix per object type (`contact.propertyChange`). */
export const HUBSPOT_WEBHOOK_PREFIX: Record<HubSpotObjectType, string> = { contacts: 'contact', deals: 'deal', tickets: 'ticket' };

/** The property the incremental sync follows: `lastmodifieddate` on contacts, `hs_lastmodifieddate` elsewhere. */
export const HUBSPOT_MODIFIED_PROPERTY: Record<HubSpotObjectType, string> = {
  contacts: 'lastmodifieddate',
  deals: 'hs_lastmodifieddate',
  tickets: 'hs_lastmodifieddate',
};

/** Who made a change, as HubSpot reports it in property history and webhook events. */
export interface HubSpotChangeSource {
  /** `INTEGRATION` (an OAuth app), `API` (a private app / API key), `CRM_UI` (a user), `IMPORT`, ... */
  changeSource: string;
  /** App id for integrations, `userId:<n>` for users. */
  sourceId: string;
}

export interface HubSpotPropertyVersion {
  value: string;
  /** Epoch ms. */
  timestamp: number;
  sourceType: string;
  sourceId?: string;
}

export interface HubSpotRecord {
  id: string;
  /** Numeric id, for ordering and paging. */
  seq: number;
  properties: Record<string, string | null>;
  /** Versions per property, newest first, current value included; stored only where history was written or seeded. */
  history: Record<string, HubSpotPropertyVersion[]> | undefined;
  createdAt: number;
  updatedAt: number;
  /** updatedAt as seeded (history derived on demand must not move when later writes bump updatedAt). */
  seededUpdatedAt: number;
  archived: boolean;
  archivedAt?: number;
  /** What search still sees while a write is not indexed yet (null = not searchable yet); see searchIndexLag. */
  indexed?: { properties: Record<string, string | null> | null; visibleAt: number };
}

/** A change the store made, fanned out to webhooks. */
export interface HubSpotChange {
  objectType: HubSpotObjectType;
  kind: 'creation' | 'propertyChange' | 'deletion' | 'restore';
  id: string;
  /** For propertyChange: the properties whose values changed, with their new value. */
  changes?: Array<{ name: string; value: string | null }>;
  source: HubSpotChangeSource;
  occurredAt: number;
}
