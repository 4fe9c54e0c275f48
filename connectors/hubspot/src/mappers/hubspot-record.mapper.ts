/**
 * HubSpot's SimplePublicObject → SyncedRecord. Property values stay strings under their HubSpot
 * names (the scoring features decide what they mean); the modstamp is the stream's modified-date
 * property, falling back to updatedAt, as an ISO string with milliseconds.
 */
import type { SyncedRecord } from '@fieldcast/connector-sdk';

export interface HubSpotRawObject {
  id: string;
  properties: Record<string, string | null>;
  updatedAt?: Date;
  createdAt?: Date;
  archived?: boolean;
  archivedAt?: Date;
  propertiesWithHistory?: Record<string, Array<{ value: string; timestamp: Date; sourceType: string; sourceId?: string }>>;
}

export function hubSpotModstamp(raw: HubSpotRawObject, modifiedProperty: string): string {
  const value = raw.properties[modifiedProperty];
  const ms = value ? (/^\d+$/.test(value) ? Number(value) : Date.parse(value)) : raw.updatedAt?.getTime();
  if (ms === undefined || Number.isNaN(ms)) throw new Error(`HubSpot record ${raw.id} has no usable ${modifiedProperty}`);
  return new Date(ms).toISOString();
}

export function mapHubSpotRecord(raw: HubSpotRawObject, objectType: string, modifiedProperty: string): SyncedRecord {
  return { externalId: raw.id, object: objectType, modstamp: hubSpotModstamp(raw, modifiedProperty), fields: { ...raw.properties } };
}
