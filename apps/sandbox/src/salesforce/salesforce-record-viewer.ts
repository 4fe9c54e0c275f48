/** Lead and Case as the record viewer lists them, with Fieldcast's own fields highlighted. */
import type { RecordViewerObject, RecordViewerSource } from '../common/record-viewer';
import type { SalesforceStore } from './salesforce-store';

const COLUMNS: Record<string, { label: string; title: string; columns: string[] }> = {
  Lead: {
    label: 'Leads',
    title: 'Name',
    columns: ['Name', 'Company', 'Title', 'Email', 'LeadSource', 'Status', 'IsConverted', 'SystemModstamp'],
  },
  Case: {
    label: 'Cases',
    title: 'Subject',
    columns: ['CaseNumber', 'Subject', 'Type', 'Priority', 'Status', 'IsEscalated', 'SystemModstamp'],
  },
};

export function isFieldcastSalesforceField(field: string): boolean {
  return field.startsWith('Fieldcast_');
}

export function salesforceRecordViewerSource(store: SalesforceStore): RecordViewerSource {
  const objects: RecordViewerObject[] = Object.entries(COLUMNS).map(([name, spec]) => ({
    name,
    label: spec.label,
    titleField: spec.title,
    // Fieldcast's fields appear as soon as they are provisioned, so the viewer shows what a CRM user sees.
    get columns() {
      const table = store.table(name);
      const extra = table ? [...table.fields.keys()].filter(isFieldcastSalesforceField) : [];
      return [...spec.columns, ...extra];
    },
    isFieldcastField: isFieldcastSalesforceField,
    list(offset: number, limit: number, search?: string) {
      const records = store.table(name)?.records ?? [];
      const needle = search?.trim().toLowerCase();
      const rows: Array<{ id: string; fields: Record<string, unknown> }> = [];
      let total = 0;
      for (const r of records) {
        if (r.IsDeleted) continue;
        if (needle && !spec.columns.some((c) => typeof r[c] === 'string' && (r[c] as string).toLowerCase().includes(needle))) continue;
        if (total >= offset && rows.length < limit) rows.push({ id: r.Id, fields: r });
        total++;
      }
      return { total, rows };
    },
    get(id: string) {
      const r = store.table(name)?.get(id);
      return r ? { id: r.Id, fields: r } : undefined;
    },
  }));
  return { vendorLabel: 'Salesforce', objects };
}
