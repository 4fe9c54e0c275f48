/** Describes the HubSpot objects for the shared record viewer page (GET / on the sandbox). */
import type { RecordViewerObject, RecordViewerSource } from '../common/record-viewer';
import type { HubSpotObjectStore } from './hubspot-store';
import type { HubSpotObjectType, HubSpotRecord } from './hubspot-sandbox.types';

const VIEW: Record<HubSpotObjectType, { label: string; columns: string[]; titleField: string; searchFields: string[] }> = {
  contacts: {
    label: 'Contacts',
    columns: ['firstname', 'lastname', 'email', 'company', 'jobtitle', 'lifecyclestage', 'lastmodifieddate'],
    titleField: 'email',
    searchFields: ['firstname', 'lastname', 'email', 'company'],
  },
  deals: {
    label: 'Deals',
    columns: ['dealname', 'amount', 'dealstage', 'closedate', 'hs_lastmodifieddate'],
    titleField: 'dealname',
    searchFields: ['dealname'],
  },
  tickets: {
    label: 'Tickets',
    columns: ['subject', 'hs_ticket_priority', 'hs_ticket_category', 'hs_pipeline_stage', 'hs_lastmodifieddate'],
    titleField: 'subject',
    searchFields: ['subject', 'content'],
  },
};

/** Properties Fieldcast provisions live in its own group and carry its prefix. */
export function isHubSpotFieldcastProperty(name: string): boolean {
  return name.startsWith('fieldcast_');
}

function rowOf(record: HubSpotRecord): { id: string; fields: Record<string, unknown> } {
  return { id: record.id, fields: { ...record.properties, archived: record.archived } };
}

export function hubSpotRecordViewerSource(stores: Record<HubSpotObjectType, HubSpotObjectStore>): RecordViewerSource {
  const objects: RecordViewerObject[] = (Object.keys(VIEW) as HubSpotObjectType[]).map((type) => {
    const view = VIEW[type];
    const store = stores[type];
    return {
      name: type,
      label: view.label,
      columns: view.columns,
      titleField: view.titleField,
      isFieldcastField: (field) => isHubSpotFieldcastProperty(field) || store.properties.get(field)?.groupName === 'fieldcast',
      list(offset, limit, search) {
        const needle = search?.trim().toLowerCase();
        if (!needle) {
          const live = store.all().filter((r) => !r.archived);
          return { total: live.length, rows: live.slice(offset, offset + limit).map(rowOf) };
        }
        const hits = store
          .all()
          .filter((r) => !r.archived && view.searchFields.some((f) => r.properties[f]?.toLowerCase().includes(needle)));
        return { total: hits.length, rows: hits.slice(offset, offset + limit).map(rowOf) };
      },
      get(id) {
        const record = store.get(id);
        return record ? rowOf(record) : undefined;
      },
    };
  });
  return { vendorLabel: 'HubSpot', objects };
}
