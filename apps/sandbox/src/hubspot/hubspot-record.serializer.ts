/**
 * SimplePublicObject as the CRM v3 API returns it: every property value a string (or null when asked
 * for and unset), `createdAt`/`updatedAt` as ISO strings, `archived`, and `propertiesWithHistory`
 * only when asked for. Requested properties that do not exist are silently left out, as HubSpot does.
 */
import { HUBSPOT_ALWAYS_READ_PROPERTIES, HUBSPOT_DEFAULT_READ_PROPERTIES } from './hubspot-property-catalog';
import type { HubSpotObjectStore } from './hubspot-store';
import type { HubSpotRecord } from './hubspot-sandbox.types';

export interface HubSpotReadSelection {
  properties: string[];
  propertiesWithHistory: string[];
}

/** Resolves which properties a read returns, once per request (not per record). */
export function resolveHubSpotSelection(store: HubSpotObjectStore, requested: string[], withHistory: string[]): HubSpotReadSelection {
  // HubSpot accepts comma-separated lists inside one `properties` parameter as well as repeated parameters.
  const split = (list: string[]) =>
    list
      .flatMap((p) => p.split(','))
      .map((p) => p.trim())
      .filter(Boolean);
  const names = split(requested);
  const base = names.length ? names : HUBSPOT_DEFAULT_READ_PROPERTIES[store.objectType];
  const properties = [...new Set([...base, ...HUBSPOT_ALWAYS_READ_PROPERTIES[store.objectType]])].filter((p) => store.properties.has(p));
  const propertiesWithHistory = [...new Set(split(withHistory))].filter((p) => store.properties.has(p));
  return { properties, propertiesWithHistory };
}

export function serializeHubSpotRecord(
  store: HubSpotObjectStore,
  record: HubSpotRecord,
  selection: HubSpotReadSelection,
): Record<string, unknown> {
  const properties: Record<string, string | null> = {};
  for (const name of selection.properties) properties[name] = record.properties[name] ?? null;
  const out: Record<string, unknown> = {
    id: record.id,
    properties,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    archived: record.archived,
  };
  if (record.archived && record.archivedAt !== undefined) out.archivedAt = new Date(record.archivedAt).toISOString();
  if (selection.propertiesWithHistory.length) {
    const history: Record<string, unknown[]> = {};
    for (const name of selection.propertiesWithHistory) {
      history[name] = store.historyOf(record, name).map((v) => ({
        value: v.value,
        timestamp: new Date(v.timestamp).toISOString(),
        sourceType: v.sourceType,
        ...(v.sourceId ? { sourceId: v.sourceId } : {}),
      }));
    }
    out.propertiesWithHistory = history;
  }
  return out;
}

/** Every property with a value, for the control API and the record viewer. */
export function serializeHubSpotRecordInFull(store: HubSpotObjectStore, record: HubSpotRecord): Record<string, unknown> {
  const names = store.properties.list().map((p) => p.name);
  return serializeHubSpotRecord(store, record, { properties: names, propertiesWithHistory: names.filter((n) => record.history?.[n]) });
}
