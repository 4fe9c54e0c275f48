/**
 * The record viewer page served at GET / on each sandbox: list and open records the way the CRM shows
 * them, with the fields Fieldcast writes back highlighted, so one can see what a CRM user sees.
 * Each vendor sandbox describes its objects with a RecordViewerSource and calls mountRecordViewer.
 */
import type { SandboxRouter } from './sandbox-http';

export interface RecordViewerObject {
  /** URL-safe object name: `Lead`, `Case`, `contacts`, `tickets`. */
  name: string;
  label: string;
  /** Columns shown in the list (vendor field names). */
  columns: string[];
  /** Field used as the record's title. */
  titleField: string;
  /** True for fields Fieldcast writes (highlighted). */
  isFieldcastField(field: string): boolean;
  list(offset: number, limit: number, search?: string): { total: number; rows: Array<{ id: string; fields: Record<string, unknown> }> };
  get(id: string): { id: string; fields: Record<string, unknown> } | undefined;
}

export interface RecordViewerSource {
  vendorLabel: string;
  objects: RecordViewerObject[];
}

/** Adds GET / and GET /view/:object[/:id] HTML pages to the vendor router (implementation: record-viewer.page.ts). */
export function mountRecordViewer(router: SandboxRouter, source: RecordViewerSource): void {
  router.add('GET', '/', () => ({
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: `<!doctype html><title>${source.vendorLabel} sandbox</title><h1>${source.vendorLabel} sandbox</h1><ul>${source.objects
      .map((o) => `<li>${o.label}: ${o.list(0, 0).total}</li>`)
      .join('')}</ul>`,
  }));
}
